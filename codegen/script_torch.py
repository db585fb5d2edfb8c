"""Writes the PyTorch script: templates/pytorch.py.j2 around the nn.Module, which is emitted here node by node."""

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
    template: str = "pytorch.py.j2",
) -> Emitter:
    """templates/pytorch.py.j2 around the Model class, which is emitted node by node."""
    if plan.gan is not None:
        from codegen import script_gan

        return script_gan.write_torch(project, plan, rendered, ctx, project_dir, script_name, _optimizer(project.setup))
    kind = project.setup["dataset"]
    context = script_common.context(project, plan, ctx, project_dir, script_name, "PyTorch", channels_last=False)
    head, need = plan.head, plan.need
    short = template.startswith("minimal_")
    loader_imports = data_code.stdlib_imports(kind, context["streams"] and not short)
    context.update(
        # os: torchrun's WORLD_SIZE, contextlib: --precision (the short script has neither)
        stdlib=sorted(
            {"argparse", "json", "math", "sys", "time", *loader_imports}
            | ({"contextlib", "os"} if not short else set())
        ),
        functional="F" in ctx.imports,
        optimizer="\n".join(format_stmt("return ", _optimizer(project.setup), 4)),
        loss_fn=_loss_fn(head.loss, label_smoothing(plan)),
        has_accuracy=head.metric == "accuracy",
        out=head.output_name,
        per_step_labels=need.kind == "labels" and plan.output_type.rank == 3,  # (N, T, K) scores
        targets=need.kind,
        class_dim=1 if need.class_axis == 1 else -1,
        predicted=_predicted(plan),
        shown=_image_sample(plan) if kind == "image_folder" else "x_test[i]",
    )
    for h in context["heads"]:
        key = lit(h["name"])
        h["loss_fn"] = _loss_fn(h["loss"], h["smoothing"])
        if h["per_step"]:  # (N, T, K) scores: one row per time step
            h["loss_args"] = f"{h['var']}.flatten(0, 1), y[{key}].flatten()"
        else:
            h["loss_args"] = f"{h['var']}, y[{key}]"
    return script_common.write(template, context, lambda em: _model(em, plan, rendered), plan)


def _loss_fn(loss: str, smoothing: float) -> str:
    if loss == "cross_entropy":
        return f"nn.CrossEntropyLoss(label_smoothing={lit(smoothing)})"
    if loss == "binary_cross_entropy":
        return "nn.BCEWithLogitsLoss()"
    return "nn.MSELoss()"


def write_model(project, plan: Plan, rendered: dict[str, Rendered], ctx) -> Emitter:
    """An importable module with only the model (and the helpers it needs); imports only what it uses."""
    body = Emitter()
    for source in ctx.helpers.values():
        body.block(source)
        body.blank(2)
    if plan.gan is not None:
        from codegen import script_gan

        script_gan.torch_models(body, plan, rendered)
        names = "Generator, Discriminator"
    else:
        _model(body, plan, rendered)
        names = "Model"
    return script_common.model_module(project, plan, body, "PyTorch", names, _torch_imports)


def _torch_imports(text: str) -> list[str]:
    lines = [f"import {m}" for m in ("math",) if f"{m}." in text]
    if lines:
        lines.append("")
    if "np." in text:
        lines += ["import numpy as np"]
    if "torch." in text.replace("nn.", "").replace("torch.nn", ""):
        lines.append("import torch")
    lines.append("from torch import nn")
    if "F." in text:
        lines.append("from torch.nn import functional as F")
    return lines


def _predicted(plan: Plan) -> str:
    if plan.head.task == "binary":
        return "model(xb)[:, 0] > 0"
    return "model(xb).argmax(dim=-1)"


def _image_sample(plan: Plan) -> str:
    """One (C, H, W) test image as the app draws it: (H, W) or (H, W, C)."""
    t = plan.input_step.out
    if t.rank != 4:
        return "x_test[i]"
    return "x_test[i][0]" if t.dims[1] == 1 else "x_test[i].transpose(1, 2, 0)"


