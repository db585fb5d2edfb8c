"""Writes the TensorFlow/Keras script: templates/keras.py.j2 around build_model(), emitted here node by node."""

from __future__ import annotations

from codegen import data_code, script_common
from codegen.backend import Rendered
from codegen.emitter import Emitter, Plan
from codegen.pyfmt import call, format_stmt, lit
from codegen.script_common import label_smoothing


def write(
    project,
    plan: Plan,
    rendered: dict[str, Rendered],
    ctx,
    project_dir,
    script_name: str,
    template: str = "keras.py.j2",
) -> Emitter:
    """templates/keras.py.j2 around build_model(), which is emitted node by node."""
    if plan.gan is not None:
        from codegen import script_gan

        return script_gan.write_keras(project, plan, rendered, ctx, project_dir, script_name, _optimizer(project.setup))
    kind = project.setup["dataset"]
    context = script_common.context(
        project, plan, ctx, project_dir, script_name, "TensorFlow/Keras", channels_last=True
    )
    loss, metric = _loss_and_metric(plan)
    streamed = context["streams"] and not template.startswith("minimal_")
    context.update(
        stdlib=sorted(["argparse", "json", "math", "os", "sys", "time", *data_code.stdlib_imports(kind, streamed)]),
        ops="ops" in ctx.imports,
        distribute=True,  # --strategy (templates/_keras_distribute.py.j2)
        optimizer="\n".join(format_stmt("return ", _optimizer(project.setup), 4)),
        loss="\n".join(format_stmt("LOSS = ", loss)),
        metric=metric,
        has_accuracy=bool(metric),
        predicted=_predicted(plan),
        shown=_image_sample(plan) if kind == "image_folder" else "x_test[i]",
    )
    for h in context["heads"]:
        h["keras_loss"], h["keras_metric"] = (e if isinstance(e, str) else e.flat() for e in _head_loss(h))
    acc = context["acc_head"]
    several = len(context["heads"]) > 1  # Keras prefixes a metric with its output's name only then
    context["acc_key"] = f"{context['heads'][acc]['name']}_accuracy" if several and acc is not None else "accuracy"
    return script_common.write(template, context, lambda em: _model(em, plan, rendered), plan)


def _head_loss(h: dict):
    """One head's Keras loss and accuracy metric (for several heads: script_common.multi_context)."""
    if h["loss"] == "cross_entropy":
        if h["one_hot"]:
            loss = call("keras.losses.CategoricalCrossentropy", from_logits="True", label_smoothing=lit(h["smoothing"]))
            return loss, 'keras.metrics.CategoricalAccuracy(name="accuracy")'
        loss = call("keras.losses.SparseCategoricalCrossentropy", from_logits="True")
        return loss, 'keras.metrics.SparseCategoricalAccuracy(name="accuracy")'
    if h["loss"] == "binary_cross_entropy":
        return call("keras.losses.BinaryCrossentropy", from_logits="True"), (
            'keras.metrics.BinaryAccuracy(name="accuracy", threshold=0.0)'
        )
    return call("keras.losses.MeanSquaredError"), ""


def write_model(project, plan: Plan, rendered: dict[str, Rendered], ctx) -> Emitter:
    """An importable module with only the model (and the layers it defines); imports only what it uses."""
    body = Emitter()
    for source in ctx.helpers.values():
        body.block(source)
        body.blank(2)
    if plan.gan is not None:
        from codegen import script_gan

        script_gan.keras_models(body, plan, rendered)
        names = "build_generator, build_discriminator"
    else:
        _model(body, plan, rendered)
        names = "build_model"
    return script_common.model_module(project, plan, body, "TensorFlow/Keras", names, _keras_imports)


def _keras_imports(text: str) -> list[str]:
    lines = ["import math", ""] if "math." in text else []
    lines += ["import numpy as np", ""] if "np." in text else []
    lines.append("import keras")
    lines.append("from keras import layers, ops" if "ops." in text else "from keras import layers")
    return lines


def _predicted(plan: Plan) -> str:
    if plan.head.task == "binary":
        return '(logits[:, 0] > 0).astype("int64")'
    return "logits.argmax(axis=-1)"


def _image_sample(plan: Plan) -> str:
    """One (H, W, C) test image as the app draws it: (H, W) or (H, W, C)."""
    t = plan.input_step.out
    if t.rank != 4:
        return "x_test[i]"
    return "x_test[i][..., 0]" if t.dims[1] == 1 else "x_test[i]"


