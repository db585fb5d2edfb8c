"""Equivalence check: build both generated models, copy the PyTorch weights into Keras, compare.

The generated scripts are executed in this process (registered with ``linecache`` so tracebacks
show the generated lines), as modules whose ``__main__`` block does not run.
"""

from __future__ import annotations

import linecache
from dataclasses import dataclass, field

import numpy as np

from codegen.api import generate
from codegen.emitter import Plan, build_plan
from codegen.layout import stored_axes
from codegen.weights import copy_torch_to_keras

TOLERANCE = 1e-4


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    max_diff: float = float("nan")

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def add(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append(Check(name, bool(ok), detail))

    def text(self) -> str:
        lines = [f"{'ok ' if c.ok else 'FAIL'} {c.name}: {c.detail}" for c in self.checks]
        lines.append("verify: PASSED" if self.ok else "verify: FAILED")
        return "\n".join(lines)


def exec_source(source: str, filename: str) -> dict:
    """Run generated code as a module (not as __main__) and return its namespace."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"__name__": "layerlab_generated", "__file__": filename}
    exec(compile(source, filename, "exec"), namespace)
    return namespace


def build_scripts(project, project_dir=None, sources: dict | None = None):
    """(plan, PyTorch script namespace, Keras script namespace); ``sources`` replaces generated ones."""
    sources, plans = dict(sources or {}), {}
    for fw in ("pytorch", "tensorflow"):
        if fw in sources:
            continue
        code = generate(project, fw, project_dir)
        if code.problems:
            raise ValueError("; ".join(code.problems))
        sources[fw], plans[fw] = code.source, code.plan
    info, _ = project.dataset_info(project_dir)
    plan = plans.get("tensorflow") or build_plan(project.graph, info)  # Keras' names for its extra layers
    torch_ns = exec_source(sources["pytorch"], "<layerlab pytorch>")
    keras_ns = exec_source(sources["tensorflow"], "<layerlab keras>")
    return plan, torch_ns, keras_ns


def build_models(project, project_dir=None):
    """(plan, torch model, keras model) built from the two generated scripts."""
    plan, torch_ns, keras_ns = build_scripts(project, project_dir)
    return plan, torch_ns["Model"](), keras_ns["build_model"]()


def sample_inputs(plan: Plan, batch: int, seed: int):
    """Random inputs in PyTorch's (channels-first) layout: an array, or {Input: array} for several Inputs."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for step in plan.inputs:
        t = step.out
        shape = (batch, *t.features)
        if t.dtype == "int64":
            arrays[step.var] = rng.integers(0, step.params["vocab_size"], size=shape).astype("int64")
        else:
            arrays[step.var] = rng.standard_normal(shape).astype("float32")
    return arrays if plan.multi else arrays[plan.input_step.var]


def torch_outputs(plan: Plan, tmodel, x) -> dict:
    """{head name: output as NumPy} of the PyTorch model (inference mode, no gradients)."""
    import torch

    with torch.no_grad():
        out = tmodel(**{k: torch.as_tensor(v) for k, v in x.items()}) if plan.multi else tmodel(torch.as_tensor(x))
    outs = out if isinstance(out, tuple) else (out,)
    return {hp.name: o.numpy() for hp, o in zip(plan.heads, outs, strict=True)}


def keras_outputs(plan: Plan, kmodel, x, raw: dict | None = None) -> dict:
    """{head name: output in the graph's channels-first layout} of the Keras model (inference mode).

    ``raw``, when given, receives each output as Keras returned it (channels last)."""
    if plan.multi:
        by_var = {step.var: step.out for step in plan.inputs}
        out = kmodel({k: to_keras_layout(v, by_var[k]) for k, v in x.items()}, training=False)
        outs = {hp.name: np.asarray(out[hp.name]) for hp in plan.heads}
    else:
        outs = {plan.heads[0].name: np.asarray(kmodel(to_keras_layout(x, plan.input_step.out), training=False))}
    if raw is not None:
        raw.update(outs)
    return {hp.name: from_keras_layout(outs[hp.name], hp.output_type) for hp in plan.heads}


def to_keras_layout(x: np.ndarray, t) -> np.ndarray:
    return x.transpose(stored_axes(t)) if t.channels_first else x


def from_keras_layout(y: np.ndarray, t) -> np.ndarray:
    return y.transpose(np.argsort(stored_axes(t))) if t.channels_first else y


def verify(
    project,
    project_dir=None,
    batch: int = 4,
    seed: int = 0,
    tolerance: float = TOLERANCE,
    sources: dict | None = None,
) -> Report:
    """Build both models, copy weights, compare outputs, parameter counts and shapes, then the training path.

    ``sources`` ({"pytorch"|"tensorflow": script}) replaces a generated script (tests use it)."""
    import torch

    report = Report()
    torch.manual_seed(seed)
    plan, tns, kns = build_scripts(project, project_dir, sources)
    if plan.gan is not None:
        from codegen.verify_gan import verify_gan

        return verify_gan(report, plan, tns, kns, batch, seed, tolerance)
    tmodel, kmodel = tns["Model"](), kns["build_model"]()
    _check_counts(report, plan, tmodel, kmodel)
    _randomize_norm_state(tmodel, seed)
    copy_torch_to_keras(plan, tmodel, kmodel)
    x = sample_inputs(plan, batch, seed)
    tmodel.eval()
    raw: dict = {}
    t_out, k_out = torch_outputs(plan, tmodel, x), keras_outputs(plan, kmodel, x, raw)
    report.max_diff = 0.0
    for hp in plan.heads:
        ty, ky = t_out[hp.name], k_out[hp.name]
        which = f" ({hp.display})" if len(plan.heads) > 1 else ""
        want = (batch, *hp.output_type.features)
        report.add(f"pytorch output shape{which}", ty.shape == want, f"{ty.shape} (inferred {want})")
        stored = raw[hp.name].shape
        layout = ", channels last" if stored != ky.shape else ""
        report.add(f"keras output shape{which}", ky.shape == want, f"{stored} (inferred {want}{layout})")
        if ty.shape == ky.shape:
            diff = float(np.max(np.abs(ty - ky))) if ty.size else 0.0
            report.max_diff = max(report.max_diff, diff)
            report.add(
                f"max |pytorch - keras| on the output{which}", diff <= tolerance, f"{diff:.3g} (limit {tolerance:g})"
            )
    from codegen.verify_training import check_training_path

    check_training_path(report, plan, (tns, tmodel), (kns, kmodel), project, batch, seed, tolerance)
    return report


def _check_counts(report: Report, plan: Plan, tmodel, kmodel) -> None:
    t_train = sum(p.numel() for p in tmodel.parameters() if p.requires_grad)
    report.add("pytorch trainable parameters", t_train == plan.trainable, f"{t_train:,} (catalog {plan.trainable:,})")
    k_total = kmodel.count_params()
    k_train = sum(int(np.prod(w.shape)) for w in kmodel.trainable_weights)
    total = plan.trainable + plan.non_trainable
    report.add(
        "keras parameters",
        k_total == total and k_train == plan.trainable,
        f"{k_total:,} total, {k_train:,} trainable (catalog {total:,} / {plan.trainable:,})",
    )


def _randomize_norm_state(tmodel, seed: int) -> None:
    """Give normalisation layers non-trivial statistics and affine weights, so the check means something."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in tmodel.modules():
            if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
                module.running_mean.copy_(torch.randn(module.running_mean.shape, generator=gen))
                module.running_var.copy_(torch.rand(module.running_var.shape, generator=gen) + 0.5)
            if isinstance(module, (torch.nn.modules.batchnorm._BatchNorm, torch.nn.LayerNorm)):
                module.weight.copy_(torch.randn(module.weight.shape, generator=gen))
                module.bias.copy_(torch.randn(module.bias.shape, generator=gen))
