"""The report's dense-output models train alike: Keras' test loss within 10 % of PyTorch's, same epochs.

Blob images (a few Gaussian blobs per 16×16 image): the autoencoder reconstructs them, the U-Net
(regression variant) denoises them and the FCN predicts two maps (the image and its complement).
Before the fix the Keras autoencoder ended worse than predicting the mean image.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from dense_models import autoencoder, fcn, unet

from codegen import generate
from codegen.verify import exec_source

pytestmark = [pytest.mark.frameworks, pytest.mark.slow]

SIZE, SAMPLES, EPOCHS = 16, 400, 30


def blobs(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    images = np.zeros((SAMPLES, 1, SIZE, SIZE), "float32")
    for image in images:
        for _ in range(rng.integers(1, 4)):
            cy, cx, r = rng.uniform(2, SIZE - 2), rng.uniform(2, SIZE - 2), rng.uniform(1.5, 3.5)
            image[0] += np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r * r))
    return np.clip(images, 0, 1)


def datasets(tmp_path):
    clean = blobs()
    noisy = np.clip(clean + np.random.default_rng(1).normal(0, 0.2, clean.shape), 0, 1).astype("float32")
    out = {}
    for name, x, y in (
        ("autoencoder", clean, clean),
        ("unet", noisy, clean),
        ("fcn_c2", clean, np.concatenate([clean, 1 - clean], axis=1)),
    ):
        out[name] = tmp_path / f"{name}.npz"
        np.savez(out[name], x=x, y=y)
    return out


def run_for_test_loss(project, framework, data, out, capsys) -> float:
    """Train with the generated script's own main() and return its test loss."""
    ns = exec_source(generate(project, framework).source, f"<{framework} dense>")
    device = ["--device", "cpu"] if framework == "pytorch" else []
    args = ["--out", str(out), "--progress", "jsonl", "--data", str(data), *device]
    assert ns["main"](args) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    return events[-1]["test_loss"]


def train_side_by_side(project, data, epochs: int, batch: int = 16) -> dict[str, float]:
    """Both scripts' data preparation, model, loss and optimiser, from the same weights in the same order.

    The training loops are the scripts' own in all but the sample order, which the two frameworks'
    random streams cannot share: here one NumPy permutation per epoch feeds both."""
    import torch

    from codegen.verify import build_scripts
    from codegen.weights import copy_torch_to_keras

    lr = project.setup["learning_rate"]
    plan, tns, kns = build_scripts(project)
    torch.manual_seed(0)
    tmodel, kmodel = tns["Model"](), kns["build_model"]()
    copy_torch_to_keras(plan, tmodel, kmodel)
    optimizer = tns["make_optimizer"](tmodel, lr)
    kmodel.compile(optimizer=kns["make_optimizer"](lr), loss=kns["LOSS"])
    with np.load(data) as d:
        raw = {"x": d["x"], "y": d["y"]}
    tdata, kdata = tns["split_data"](dict(raw), 0), kns["split_data"](dict(raw), 0)
    tx, ty = torch.as_tensor(tdata["x_train"]), torch.as_tensor(tdata["y_train"])
    rng = np.random.default_rng(0)
    for _ in range(epochs):
        order = rng.permutation(len(tx))
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            tmodel.train()
            loss = tns["compute_loss"](tmodel(tx[idx]), ty[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            kmodel.train_on_batch(kdata["x_train"][idx], kdata["y_train"][idx])
    t_test = torch.as_tensor(tdata["x_test"]), torch.as_tensor(tdata["y_test"])
    torch_loss, _ = tns["evaluate"](tmodel, *t_test, batch)
    keras_loss = kmodel.evaluate(kdata["x_test"], kdata["y_test"], batch_size=batch, verbose=0)
    return {"pytorch": torch_loss, "tensorflow": float(np.asarray(keras_loss).reshape(-1)[0])}


MODELS = [("autoencoder", autoencoder), ("unet", unet), ("fcn_c2", lambda: fcn(out_channels=2))]


@pytest.mark.parametrize("name,build", MODELS, ids=[m[0] for m in MODELS])
def test_keras_test_loss_is_within_ten_percent_of_pytorch(name, build, tmp_path):
    project = build()
    project.setup.update(learning_rate=0.002, epsilon=1e-8)
    data = datasets(tmp_path)[name]
    with np.load(data) as d:
        mean_image = float(((d["y"] - d["y"].mean(axis=0)) ** 2).mean())
    losses = train_side_by_side(project, data, EPOCHS)
    assert losses["pytorch"] < 0.1 * mean_image, (losses, mean_image)  # it learnt the task
    # The issue asks for 10 %; from the same start and order they agree far closer (≈ 1e-4–1e-3, README).
    assert abs(losses["tensorflow"] - losses["pytorch"]) <= 0.01 * losses["pytorch"], (losses, mean_image)


def test_both_scripts_learn_the_autoencoder_end_to_end(tmp_path, capsys):
    """The scripts' own main(): seeds differ, so each must simply beat the mean image by far."""
    project = autoencoder()
    project.setup.update(epochs=EPOCHS, batch_size=16, learning_rate=0.002, epsilon=1e-8)
    data = datasets(tmp_path)["autoencoder"]
    with np.load(data) as d:
        mean_image = float(((d["y"] - d["y"].mean(axis=0)) ** 2).mean())
    for fw in ("pytorch", "tensorflow"):
        assert run_for_test_loss(project, fw, data, tmp_path / fw, capsys) < 0.1 * mean_image, fw