def _model(em: Emitter, plan: Plan, rendered: dict[str, Rendered]) -> None:
    if plan.multi:  # named inputs and outputs: the data are dicts keyed by the same names
        inputs = "{" + ", ".join(f"{lit(s.var)}: {s.var}" for s in plan.inputs) + "}"
        outputs = "{" + ", ".join(f"{lit(hp.name)}: {hp.output_var}" for hp in plan.heads) + "}"
    else:
        inputs, outputs = plan.input_step.var, plan.output_var
    doc = "The network drawn in LayerLab (functional API, channels last)."
    steps, rendered = _blocks(em, plan, rendered)
    model_function(em, "build_model", doc, steps, rendered, inputs, outputs, "model")


def _blocks(em: Emitter, plan: Plan, rendered: dict[str, Rendered]):
    """One function per distinct block, written before build_model; the model's statements."""
    if not plan.blocks:
        return plan.steps, rendered

    def write_one(tmp, name, block):
        doc = script_common.block_doc(block)[:-1] + '; its layers are named f"{name}_<layer>".'
        tmp.line(f"def {name}({', '.join(block.params)}, name):")
        tmp.line(f'"""{doc}"""', 1)
        for step in block.steps:
            r = rendered.get(step.id)
            if r is None:
                continue
            for comment in r.comments:
                tmp.line(comment, 1, step.id)
            for target, expr in r.apply:
                tmp.stmt(f"{target} = " if target else "", expr, 1, step.id)
        tmp.line(f"return {', '.join(block.returns)}", 1)

    names = script_common.emit_blocks(
        em, plan, rendered, write_one, lambda b, n: script_common.function_name(b.title, n)
    )
    rendered = dict(rendered)
    for block in plan.blocks:
        call_expr = f"{names[block.id]}({', '.join(block.args)}, name={lit(block.scope)})"
        rendered[block.id] = Rendered(apply=[(", ".join(block.targets), call_expr)])
    return plan.top_level(), rendered


def model_function(em: Emitter, fn: str, doc: str, steps, rendered, inputs: str, outputs: str, name: str) -> None:
    """``def fn():`` building a functional keras.Model from these steps, node by node."""
    em.line(f"def {fn}():")
    em.line(f'"""{doc}"""', 1)
    for step in steps:
        r = rendered.get(step.id)
        if r is None:
            continue
        for comment in r.comments:
            em.line(comment, 1, step.id)
        for target, expr in r.apply:
            em.stmt(f"{target} = " if target else "", expr, 1, step.id)
    em.stmt("return ", call("keras.Model", inputs, outputs, name=lit(name)), 1)


def _loss_and_metric(plan: Plan):
    """The Keras loss (an expression) and the accuracy metric that goes with it ("" for none)."""
    smoothing = label_smoothing(plan)
    return _head_loss({"loss": plan.head.loss, "one_hot": smoothing > 0, "smoothing": smoothing})


def _optimizer(s: dict):
    """keras.optimizers with the same hyperparameters as the PyTorch script (docs/equivalence.md §6)."""
    kind, eps, wd = s["optimizer"], lit(float(s["epsilon"])), float(s["weight_decay"])
    betas = {"beta_1": lit(float(s["beta1"])), "beta_2": lit(float(s["beta2"]))}
    if kind == "adam":
        kw = {"learning_rate": "lr", **betas, "epsilon": eps}
        if wd:
            kw["weight_decay"] = lit(wd)
        return call("keras.optimizers.Adam", **kw)
    if kind == "adamw":
        return call("keras.optimizers.AdamW", learning_rate="lr", weight_decay=lit(wd), **betas, epsilon=eps)
    if kind == "sgd":
        kw = {"learning_rate": "lr", "momentum": lit(float(s["momentum"]))}
        if wd:
            kw["weight_decay"] = lit(wd)
        return call("keras.optimizers.SGD", **kw)
    # RMSprop: Keras adds epsilon inside the square root, PyTorch outside; eps² matches closely.
    kw = {"learning_rate": "lr", "rho": lit(float(s["beta2"])), "momentum": lit(float(s["momentum"]))}
    kw["epsilon"] = lit(float(s["epsilon"]) ** 2)
    return call("keras.optimizers.RMSprop", **kw)
