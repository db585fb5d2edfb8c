"""What both scripts share: the template variables and how a script is put together (docs/scripts.md).

The fixed code is in codegen/templates (header, data, control, report, boundary; pytorch.py.j2 and
keras.py.j2 for the rest); the model between the two halves goes through the Emitter.
"""

from __future__ import annotations

from collections.abc import Callable

from codegen import data_code
from codegen.emitter import Emitter, Plan
from codegen.templating import render_around_model


def write(template: str, context: dict, model: Callable[[Emitter], None]) -> Emitter:
    """The script: the template's ``before_model()``, the model emitted node by node, ``after_model()``."""
    before, after = render_around_model(template, **context)
    em = Emitter()
    em.block(before)
    em.blank(2)
    model(em)
    em.blank(2)
    em.block(after)
    return em


def context(project, plan: Plan, ctx, project_dir, script_name: str, framework: str, channels_last: bool) -> dict:
    """The variables both script templates use (each adds its own)."""
    kind = project.setup["dataset"]
    one_hot = channels_last and label_smoothing(plan) > 0  # Keras smooths one-hot targets only
    move_inputs = channels_last and plan.input_step.out.channels_first  # images: channels last for Keras
    return {
        "framework": framework,
        "title": safe_title(project),
        "script": script_name,
        "text": kind == "text",  # character-level text: sample from the model
        "report": classifies(plan, kind),  # confusion matrix and misclassified samples
        "boundary": draws_boundary(plan, kind),  # decision-boundary events for 2-D points
        "samples": kind in ("csv", "npz", "image_folder"),  # misclassified samples carry their input
        "constants": constants(project, plan, getattr(ctx, "info", None), project_dir),
        "helpers": [source.strip("\n") for source in ctx.helpers.values()],  # from the lowerings, once each
        "expected": expected_targets(plan, channels_last),
        **data_code.context(kind, plan.need, channels_last, move_inputs, one_hot),
    }


def classifies(plan: Plan, kind: str) -> bool:
    """One class label per sample: the scripts report a confusion matrix and misclassified samples."""
    return plan.head.task in ("classification", "binary") and plan.output_type.rank == 2 and kind != "text"


def draws_boundary(plan: Plan, kind: str) -> bool:
    """2-D points to classify: the scripts send the app a decision-boundary map."""
    t = plan.input_step.out
    return classifies(plan, kind) and t.rank == 2 and tuple(t.features) == (2,) and t.dtype != "int64"


def num_classes(plan: Plan) -> int:
    return 2 if plan.head.task == "binary" else plan.need.classes


def safe_title(project) -> str:
    """The project title for the docstring: printable ASCII letters, digits and simple punctuation only."""
    raw = project.meta.get("title") or "LayerLab model"
    clean = "".join(ch for ch in raw if ch.isalnum() or ch in " -_.,()+")
    clean = " ".join(clean.split())[:40].strip()
    return clean or "LayerLab model"


def constants(project, plan: Plan, info, project_dir) -> list[tuple[str, object, str]]:
    """(NAME, value, comment): the training setup as module constants, every hyperparameter explicit."""
    s = project.setup
    rows = [
        ("DATASET", s["dataset"], ""),
        ("DATA_PATH", data_path(project, project_dir), ""),
        ("EPOCHS", s["epochs"], ""),
        ("BATCH_SIZE", s["batch_size"], ""),
        ("LEARNING_RATE", float(s["learning_rate"]), ""),
        ("SEED", s["seed"], ""),
        ("VALIDATION_SPLIT", float(s["validation_split"]), ""),
        ("TEST_SPLIT", float(s["test_split"]), ""),
        ("SHUFFLE", bool(s["shuffle"]), ""),
        *data_code.constants(project, plan, info),
    ]
    if plan.need.kind != "labels" and classifies(plan, s["dataset"]):
        rows.append(("NUM_CLASSES", num_classes(plan), "classes the model predicts"))
    return rows


def data_path(project, project_dir) -> str:
    """The dataset path as the script should see it: relative paths resolved from the project folder."""
    raw = project.setup.get("dataset_path") or ""
    if not raw or project_dir is None:
        return raw
    from pathlib import Path

    path = Path(raw).expanduser()
    return str(path if path.is_absolute() else (Path(project_dir) / path).resolve())


def expected_targets(plan: Plan, channels_last: bool) -> str:
    """The per-sample target shape the loss needs, as an expression of the model's ``output`` shape."""
    need = plan.need
    if need.kind != "labels" or (channels_last and label_smoothing(plan)):
        return "output"  # one target per output value (one-hot labels too)
    if need.class_axis == 1 and not channels_last:
        return "output[1:]"  # (K, H, W) scores, (H, W) labels
    return "output[:-1]"  # class scores on the last axis


def label_smoothing(plan: Plan) -> float:
    """The Classification head's label smoothing ε (0 for every other head)."""
    return float(plan.head_params.get("label_smoothing", 0.0) or 0.0)
