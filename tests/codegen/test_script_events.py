"""The protocol additions the app's trainer uses: lr, boundary maps, confusion matrices, misclassified
samples, checkpoint.json, --tensorboard, error kinds, --generate-only and an offline MNIST download.

One subprocess run per framework (the spiral example) checks most events at once; the rest runs the
generated ``main()`` in this process, which is much faster.
"""

from __future__ import annotations

import json
import urllib.request

import numpy as np
import pytest
from codegen_helpers import EXAMPLES, chain, example
from test_scripts_run import _run

from codegen import generate
from codegen.verify import exec_source

pytestmark = pytest.mark.frameworks


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_spiral_run_reports_lr_boundary_confusion_and_checkpoint(framework, tmp_path):
    logdir = tmp_path / "tb"
    proc, events, out = _run(example("spiral"), framework, tmp_path, "--epochs", "2", "--tensorboard", str(logdir))
    assert proc.returncode == 0, proc.stderr[-3000:]
    by_kind = {}
    for e in events:
        by_kind.setdefault(e["event"], []).append(e)
    start, end = by_kind["start"][0], by_kind["end"][0]
    assert start["device"] == ("cpu" if framework == "pytorch" else "/CPU:0")

    assert all(e["lr"] == pytest.approx(0.01) for e in by_kind["batch"] + by_kind["epoch"])
    assert [e["epoch"] for e in by_kind["epoch"]] == [1, 2]

    maps = by_kind["boundary"]
    assert maps and maps[-1]["epoch"] == 2 and maps[-1]["step"] == 2 * start["steps_per_epoch"]
    for m in maps:
        assert m["shape"] == [50, 50] and m["classes"] == 2 and len(m["values"]) == 2500
        assert set(m["values"]) <= {0, 1}
        assert m["x_range"][0] < -0.9 and m["x_range"][1] > 0.9  # the spiral spans about ±1, plus a margin
    assert len({m["step"] for m in maps}) == len(maps)  # never the same map twice

    confusion = np.array(end["confusion"])
    n_test = 200  # 1000 samples, test split 0.2
    assert confusion.shape == (2, 2) and confusion.sum() == n_test
    assert np.trace(confusion) / n_test == pytest.approx(end["test_accuracy"], abs=1e-6)
    assert "classes" not in end  # synthetic data: no class names
    wrong = end["misclassified"]
    assert len(wrong) == min(48, n_test - np.trace(confusion))
    assert all(0 <= s["index"] < n_test and s["label"] != s["predicted"] and "x" not in s for s in wrong)

    assert json.loads((out / "checkpoint.json").read_text()) == {"epoch": 2, "step": end_step(events)}
    if "tensorboard" in by_kind:  # only with the tensorboard package installed
        assert by_kind["tensorboard"][0]["logdir"] == str(logdir) and logdir.exists()
    else:
        assert "pip install tensorboard" in proc.stderr


def end_step(events):
    return max(e["step"] for e in events if "step" in e)


def test_generate_only_samples_from_a_checkpoint(tmp_path, capsys):
    import torch

    ns = exec_source(generate(example("char_lstm"), "pytorch", str(EXAMPLES)).source, "<generate-only>")
    torch.manual_seed(0)
    model = ns["Model"]()
    optimizer = ns["make_optimizer"](model, 0.01)
    ns["save_checkpoint"](model, optimizer, {"epoch": 3, "step": 30}, tmp_path)
    argv = ["--out", str(tmp_path / "out"), "--progress", "jsonl", "--device", "cpu", "--resume"]
    argv += [str(tmp_path / "checkpoint.pt"), "--generate-only", "--prompt", "Mary", "--temperature", "0.5"]
    assert ns["main"](argv) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["event"] for e in events] == ["text"]  # no training, no evaluation
    text = events[0]
    assert text["prompt"] == "Mary" and text["temperature"] == 0.5
    assert text["text"].startswith("Mary") and len(text["text"]) == len("Mary") + 200
    assert not (tmp_path / "out" / "model.pt").exists()


