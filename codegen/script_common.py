"""What both scripts share: the template variables and how a script is put together (docs/scripts.md).

The fixed code is in codegen/templates (header, data, control, report, boundary; pytorch.py.j2 and
keras.py.j2 for the rest); the model between the two halves goes through the Emitter.
"""

from __future__ import annotations

from collections.abc import Callable

from codegen import data_code
from codegen.emitter import Emitter, Plan
from codegen.pyfmt import lit
from codegen.templating import render_around_model


def write(template: str, context: dict, model: Callable[[Emitter], None], plan: Plan | None = None) -> Emitter:
    """The script: the template's ``before_model()``, the model emitted node by node, ``after_model()``.

    With ``plan``, the model is emitted first so the inspection tables (codegen/probes.py) can say
    where each layer's output is in it."""
    short = template.startswith("minimal_")  # the short script: no checks or protocol, never streams
    context = {**context, "short": short, "streams": context.get("streams", False) and not short}
    body = Emitter()
    model(body)
    if plan is not None:
        context.update(inspect_context(plan, body, keras=context["framework"] != "PyTorch"))
    before, after = render_around_model(template, **context)
    em = Emitter()
    em.block(before)
    em.blank(2)
    em.extend(body)
    em.blank(2)
    em.block(after)
    return em


def inspect_context(plan: Plan, body: Emitter, keras: bool) -> dict:
    """The tables the teaching views' inspection reads (templates/_inspect.py.j2)."""
    from codegen import probes

    relu = [s.display for s in plan.steps if s.type == "relu" or s.params.get("activation") == "relu"]
    return {
        "inspect_probes": probes.table_source(probes.probe_table(plan, body, keras)),
        "inspect_heads": probes.heads_source(plan),
        "inspect_keras_axes": probes.keras_layouts_source(plan) if keras else "",
        "inspect_weighted": probes.assignment("WEIGHTED", probes.weighted_layers(plan, keras)),
        "inspect_relu": probes.assignment("RELU_LAYERS", relu, "their dead-unit share is reported"),
        "inspect_kernels": probes.assignment("KERNELS", probes.kernel_layers(plan, keras), "for the kernel view"),
        "inspect_denses": probes.assignment("DENSES", probes.dense_layers(plan, keras), "the playground's edges"),
    }


def context(project, plan: Plan, ctx, project_dir, script_name: str, framework: str, channels_last: bool) -> dict:
    """The variables both script templates use (each adds its own)."""
    kind = project.setup["dataset"]
    one_hot = channels_last and label_smoothing(plan) > 0  # Keras smooths one-hot targets only
    move_inputs = channels_last and plan.input_step.out.channels_first  # images: channels last for Keras
    return {
        "framework": framework,
        "gan": False,
        "title": safe_title(project),
        "script": script_name,
        "text": kind == "text",  # character-level text: sample from the model
        "initial_weights": bool(project.setup.get("initial_weights")),  # --weights: start from a weights file
        "report": classifies(plan, kind),  # confusion matrix and misclassified samples
        "boundary": draws_boundary(plan, kind),  # decision-boundary events for 2-D points
        "streams": data_code.streams(kind, plan, draws_boundary(plan, kind)),  # large data stay on disk
        "samples": kind in ("csv", "npz", "image_folder"),  # misclassified samples carry their input
        "constants": constants(project, plan, getattr(ctx, "info", None), project_dir),
        "helpers": [source.strip("\n") for source in ctx.helpers.values()],  # from the lowerings, once each
        "expected": expected_targets(plan, channels_last),
        **data_code.context(kind, plan.need, channels_last, move_inputs, one_hot),
        **multi_context(plan, getattr(ctx, "info", None), channels_last),
    }


def multi_context(plan: Plan, info, channels_last: bool) -> dict:
    """Several Inputs or heads: each one's array, how it is prepared, and each head's loss and weight.

    The arrays come from an .npz file (the analysis refuses other datasets); keys in the script are the
    Inputs' and heads' identifiers, values the array names (``DatasetInfo.array_for``).
    """
    if not plan.multi:
        return {"multi": False, "inputs": [], "heads": [], "acc_head": None, "xdev": "x.device"}

    def array(display: str, role: str) -> str:
        return info.array_for(display, role, single=False) if info is not None else display

    inputs = []
    for step in plan.inputs:
        t = step.out
        expr = f"x[{lit(step.var)}].reshape(len(x), {', '.join(str(d) for d in t.features)})"
        if t.channels_first and channels_last:
            expr = f"np.moveaxis({expr}, 1, -1)"
        inputs.append(
            {"name": step.var, "array": array(step.display, "input"), "prepare": expr, "tokens": t.dtype == "int64"}
        )
    heads = []
    for hp in plan.heads:
        need, smoothing = hp.need, float(hp.params.get("label_smoothing", 0.0) or 0.0)
        shape, key = lit(tuple(need.shape)), lit(hp.name)
        if need.kind == "labels":
            expr = f"class_ids(y[{key}], {shape}, {need.classes}, {key})"
        else:
            expr = f"values(y[{key}], {shape})"
        if channels_last and need.channels_first:
            expr = f"np.moveaxis({expr}, 1, -1)"
        one_hot = channels_last and need.kind == "labels" and smoothing > 0
        if one_hot:
            expr = f'np.eye({need.classes}, dtype="float32")[{expr}]'
        if need.kind != "labels" or one_hot:
            expected = "output"
        elif need.class_axis == 1 and not channels_last:
            expected = "output[1:]"
        else:
            expected = "output[:-1]"
        heads.append(
            {
                "name": hp.name,
                "var": hp.output_var,
                "array": array(hp.display, "head"),
                "prepare": expr,
                "expected": expected,
                "weight": hp.loss_weight,
                "loss": hp.head.loss,
                "smoothing": smoothing,
                "one_hot": one_hot,
                "targets": need.kind,
                "per_step": need.kind == "labels" and hp.output_type.rank == 3,
                "class_dim": 1 if need.class_axis == 1 else -1,
                "accuracy": hp.head.metric == "accuracy",
            }
        )
    acc_head = next((i for i, h in enumerate(heads) if h["accuracy"]), None)
    several = len(heads) > 1
    return {
        "multi": True,
        "inputs": inputs,
        "heads": heads,
        "acc_head": acc_head,
        "xdev": "device_of(x)",
        "inputs_map": {i["name"]: i["array"] for i in inputs},
        "heads_map": {h["name"]: h["array"] for h in heads},
        "token_inputs": tuple(i["name"] for i in inputs if i["tokens"]),
        "loss_weights": {h["name"]: h["weight"] for h in heads},
        "unpack": ", ".join(h["var"] for h in heads),  # the model's outputs, in head order
        "acc_logits": (f"outputs[{acc_head}]" if several else "outputs") if acc_head is not None else "None",
    }


