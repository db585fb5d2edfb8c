"""Bad training data, bad devices and unsafe files: an ``error`` event naming the problem, exit 1, never
a raw traceback, and nothing from a file ever runs (whatever the environment says)."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from codegen_helpers import chain

from codegen import generate
from codegen.verify import exec_source

pytestmark = pytest.mark.frameworks
FRAMEWORKS = ["pytorch", "tensorflow"]


def _project(dataset="npz", **setup):
    project = chain([("input.vector", {"features": 4}), ("dense", {"units": 3})], "output.classification")
    project.setup.update({"dataset": dataset, "epochs": 1, "batch_size": 8, **setup})
    return project


def _run(project, framework, tmp_path, capsys, *args):
    ns = exec_source(generate(project, framework).source, f"<{framework} bad data>")
    device = ["--device", "cpu"] if framework == "pytorch" and "--device" not in args else []
    code = ns["main"](["--out", str(tmp_path / f"out_{framework}"), "--progress", "jsonl", *device, *args])
    lines = capsys.readouterr().out.splitlines()
    return code, [json.loads(line) for line in lines if line.startswith("{")]


def _error(code, events):
    assert code == 1
    assert events and events[-1]["event"] == "error", events[-3:]
    return events[-1]


def _csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_bad_files_are_data_errors_that_name_the_file(framework, tmp_path, capsys):
    rng = np.random.default_rng(0)
    good = tmp_path / "good.npz"
    np.savez(good, x=rng.normal(size=(40, 4)).astype("float32"), y=np.arange(40) % 3)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[:300])
    wrong_keys = tmp_path / "wrong_keys.npz"
    np.savez(wrong_keys, a=np.zeros(3), b=np.zeros(3))
    objects = tmp_path / "objects.npz"
    np.savez(objects, x=np.array([object(), 1], dtype=object), y=np.zeros(2))
    mismatch = tmp_path / "mismatch.npz"
    np.savez(mismatch, x=np.zeros((10, 4), "float32"), y=np.zeros(7, "int64"))
    cases = {
        "truncated.npz": truncated,
        "wrong_keys.npz": wrong_keys,
        "objects.npz": objects,
        "mismatch.npz": mismatch,
        "missing.npz": tmp_path / "missing.npz",
        "binary.npz": _csv(tmp_path / "binary.npz", "\x00\x01garbage"),
    }
    for name, path in cases.items():
        error = _error(*_run(_project(), framework, tmp_path, capsys, "--data", str(path)))
        assert error["kind"] == "data" and name in error["message"], (name, error)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_bad_csv_tables_are_data_errors(framework, tmp_path, capsys):
    cases = {
        "empty.csv": ("", "no data rows"),
        "header_only.csv": ("a,b,c,d,label\n", "no data rows"),
        "one_row.csv": ("a,b,c,d,label\n1,2,3,4,x\n", "too few samples"),
        "text.csv": ("a,b,c,d,label\n" + "1,2,oops,4,x\n" * 20, "'oops' in column 3 is not a number"),
    }
    for name, (text, words) in cases.items():
        path = _csv(tmp_path / name, text)
        error = _error(*_run(_project("csv"), framework, tmp_path, capsys, "--data", str(path)))
        assert error["kind"] == "data" and name in error["message"] and words in error["message"], (name, error)


def test_a_learning_rate_that_makes_the_loss_nan_is_a_nan_error(tmp_path, capsys):
    rng = np.random.default_rng(0)
    path = tmp_path / "big.npz"
    np.savez(path, x=(rng.normal(size=(64, 4)) * 1e6).astype("float32"), y=np.arange(64) % 3)
    for framework in FRAMEWORKS:
        project = _project(learning_rate=10.0, optimizer="sgd", epochs=3)
        error = _error(*_run(project, framework, tmp_path, capsys, "--data", str(path), "--lr", "1e30"))
        assert error["kind"] == "nan", error
        assert "nan" in error["message"].lower() or "inf" in error["message"].lower()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_missing_gpu_is_a_device_error(framework, tmp_path, capsys):
    rng = np.random.default_rng(0)
    path = tmp_path / "d.npz"
    np.savez(path, x=rng.normal(size=(20, 4)).astype("float32"), y=np.arange(20) % 3)
    error = _error(*_run(_project(), framework, tmp_path, capsys, "--data", str(path), "--device", "cuda:7"))
    assert error["kind"] == "device" and "cuda:7" in error["message"]


class _Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_malicious_torch_checkpoint_never_runs_even_when_the_environment_allows_it(tmp_path, capsys, monkeypatch):
    import torch

    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.pt"
    torch.save({"model": _Payload(marker), "optimizer": {}, "epoch": 0, "step": 0}, evil)
    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")  # a setting copied from forum answers
    rng = np.random.default_rng(0)
    data = tmp_path / "d.npz"
    np.savez(data, x=rng.normal(size=(20, 4)).astype("float32"), y=np.arange(20) % 3)
    error = _error(*_run(_project(), "pytorch", tmp_path, capsys, "--data", str(data), "--resume", str(evil)))
    assert error["kind"] == "data" and "evil.pt" in error["message"]
    assert not marker.exists()


def test_a_keras_checkpoint_with_code_is_refused(tmp_path, capsys):
    import keras

    marker = tmp_path / "pwned"
    where = str(marker)
    inputs = keras.Input(shape=(4,))
    outputs = keras.layers.Lambda(lambda x: x * 1.0 + 0 * len(open(where, "w").name))(inputs)  # noqa: SIM115
    evil = tmp_path / "evil.keras"
    keras.Model(inputs, outputs).save(evil)
    marker.unlink(missing_ok=True)  # tracing the lambda while saving opened it
    (tmp_path / "evil.json").write_text(json.dumps({"epoch": 0, "step": 0}))
    rng = np.random.default_rng(0)
    data = tmp_path / "d.npz"
    np.savez(data, x=rng.normal(size=(20, 4)).astype("float32"), y=np.arange(20) % 3)
    error = _error(*_run(_project(), "tensorflow", tmp_path, capsys, "--data", str(data), "--resume", str(evil)))
    assert error["kind"] == "data" and "evil.keras" in error["message"]
    assert not marker.exists()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_nan_in_the_validation_data_is_detected_and_events_stay_json(framework, tmp_path, capsys):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 4)).astype("float32")
    path = tmp_path / "d.npz"
    np.savez(path, x=x, y=np.arange(60) % 3)
    project = _project(shuffle=False)
    ns = exec_source(generate(project, framework).source, "<val nan>")
    split = ns["split_data"]

    def poisoned(data, seed):  # NaN only where validation samples come from
        data = split(data, seed)
        data["x_val"] = np.full_like(data["x_val"], np.nan)
        return data

    ns["split_data"] = poisoned
    device = ["--device", "cpu"] if framework == "pytorch" else []
    code = ns["main"](["--out", str(tmp_path / "o"), "--progress", "jsonl", "--data", str(path), *device])
    lines = capsys.readouterr().out.splitlines()
    events = [json.loads(line) for line in lines if line.startswith("{")]  # NaN would not parse as JSON
    error = _error(code, events)
    assert error["kind"] == "nan" and "validation loss" in error["message"], error


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_bad_text_and_image_files_are_data_errors(framework, tmp_path, capsys):
    lm = chain(
        [
            ("input.tokens", {"steps": 8, "vocab_size": 30}),
            ("embedding", {"input_dim": 30, "output_dim": 4}),
            ("lstm", {"units": 4, "return_sequences": True}),
            ("dense", {"units": 30}),
        ],
        "output.classification",
    )
    lm.setup.update(dataset="text", epochs=1)
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    for name in ("empty.txt", "binary.txt"):
        error = _error(*_run(lm, framework, tmp_path, capsys, "--data", str(tmp_path / name)))
        assert error["kind"] == "data" and name in error["message"], error
    images = tmp_path / "images"
    for label in ("a", "b"):
        (images / label).mkdir(parents=True)
        (images / label / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    cnn = chain(
        [("input.image", {"channels": 1, "height": 4, "width": 4}), ("flatten", {}), ("dense", {"units": 2})],
        "output.classification",
    )
    cnn.setup.update(dataset="image_folder", epochs=1)
    error = _error(*_run(cnn, framework, tmp_path, capsys, "--data", str(images)))
    assert error["kind"] == "data" and "images" in error["message"], error


def test_pytorch_running_out_of_cpu_memory_is_an_oom_error(tmp_path, capsys):
    ns = exec_source(generate(_project(), "pytorch").source, "<cpu oom>")

    def run(args, control):
        raise RuntimeError(
            "[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: not enough memory: you tried to allocate 40 GB"
        )

    ns["run"] = run
    assert ns["main"](["--out", str(tmp_path), "--progress", "jsonl"]) == 1
    error = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert error["kind"] == "oom" and "batch size" in error["message"]
