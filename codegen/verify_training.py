"""The training half of ``verify``: both scripts' own data preparation, loss and gradients on one batch.

After the weights are copied (``codegen.verify``), each script prepares the same raw batch with its own
``split_data`` (the project's dataset, or synthetic data of the same description when the file is
absent), and the report compares, in the graph's logical layout: the inputs, the targets and their fit
to the model's output (each script's own ``check_targets``), the loss, and the gradient of every
parameter. Both models run in inference mode (dropout off, normalisation on its running statistics) so
the comparison is deterministic; training itself is compared by the parity tests.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np

from codegen.layout import stored_axes
from codegen.weights import has_weights, keras_weights, module_arrays

GRADIENT_FLOOR = 1e-7  # absolute slack for gradients that are zero up to round-off


def check_training_path(report, plan, torch_side, keras_side, project, batch: int, seed: int, tolerance: float):
    (tns, tmodel), (kns, kmodel) = torch_side, keras_side
    raw, source = raw_data(plan, tns, project, batch, seed)
    report.add("training data", True, source)
    try:
        tdata = tns["split_data"](copy.deepcopy(raw), seed)
        kdata = kns["split_data"](copy.deepcopy(raw), seed)
    except Exception as err:  # a script's own data preparation failed: that is the finding
        report.add("data preparation", False, f"{type(err).__name__}: {err}")
        return
    tx, ty = tdata["x_train"][:batch], tdata["y_train"][:batch]
    kx, ky = kdata["x_train"][:batch], kdata["y_train"][:batch]
    _compare_inputs(report, plan, tx, kx)
    fits = _check_fit(report, "pytorch", tns, tmodel, tdata) & _check_fit(report, "keras", kns, kmodel, kdata)
    if not fits or not _compare_targets(report, plan, ty, ky):
        return
    _compare_loss_and_gradients(report, plan, (tns, tmodel, tx, ty), (kns, kmodel, kx, ky), tolerance)


def raw_data(plan, tns, project, batch: int, seed: int) -> tuple[dict, str]:
    """The project's dataset as its loader reads it, or synthetic data of the same description."""
    path = tns["DATA_PATH"]
    if project.setup["dataset"] == "mnist" and not Path(path or Path.home() / ".keras/datasets/mnist.npz").exists():
        return synthetic_data(plan, project, 10 * batch, seed, tns.get("Arrays")), "synthetic (MNIST is not cached)"
    try:
        return tns["read_data"](path), f"a batch of the project's dataset ({project.setup['dataset']})"
    except tns["DataError"] as err:
        return synthetic_data(
            plan, project, 10 * batch, seed, tns.get("Arrays")
        ), f"synthetic, like the dataset ({err})"


def synthetic_data(plan, project, n: int, seed: int, arrays=None) -> dict:
    """Raw samples (as a loader returns them) fitting the Input and the head's targets.

    Several Inputs or heads: one array each, in the script's ``Arrays`` (keyed like the script's data).
    """
    rng = np.random.default_rng(seed)
    if plan.multi:
        x = {s.var: _synthetic_input(rng, s.out, s.params, n) for s in plan.inputs}
        y = {hp.name: _synthetic_targets(rng, hp.need, n) for hp in plan.heads}
        return {"x": arrays(x), "y": arrays(y)}
    t, need = plan.input_step.out, plan.need
    if project.setup["dataset"] == "text_classes":
        words = ["rain", "sun", "ball", "cat", "雨", "饭"]
        x = np.array([" ".join(rng.choice(words, size=rng.integers(1, 8))) for _ in range(n)])
    elif t.dtype == "int64":
        x = rng.integers(0, plan.input_step.params["vocab_size"], size=(n, *t.features))
    else:
        x = rng.standard_normal((n, *t.features)).astype("float32")
    return {"x": x, "y": _synthetic_targets(rng, need, n)}


def _synthetic_input(rng, t, params: dict, n: int) -> np.ndarray:
    if t.dtype == "int64":
        return rng.integers(0, params["vocab_size"], size=(n, *t.features))
    return rng.standard_normal((n, *t.features)).astype("float32")


def _synthetic_targets(rng, need, n: int) -> np.ndarray:
    shape = (n, *need.shape)
    if need.kind == "labels":
        return rng.integers(0, need.classes, size=shape)
    if need.kind == "binary":
        return rng.integers(0, 2, size=shape).astype("float32")
    return rng.standard_normal(shape).astype("float32")


def _logical(a: np.ndarray, t) -> np.ndarray:
    """A Keras (channels-last) array back in the graph's channels-first layout."""
    return a.transpose(np.argsort(stored_axes(t))) if t.channels_first and a.ndim == t.rank else a


def _compare_inputs(report, plan, tx, kx) -> None:
    if plan.multi:
        for step in plan.inputs:
            a, b = tx[step.var], _logical(np.asarray(kx[step.var]), step.out)
            same = a.shape == b.shape and np.allclose(a, b, atol=1e-6)
            report.add(f"training inputs of {step.display} (keras, channels first) equal pytorch's", same, f"{a.shape}")
        return
    kx = _logical(np.asarray(kx), plan.input_step.out)
    same = kx.shape == tx.shape and np.allclose(kx, tx, atol=1e-6)
    report.add("training inputs (keras, in channels-first layout) equal pytorch's", same, f"{tuple(tx.shape)}")