def _npz_project():
    """4 features, 3 classes, no dataset file yet (the tests pass --data)."""
    project = chain([("input.vector", {"features": 4}), ("dense", {"units": 3})], "output.classification")
    project.setup.update(epochs=1, batch_size=8)
    return project


def _main(framework, tmp_path, capsys, data):
    """Run the generated script's main() here on the .npz file ``data``: (exit code, events)."""
    ns = exec_source(generate(_npz_project(), framework).source, f"<{framework} main>")
    device = ["--device", "cpu"] if framework == "pytorch" else []  # Keras: devices are fixed once TF runs
    code = ns["main"](
        ["--out", str(tmp_path / f"out_{framework}"), "--progress", "jsonl", *device, "--data", str(data)]
    )
    lines = capsys.readouterr().out.splitlines()
    return code, [json.loads(line) for line in lines if line.startswith("{")]


def _write_npz(path, x, y):
    np.savez(path, x=x, y=y)
    return path


def test_npz_run_reports_misclassified_samples_with_inputs(tmp_path, capsys):
    rng = np.random.default_rng(0)
    path = _write_npz(tmp_path / "d.npz", rng.normal(size=(60, 4)).astype("float32"), rng.integers(0, 3, 60))
    code, events = _main("pytorch", tmp_path, capsys, path)
    assert code == 0
    end = events[-1]
    assert end["event"] == "end" and np.array(end["confusion"]).sum() == 12
    assert end["misclassified"] and all(len(s["x"]) == 4 for s in end["misclassified"])
    assert "boundary" not in {e["event"] for e in events}  # 4 features: no map


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_failures_are_error_events_with_a_kind(framework, tmp_path, capsys):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 40)
    cases = {
        "data": tmp_path / "missing.npz",
        "shape": _write_npz(tmp_path / "wide.npz", rng.normal(size=(40, 5)).astype("float32"), y),
    }
    if framework == "pytorch":  # Keras reports a NaN loss the same way, after fit() (slower)
        cases["nan"] = _write_npz(tmp_path / "nan.npz", np.full((40, 4), np.nan, dtype="float32"), y)
    for kind, path in cases.items():
        code, events = _main(framework, tmp_path, capsys, path)
        assert code == 1, kind
        error = events[-1]
        assert error["event"] == "error" and error["kind"] == kind, error
        assert error["message"]
        if kind == "data":
            assert "missing.npz" in error["message"]