def _model(em: Emitter, plan: Plan, rendered: dict[str, Rendered]) -> None:
    inputs, outputs = [s.var for s in plan.inputs], [hp.output_var for hp in plan.heads]
    steps, rendered = _blocks(em, plan, rendered)
    module_class(em, "Model", "The network drawn in LayerLab.", plan, steps, rendered, inputs, outputs)


def _blocks(em: Emitter, plan: Plan, rendered: dict[str, Rendered]):
    """One ``nn.Module`` subclass per distinct block, written before the model; the model's statements."""
    if not plan.blocks:
        return plan.steps, rendered

    def write_one(tmp, name, block):
        doc = script_common.block_doc(block)
        module_class(tmp, name, doc, plan, block.steps, rendered, block.params, block.returns)

    names = script_common.emit_blocks(em, plan, rendered, write_one, lambda b, n: script_common.class_name(b.title, n))
    rendered = dict(rendered)
    for block in plan.blocks:
        call_expr = f"self.{block.scope}({', '.join(block.args)})"
        rendered[block.id] = Rendered(
            build=[(f"self.{block.scope}", f"{names[block.id]}()")], apply=[(", ".join(block.targets), call_expr)]
        )
    return plan.top_level(), rendered


def module_class(em: Emitter, name: str, doc: str, plan: Plan, steps, rendered, inputs, outputs) -> None:
    """``class name(nn.Module)`` for these steps: layers, Keras' initial values, forward (several outputs in order)."""
    em.line(f"class {name}(nn.Module):")
    em.line(f'"""{doc}"""', 1)
    em.blank()
    em.line("def __init__(self):", 1)
    em.line("super().__init__()", 2)
    present = [(step, rendered[step.id]) for step in steps if step.id in rendered]
    for step, r in present:
        for comment in r.comments if r.build else []:
            em.line(comment, 2, step.id)
        for target, expr in r.build:
            em.stmt(f"{target} = " if target else "", expr, 2, step.id)
    if any(r.init for _, r in present):
        em.line("self.reset_parameters()", 2)
        em.blank()
        em.line("def reset_parameters(self):", 1)
        em.line('"""Keras\' default initial values, so both scripts start from the same distributions."""', 2)
        for step, r in present:
            for target, expr in r.init:
                em.stmt(f"{target} = " if target else "", expr, 2, step.id)
    em.blank()
    em.line(f"def forward(self, {', '.join(inputs)}):", 1)
    for step, r in present:
        for target, expr in r.apply:
            em.stmt(f"{target} = " if target else "", expr, 2, step.id)
    em.line(f"return {', '.join(outputs)}", 2)  # several heads: in head order


def _optimizer(s: dict):
    """torch.optim with every hyperparameter written out (docs/equivalence.md §6)."""
    kind, eps = s["optimizer"], lit(float(s["epsilon"]))
    betas = lit((float(s["beta1"]), float(s["beta2"])))
    wd = lit(float(s["weight_decay"]))
    params = "model.parameters()"
    if kind == "adam":
        kw = {"lr": "lr", "betas": betas, "eps": eps}
        if s["weight_decay"]:
            kw.update(weight_decay=wd, decoupled_weight_decay="True")
        return call("torch.optim.Adam", params, **kw)
    if kind == "adamw":
        return call("torch.optim.AdamW", params, lr="lr", betas=betas, eps=eps, weight_decay=wd)
    if kind == "sgd":
        return call("torch.optim.SGD", params, lr="lr", momentum=lit(float(s["momentum"])), weight_decay=wd)
    kw = {"lr": "lr", "alpha": lit(float(s["beta2"])), "eps": eps, "momentum": lit(float(s["momentum"]))}
    return call("torch.optim.RMSprop", params, **kw)