def _check_fit(report, name: str, ns: dict, model, data) -> bool:
    """The script's own check that its targets fit its model's output."""
    try:
        ns["check_targets"](model, _native(name, ns, data["x_train"]), data["y_train"])
    except ns["DataError"] as err:
        report.add(f"{name} targets fit the output", False, str(err))
        return False
    y = data["y_train"]
    shapes = {k: tuple(v.shape[1:]) for k, v in y.items()} if isinstance(y, dict) else tuple(y.shape[1:])
    report.add(f"{name} targets fit the output", True, f"targets {shapes} per sample")
    return True


def _native(name: str, ns: dict, x):
    """The inputs as the script's own model takes them (PyTorch: tensors)."""
    if name != "pytorch":
        return x
    import torch

    if isinstance(x, dict):
        return ns["Arrays"]({k: torch.as_tensor(v) for k, v in x.items()})
    return torch.as_tensor(x)


def _compare_targets(report, plan, ty, ky) -> bool:
    if plan.multi:
        return all(
            _same_targets(report, hp.need, hp.output_type, ty[hp.name], ky[hp.name], f" of {hp.display}")
            for hp in plan.heads
        )
    return _same_targets(report, plan.need, plan.output_type, ty, ky, "")


def _same_targets(report, need, output_type, ty, ky, which: str) -> bool:
    ky = np.asarray(ky)
    if need.kind == "labels" and ky.ndim == ty.ndim + 1:  # one-hot (label smoothing)
        ky = ky.argmax(axis=-1)
    elif need.channels_first:
        ky = _logical(ky, output_type)
    same = ky.shape == ty.shape and np.allclose(ky, ty)
    report.add(f"training targets{which} equal (layouts converted)", same, f"pytorch {ty.shape}, keras {ky.shape}")
    return same


def _compare_loss_and_gradients(report, plan, torch_side, keras_side, tolerance: float) -> None:
    import tensorflow as tf
    import torch

    tns, tmodel, tx, ty = torch_side
    kns, kmodel, kx, ky = keras_side
    tmodel.eval()
    tmodel.zero_grad(set_to_none=True)
    if plan.multi:
        arrays = tns["Arrays"]
        t_out = tmodel(**{k: torch.as_tensor(v) for k, v in tx.items()})
        t_loss = tns["compute_loss"](t_out, arrays({k: torch.as_tensor(v) for k, v in ty.items()}))
    else:
        t_loss = tns["compute_loss"](tmodel(torch.as_tensor(tx)), torch.as_tensor(ty))
    if t_loss.requires_grad:  # a model without weights has no gradients to compare
        t_loss.backward()
    with tf.GradientTape() as tape:
        if plan.multi:  # Keras' total: every head's loss times its weight
            k_out = kmodel(dict(kx), training=False)
            weights, losses = kns["LOSS_WEIGHTS"], kns["LOSS"]
            k_loss = sum(weights[k] * losses[k](ky[k], k_out[k]) for k in losses)
        else:
            k_loss = kns["LOSS"](ky, kmodel(kx, training=False))
    k_grads = tape.gradient(k_loss, kmodel.trainable_weights)
    tl, kl = float(t_loss.detach()), float(k_loss)
    ok = abs(tl - kl) <= tolerance * max(abs(tl), 1e-6)
    report.add("loss on the batch", ok, f"pytorch {tl:.6g}, keras {kl:.6g}")
    pairs = zip(kmodel.trainable_weights, k_grads, strict=True)
    grads = {id(v): np.asarray(tf.convert_to_tensor(g)) for v, g in pairs if g is not None}  # dense embeddings
    worst, checked = (0.0, ""), 0
    for step in plan.steps:
        if not has_weights(step):
            continue
        module = tmodel.get_submodule(step.module)
        for name, expected_list in keras_weights(plan, step, _grad_arrays(module)):
            layer = kmodel.get_layer(name)
            for var, expected in zip(layer.weights, expected_list, strict=True):
                if not var.trainable:
                    continue
                got = grads.get(id(var), np.zeros(var.shape, "float32"))
                scale = max(float(np.abs(expected).max(initial=0.0)), float(np.abs(got).max(initial=0.0)))
                rel = float(np.abs(got - expected).max(initial=0.0)) / max(scale, GRADIENT_FLOOR / tolerance)
                checked += 1
                worst = max(worst, (rel, f"{step.display}: {var.name}"))
    detail = f"{checked} tensors, largest relative difference {worst[0]:.3g}" + (f" ({worst[1]})" if worst[1] else "")
    report.add("parameter gradients", worst[0] <= tolerance, detail)


def _grad_arrays(module) -> dict[str, np.ndarray]:
    """The module's gradients keyed like its state_dict (zeros for buffers and frozen parameters)."""
    arrays = {k: np.zeros_like(v) for k, v in module_arrays(module).items()}
    for name, param in module.named_parameters():
        if param.grad is not None:
            arrays[name] = param.grad.detach().cpu().numpy()
    return arrays