def test_out_of_memory_is_an_error_event(tmp_path, capsys):
    ns = exec_source(generate(_npz_project(), "pytorch").source, "<oom>")

    def run(args, control):
        raise MemoryError("cannot allocate 4 GiB")

    ns["run"] = run
    assert ns["main"](["--out", str(tmp_path), "--progress", "jsonl"]) == 1
    error = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert error["kind"] == "oom" and "batch size" in error["message"]


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_mnist_download_gives_up_quickly_offline(framework, tmp_path, monkeypatch):
    calls = []

    def offline(url, timeout=None):
        calls.append(timeout)
        raise urllib.request.URLError("no network")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    ns = exec_source(generate(example("mnist_mlp"), framework).source, f"<mnist {framework}>")
    with pytest.raises(ns["DataError"], match="could not be downloaded.*no network.*--data PATH"):
        ns["load_data"](str(tmp_path / "cache" / "mnist.npz"))
    assert calls == [10]
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_targets_that_do_not_fit_the_output_stop_with_a_data_error(framework, tmp_path, capsys):
    """Before training, each script compares its targets with its own model's output and names both shapes."""
    from dense_models import autoencoder

    project = autoencoder(size=8, channels=1)
    project.setup.update(epochs=1, batch_size=8)
    rng = np.random.default_rng(0)
    path = tmp_path / "two_maps.npz"
    np.savez(path, x=rng.random((30, 1, 8, 8), dtype="float32"), y=rng.random((30, 2, 8, 8), dtype="float32"))
    ns = exec_source(generate(project, framework).source, f"<{framework} misfit>")
    device = ["--device", "cpu"] if framework == "pytorch" else []
    code = ns["main"](["--out", str(tmp_path / "out"), "--progress", "jsonl", *device, "--data", str(path)])
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert code == 1
    error = events[-1]
    assert error["event"] == "error" and error["kind"] == "data", error
    output = "(1, 8, 8)" if framework == "pytorch" else "(8, 8, 1)"
    assert f"model's output {output}" in error["message"] and "(2, 8, 8)" in error["message"], error["message"]
    assert not [e for e in events if e["event"] == "start"]  # stopped before training


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_labels_outside_the_class_range_are_a_data_error(framework, tmp_path, capsys):
    rng = np.random.default_rng(0)
    path = _write_npz(tmp_path / "labels.npz", rng.normal(size=(40, 4)).astype("float32"), np.arange(40) % 7)
    code, events = _main(framework, tmp_path, capsys, path)
    assert code == 1
    assert events[-1]["kind"] == "data" and "class labels must be 0…2" in events[-1]["message"]


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_text_classes_from_a_folder_with_word_tokens_save_their_vocabulary(framework, tmp_path, capsys):
    texts = {
        "pos": ["a good happy day", "good fun and joy", "happy happy good"] * 4,
        "neg": ["a bad sad day", "bad rain and gloom", "sad sad bad"] * 4,
    }
    for label, items in texts.items():
        (tmp_path / "data" / label).mkdir(parents=True)
        for i, text in enumerate(items):
            (tmp_path / "data" / label / f"{i}.txt").write_text(text, encoding="utf-8")
    project = chain(
        [
            ("input.tokens", {"steps": 6, "vocab_size": 20}),
            ("embedding", {"input_dim": 20, "output_dim": 4}),
            ("gru", {"units": 4}),
            ("dense", {"units": 2}),
        ],
        "output.classification",
    )
    project.setup.update(
        dataset="text_classes", dataset_path=str(tmp_path / "data"), tokens="word", epochs=2, batch_size=4
    )
    assert not generate(project, framework).problems
    ns = exec_source(generate(project, framework).source, f"<{framework} text classes>")
    device = ["--device", "cpu"] if framework == "pytorch" else []
    out = tmp_path / "out"
    assert ns["main"](["--out", str(out), "--progress", "jsonl", *device]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert events[-1]["event"] == "end" and events[-1]["classes"] == ["neg", "pos"]
    vocab = json.loads((out / "vocab.json").read_text(encoding="utf-8"))
    assert vocab[:2] == ["<pad>", "<unk>"] and {"good", "bad", "happy", "sad"} <= set(vocab)
    x = ns["encode"](["good day", "unheard-of"], vocab)
    assert x.shape == (2, 6) and x[0, -1] == vocab.index("day") and x[1, -1] == 1 and x[1, 0] == 0


def test_wav_files_are_resampled_and_fitted_to_the_signal_length(tmp_path):
    import wave

    ns = exec_source(generate(example("audio_cnn"), "pytorch", str(EXAMPLES)).source, "<audio>")
    path = tmp_path / "tone.wav"
    with wave.open(str(path), "wb") as w:  # 0.1 s of a 16 kHz stereo sine
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(16000)
        tone = (np.sin(np.arange(1600) / 5.0) * 20000).astype("<i2")
        w.writeframes(np.repeat(tone, 2).tobytes())
    samples = ns["read_wav"](path)
    assert len(samples) == 800 and np.abs(samples).max() <= 1.0  # 8 kHz mono
    fitted = ns["fit_length"](samples, 2000)
    assert len(fitted) == 2000 and not fitted[800:].any()
    path.write_bytes(b"RIFF....not a wave")
    with pytest.raises(ns["DataError"], match="tone.wav"):
        ns["read_wav"](path)