def classifies(plan: Plan, kind: str) -> bool:
    """One class label per sample: the scripts report a confusion matrix and misclassified samples."""
    if plan.multi:
        return False
    return plan.head.task in ("classification", "binary") and plan.output_type.rank == 2 and kind != "text"


def draws_boundary(plan: Plan, kind: str) -> bool:
    """2-D points to classify: the scripts send the app a decision-boundary map."""
    if plan.multi:
        return False
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
    if s.get("initial_weights"):
        rows.append(("INITIAL_WEIGHTS", resolved(s["initial_weights"], project_dir), "LayerLab weights to start from"))
    if plan.need.kind != "labels" and classifies(plan, s["dataset"]):
        rows.append(("NUM_CLASSES", num_classes(plan), "classes the model predicts"))
    return rows


def data_path(project, project_dir) -> str:
    """The dataset path as the script should see it: relative paths resolved from the project folder."""
    return resolved(project.setup.get("dataset_path") or "", project_dir)


def resolved(raw: str, project_dir) -> str:
    """A path from the setup as the script should see it: relative ones resolved from the project folder."""
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


def model_module(project, plan: Plan, body: Emitter, framework: str, names: str, imports) -> Emitter:
    """``layerlab export --format model``: a docstring, the imports ``body`` uses, then ``body``."""
    title = safe_title(project)
    em = Emitter()
    em.line(f'"""{title}: the model drawn in LayerLab, for {framework} (no data or training code).')
    em.blank()
    if framework == "PyTorch":
        usage = "it starts from Keras' initial values (reset_parameters), as the Keras model does"
    else:
        usage = "the same layers and names as in LayerLab's training script"
    em.line(f"Import {names} from this file; {usage}.")
    em.line('"""')
    em.blank()
    for line in imports("\n".join(body.lines)):
        em.line(line)
    em.blank(2)
    for line, owner in zip(body.lines, body._owner, strict=True):  # node lines move with the body
        em.line(line, 0, owner)
    return em


# ----------------------------------------------------------------------------- blocks
_PLACEHOLDER = "__LAYERLAB_BLOCK__"


def block_doc(block) -> str:
    """A block's docstring from its title (user text: quotes, backslashes and controls are dropped)."""
    title = "".join(ch for ch in block.title if ch.isprintable() and ch not in '"\\').strip() or "Block"
    return f"{title} (a block drawn in LayerLab)."


def emit_blocks(em, plan, rendered, write_one, name_of) -> dict:
    """Write one class / function per distinct block and return ``rendered`` plus each instance's call.

    ``write_one(emitter, name, block)`` writes a block under a placeholder name; instances whose code
    comes out the same share it. ``name_of(block, n)`` is the n-th (1-based) name for that title;
    ``call(block, name)`` in the returned dict's ``"__call__"`` is left to the caller."""
    written: dict[str, str] = {}  # code -> its class / function name
    used: dict[str, int] = {}
    names: dict[str, str] = {}
    for block in plan.blocks:
        tmp = type(em)()
        write_one(tmp, _PLACEHOLDER, block)
        code = "\n".join(tmp.lines)
        if code not in written:
            n = used.get(block.title, 0) + 1
            used[block.title] = n
            name = name_of(block, n)
            while plan.ns.taken(name) and not plan.ns.knows(("block-class", name)):
                n += 1
                name = name_of(block, n)
            plan.ns.create_name(name, key=("block-class", name))
            written[code] = name
            em.extend(tmp, _PLACEHOLDER, name)
            em.blank(2)
        names[block.id] = written[code]
    return names


def class_name(title: str, n: int) -> str:
    """``Residual block`` → ``ResidualBlock`` (``ResidualBlock2`` for a second, different one)."""
    from codegen.naming import sanitize

    base = "".join(part.capitalize() for part in sanitize(title, "block").split("_")) or "Block"
    return base if n == 1 else f"{base}{n}"


def function_name(title: str, n: int) -> str:
    from codegen.naming import sanitize

    base = sanitize(title, "block")
    return base if n == 1 else f"{base}_{n}"
