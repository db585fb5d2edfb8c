"""Data bigger than memory (docs/scripts.md, "Streaming"): a streamed dataset gives both scripts the very
samples, split and batches of the in-memory path, and what cannot be streamed is a clear data error.

Tiny datasets, streaming forced with --stream on (or STREAM_ABOVE lowered for --stream auto); the generated
scripts are imported as modules, so the functions run in this process and DataLoader workers fork from it.
"""

from __future__ import annotations

import importlib.util
import json
import sys

import numpy as np
import pytest
from codegen_helpers import chain

from codegen import generate

pytestmark = pytest.mark.frameworks
FRAMEWORKS = ["pytorch", "tensorflow"]


@pytest.fixture
def script(tmp_path):
    """Imports a project's generated script as a module (DataLoader workers pickle its DataError by name)."""
    names = []

    def load(project, framework):
        name = f"layerlab_streamed_{framework}_{len(names)}"
        path = tmp_path / f"{name}.py"
        path.write_text(generate(project, framework).source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        names.append(name)
        spec.loader.exec_module(module)
        return module

    yield load
    for name in names:
        sys.modules.pop(name, None)


def _project(dataset, layers, head, **setup):
    project = chain(layers, head)
    project.setup.update(dataset=dataset, dataset_path="", epochs=1, batch_size=4, shuffle=False)
    project.setup.update(validation_split=0.2, test_split=0.2, **setup)
    return project


def _image_folder(root, broken=False):
    from PIL import Image

    rng = np.random.default_rng(0)
    for label in ("cat", "dog"):
        (root / label).mkdir(parents=True)
        for i in range(10):
            Image.fromarray(rng.integers(0, 256, (7, 6, 3), dtype=np.uint8)).save(root / label / f"{i}.png")
    if broken:
        (root / "dog" / "3.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    return root


def _train(module, framework, data, out, *flags):
    """The script's main() with jsonl progress: (exit code, events)."""
    device = ["--device", "cpu"] if framework == "pytorch" else []
    argv = ["--data", str(data), "--out", str(out), "--progress", "jsonl", *device, *flags]
    return module.main(argv), out


def _events(capsys):
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]


def _first_batch(module, framework, split, targets, size):
    """The first training batch as the script's streamed loop reads it (DataLoader / tf.data)."""
    if framework == "pytorch":
        import torch

        x = module.to_tensors({"x_train": split}, torch.device("cpu"))["x_train"]
        _, _, xb = next(iter(module.batches(x, torch.arange(len(x)), size, 0, 1)))
        return xb.numpy()
    return next(iter(module.pipeline(split, targets, size)))[0].numpy()


def _same_training(module, framework, data, tmp_path, capsys, *flags):
    """A run streamed (``flags``) and one in memory report the same losses."""
    runs = {}
    for mode, extra in (("memory", ("--stream", "off")), ("streamed", flags)):
        code, _ = _train(module, framework, data, tmp_path / mode, *extra)
        events = _events(capsys)
        assert code == 0, events[-1:]
        runs[mode] = [v for e in events if e["event"] == "epoch" for v in (e["loss"], e["val_loss"])]
        runs[mode].append(next(e["test_loss"] for e in events if e["event"] == "end"))
    assert runs["streamed"] == pytest.approx(runs["memory"], rel=1e-5)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_streamed_image_folder_trains_like_the_in_memory_one(framework, script, tmp_path, capsys):
    folder = _image_folder(tmp_path / "images")
    layers = [("input.image", {"channels": 3, "height": 5, "width": 4}), ("flatten", {}), ("dense", {"units": 2})]
    module = script(_project("image_folder", layers, "output.classification"), framework)
    memory = module.split_data(module.read_data(folder, stream="off"), 0)
    streamed = module.split_data(module.read_data(folder, stream="on"), 0)
    assert isinstance(streamed["x_train"], module.Streamed) and isinstance(memory["x_train"], np.ndarray)
    for key in ("x_train", "x_val", "x_test", "y_train", "y_val", "y_test"):
        np.testing.assert_array_equal(streamed[key][:], memory[key], err_msg=key)  # same samples, same split
    first = _first_batch(module, framework, streamed["x_train"], streamed["y_train"], 4)
    np.testing.assert_array_equal(first, memory["x_train"][:4])
    _same_training(module, framework, folder, tmp_path, capsys, "--stream", "on")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_memory_mapped_npz_trains_like_the_in_memory_one(framework, script, tmp_path, capsys):
    rng = np.random.default_rng(1)
    path = tmp_path / "points.npz"
    np.savez(path, x=rng.integers(0, 256, (30, 6), dtype=np.uint8), y=rng.normal(size=(30, 2)).astype("float32"))
    layers = [("input.vector", {"features": 6}), ("dense", {"units": 2})]
    module = script(_project("npz", layers, "output.regression"), framework)
    memory = module.split_data(module.read_data(path, stream="off"), 0)
    module.STREAM_ABOVE = 100  # --stream auto: x (720 bytes) and y (240, two values a sample) both stay on disk
    streamed = module.split_data(module.read_data(path, stream="auto"), 0)
    assert isinstance(streamed["x_train"], module.Streamed) and isinstance(streamed["y_train"], module.Streamed)
    for key in ("x_train", "x_val", "x_test", "y_train", "y_val", "y_test"):
        np.testing.assert_array_equal(streamed[key][:], memory[key], err_msg=key)
    first = _first_batch(module, framework, streamed["x_train"], streamed["y_train"], 4)
    np.testing.assert_array_equal(first, memory["x_train"][:4])
    _same_training(module, framework, path, tmp_path, capsys, "--stream", "auto")


def test_a_large_csv_is_parsed_into_a_memory_mapped_cache(script, tmp_path, capsys):
    rng = np.random.default_rng(2)
    rows = [",".join(f"{v:.3f}" for v in rng.normal(size=4)) + f",{'abc'[i % 3]}" for i in range(30)]
    table = tmp_path / "table.csv"
    table.write_text("a,b,c,d,kind\n" + "\n".join(rows) + "\n", encoding="utf-8")
    layers = [("input.vector", {"features": 4}), ("dense", {"units": 3})]
    module = script(_project("csv", layers, "output.classification"), "pytorch")
    memory = module.split_data(module.read_data(table, stream="off"), 0)
    streamed = module.split_data(module.read_data(table, stream="on", cache_dir=tmp_path), 0)
    assert streamed["classes"] == memory["classes"] == ["a", "b", "c"]
    for key in ("x_train", "x_val", "x_test", "y_train", "y_test"):
        np.testing.assert_allclose(streamed[key][:], memory[key], atol=1e-6, err_msg=key)  # standardised in chunks
    code, out = _train(module, "pytorch", table, tmp_path / "run", "--stream", "on")
    assert code == 0, _events(capsys)[-1:]
    assert (out / "table.features.npy").exists()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_compressed_npz_too_large_for_memory_is_a_data_error(framework, script, tmp_path, capsys):
    path = tmp_path / "packed.npz"
    np.savez_compressed(path, x=np.zeros((40, 4), "float32"), y=np.arange(40) % 3)
    layers = [("input.vector", {"features": 4}), ("dense", {"units": 3})]
    module = script(_project("npz", layers, "output.classification"), framework)
    module.STREAM_ABOVE = 100
    code, _ = _train(module, framework, path, tmp_path / "out")
    error = _events(capsys)[-1]
    assert code == 1 and error["event"] == "error" and error["kind"] == "data", error
    assert "packed.npz" in error["message"] and "np.savez" in error["message"], error


def test_bad_streamed_files_are_data_errors_that_name_them(script, tmp_path, capsys):
    objects = tmp_path / "objects.npz"
    np.savez(objects, x=np.array([object(), 1] * 5, dtype=object), y=np.zeros(10))
    truncated = tmp_path / "truncated.npz"
    np.savez(truncated, x=np.zeros((10, 4), "float32"), y=np.zeros(10))
    truncated.write_bytes(truncated.read_bytes()[:300])
    layers = [("input.vector", {"features": 4}), ("dense", {"units": 3})]
    module = script(_project("npz", layers, "output.classification"), "pytorch")
    for path in (objects, truncated):
        code, _ = _train(module, "pytorch", path, tmp_path / "out", "--stream", "on")
        error = _events(capsys)[-1]
        assert code == 1 and error["kind"] == "data" and path.name in error["message"], error
    # A damaged image is found while training, in a DataLoader worker: still a data error naming it.
    folder = _image_folder(tmp_path / "images", broken=True)
    layers = [("input.image", {"channels": 3, "height": 5, "width": 4}), ("flatten", {}), ("dense", {"units": 2})]
    module = script(_project("image_folder", layers, "output.classification"), "pytorch")
    code, _ = _train(module, "pytorch", folder, tmp_path / "out", "--stream", "on")
    error = _events(capsys)[-1]
    assert code == 1 and error["kind"] == "data" and "3.png" in error["message"], error
    # The same in Keras, where tf.data reads the batch: the DataError comes back through tf.numpy_function.
    module = script(_project("image_folder", layers, "output.classification"), "tensorflow")
    code, _ = _train(module, "tensorflow", folder, tmp_path / "out_keras", "--stream", "on")
    error = _events(capsys)[-1]
    assert code == 1 and error["kind"] == "data" and "3.png" in error["message"], error
