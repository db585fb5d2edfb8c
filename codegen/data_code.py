"""Data loading shared by both scripts (plain NumPy): the variables of its templates.

The code is in codegen/templates: _data.py.j2 (split_data, prepare_inputs, prepare_targets),
_loader.py.j2 (DataError, load_data, read_data) and loaders/<kind>.py.j2 (one per dataset kind);
_stream.py.j2 leaves a large dataset on disk (docs/scripts.md, "Data bigger than memory").
Both frameworks get exactly the same arrays in the same order: the split is a seeded NumPy
permutation. Arrays are channels-first here; the Keras script moves channels last afterwards.
"""

from __future__ import annotations

from codegen.templating import render
from graph.datasets import SYNTHETIC

STDLIB = {"csv": ("csv",), "text_classes": ("collections", "csv"), "audio_folder": ("wave",)}
STREAMED = ("image_folder", "audio_folder", "npz", "csv")  # large ones are read from disk batch by batch
STREAM_STDLIB = {"npz": ("struct", "zipfile"), "csv": ("itertools",)}  # what streaming adds


def loader(kind: str) -> str:
    """DataError, the load_data function for one dataset kind and read_data (templates/_loader.py.j2)."""
    return render("_loader.py.j2", kind=kind, multi=False, short=False, streams=False)


def streams(kind: str, plan, boundary: bool) -> bool:
    """Whether the training scripts can leave this dataset on disk (templates/_stream.py.j2): file datasets of
    one Input and one head; 2-D points (the decision-boundary map needs them all) stay in memory."""
    return kind in STREAMED and not plan.multi and not boundary


def stdlib_imports(kind: str, streamed: bool = False) -> tuple[str, ...]:
    """Standard-library modules the loader of this dataset kind needs (``streamed``: with streaming)."""
    return STDLIB.get(kind, ()) + (STREAM_STDLIB.get(kind, ()) if streamed else ())


def context(kind: str, need, channels_last: bool, move_inputs: bool, one_hot: bool = False) -> dict:
    """The variables of templates/_data.py.j2: the loader, split_data, prepare_inputs and prepare_targets.

    Dense targets (images) follow the output's layout: channels last in Keras (docs/equivalence.md).
    """
    return {
        "kind": kind,
        "vocab": kind == "text_classes",  # the vocabulary is built from the training split
        "move_inputs": move_inputs,  # reshape, then move the channels last
        "labels": need.kind == "labels",
        "move_targets": channels_last and need.channels_first,
        "one_hot": one_hot,  # Keras applies label smoothing to one-hot targets only
        "need_text": need.text(),
    }


def constants(project, plan, info) -> list[tuple[str, object, str]]:
    """(NAME, value, comment) dataset constants the loader reads (templates/_settings.py.j2 writes each by lit)."""
    s = project.setup
    kind, need = s["dataset"], plan.need
    if plan.multi:  # one .npz array per Input and head (script_common.multi_context)
        return []
    out = [("INPUT_SHAPE", tuple(plan.input_step.out.features), "per-sample input shape, channels first")]
    out.append(("TARGET_SHAPE", tuple(need.shape), "per-sample target shape (images channels first)"))
    if need.kind == "labels":
        out.append(("NUM_CLASSES", need.classes, "classes the model predicts"))
    if kind in SYNTHETIC:
        classes = info.num_classes if info and info.num_classes else 2
        out += [("SAMPLES", s["samples"], ""), ("NOISE", float(s["noise"]), "")]
        out.append(("CLASSES", classes, ""))
    if kind == "csv":
        out.append(("TARGET_COLUMN", s["dataset_target"], "empty: the last column"))
    if kind in ("csv", "npz"):
        out.append(("TARGETS", need.kind, "labels (class ids), binary (0/1) or values"))
    if kind == "npz":
        out.append(("TOKEN_IDS", plan.input_step.out.dtype == "int64", "x holds integer token ids"))
    if kind in ("text", "text_classes"):
        out.append(("STEPS", plan.input_step.out.dims[1], "tokens per sample"))
    if kind == "text":
        per_step = plan.output_type is not None and plan.output_type.rank == 3
        out.append(("PER_STEP_TARGETS", per_step, "predict every next character"))
    if kind == "text_classes":
        out.append(("TOKENS", project.setup["tokens"], "char or word"))
        out.append(("VOCAB_SIZE", plan.input_step.params["vocab_size"], "token ids the model knows"))
    if kind == "audio_folder":
        out.append(("SAMPLE_RATE", s["sample_rate"], "audio is resampled to this rate"))
    return out
