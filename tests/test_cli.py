"""The headless command line: exit codes, messages, no tracebacks, no heavy imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app.cli import main
from graph.examples import EXAMPLES, example_path


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_check_exits_zero_on_every_example(name, capsys):
    assert main(["check", str(example_path(name))]) == 0
    out = capsys.readouterr().out
    assert "no problems found" in out or "warning" in out


def test_check_exits_one_and_names_the_node_on_shape_mismatch(tmp_path, capsys):
    doc = json.loads(example_path("digits_mlp").read_text(encoding="utf-8"))
    flatten = next(n for n in doc["nodes"] if n["type"] == "flatten")
    flatten.update(type="dense", params={"units": 16})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"error: {flatten['name']}:" in out and "insert Flatten" in out


@pytest.mark.parametrize("content", ["", '{"format": "layerlab-pro', "not json at all", "[]"])
def test_check_exits_two_on_unreadable_files_without_traceback(tmp_path, content):
    bad = tmp_path / "broken.json"
    bad.write_text(content, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "app", "check", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "broken.json" in proc.stderr


def test_layers_json_lists_at_least_30_types(capsys):
    assert main(["layers", "--json"]) == 0
    layers = json.loads(capsys.readouterr().out)
    assert len(layers) >= 30
    assert len({entry["type"] for entry in layers}) == len(layers)
    assert all(entry["name_zh"] and entry["summary_zh"] for entry in layers)


def test_summary_prints_a_keras_like_table(capsys):
    assert main(["summary", str(example_path("mnist_mlp"))]) == 0
    out = capsys.readouterr().out
    assert "Total params: 101,770" in out and "Layer (type)" in out


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in ("check", "layers", "summary"):
        assert name in out


def test_headless_commands_import_no_framework_or_qt():
    path = str(example_path("small_cnn"))
    code = (
        f"import sys; from app.cli import main; main(['check', {path!r}]);"
        "bad = [m for m in ('torch', 'tensorflow', 'PySide6') if m in sys.modules]; print(bad)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_check_warns_about_a_missing_dataset_file(tmp_path, capsys):
    doc = json.loads(example_path("char_lstm").read_text(encoding="utf-8"))
    doc["training"]["dataset_path"] = "no_such_text.txt"
    path = tmp_path / "lstm.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["check", str(path)]) == 0  # the model itself is valid…
    out = capsys.readouterr().out
    assert "warning: model: dataset file not found" in out and "no_such_text.txt" in out  # …its data is not


def test_titles_and_paths_cannot_drive_the_terminal(tmp_path):
    doc = json.loads(example_path("digits_mlp").read_text(encoding="utf-8"))
    doc["meta"]["title"] = "evil\x1b[2J\u202e\ud800"
    doc["training"]["dataset"] = "csv"
    doc["training"]["dataset_path"] = "\x1b]0;owned\x07.csv"
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    for command in ("summary", "check"):
        proc = subprocess.run([sys.executable, "-m", "app.cli", command, str(path)], capture_output=True)
        assert proc.returncode in (0, 1), proc.stderr.decode()
        out = proc.stdout + proc.stderr
        assert b"\x1b" not in out and "\u202e".encode() not in out and b"Traceback" not in out
    assert (
        b"\\x1b[2J"
        in subprocess.run([sys.executable, "-m", "app.cli", "summary", str(path)], capture_output=True).stdout
    )


def test_check_into_a_closed_pipe_ends_quietly(tmp_path):
    from graph.fileformat import save
    from graph.project import Project

    project = Project()  # 3,000 layers: far more output than a pipe buffers
    g = project.graph
    prev = g.add_node("input.vector", {"features": 4}).id
    for _ in range(3000):
        node = g.add_node("relu").id
        g.connect(prev, "out", node, "in")
        prev = node
    save(project, tmp_path / "long.json")
    proc = subprocess.run(
        f"{sys.executable} -m app.cli check {tmp_path / 'long.json'} | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert proc.stdout.count("\n") == 1 and "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


@pytest.mark.frameworks
@pytest.mark.parametrize("name,framework", [("audio_cnn", "pytorch"), ("text_classifier", "tf")])
def test_layerlab_train_runs_an_example_on_its_bundled_data(name, framework, tmp_path):
    """The README's `layerlab train`: writes the script, runs it in a child process, exit code is the script's."""
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "train",
            str(example_path(name)),
            "-f",
            framework,
            "--epochs",
            "1",
            "--out",
            str(out),
            "--progress",
            "jsonl",
            "--device",
            "cpu",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert events[-1]["event"] == "end" and 0.0 <= events[-1]["test_accuracy"] <= 1.0
    script = "train_pytorch.py" if framework == "pytorch" else "train_keras.py"
    assert (out / script).exists() and (out / ("vocab.json" if name == "text_classifier" else script)).exists()
