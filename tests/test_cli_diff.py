"""``layerlab diff A B``: a readable report; exit 0 equal, 1 different, 2 unreadable."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from graph.examples import example_path


@pytest.fixture
def pair(tmp_path):
    doc = json.loads(example_path("small_cnn").read_text(encoding="utf-8"))
    a = tmp_path / "a.json"
    a.write_text(json.dumps(doc), encoding="utf-8")
    conv = next(n for n in doc["nodes"] if n["name"] == "conv1")
    conv["params"]["filters"] = 8
    dropout = next(n for n in doc["nodes"] if n["type"] == "dropout")
    doc["nodes"].remove(dropout)
    doc["edges"] = [e for e in doc["edges"] if dropout["id"] not in (e["from"][0], e["to"][0])]
    doc["training"]["epochs"] = doc["training"].get("epochs", 1) + 1
    b = tmp_path / "b.json"
    b.write_text(json.dumps(doc), encoding="utf-8")
    return a, b


def test_equal_files_exit_zero(pair, capsys):
    a, _ = pair
    assert main(["diff", str(a), str(a)]) == 0
    assert "no differences" in capsys.readouterr().out


def test_different_files_exit_one_and_say_what_changed(pair, capsys):
    a, b = pair
    assert main(["diff", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert "layers removed (1):" in out and "- dropout (dropout)" in out
    assert "conv1: filters: 16 → 8" in out
    assert "connections removed (2):" in out and "training setup (1):" in out and "epochs:" in out


def test_unreadable_file_exits_two(pair, tmp_path, capsys):
    a, _ = pair
    bad = tmp_path / "broken.json"
    bad.write_text("not json", encoding="utf-8")
    assert main(["diff", str(a), str(bad)]) == 2
    assert "broken.json" in capsys.readouterr().err
    assert main(["diff", str(tmp_path / "missing.json"), str(a)]) == 2


def test_help_lists_diff(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "diff" in capsys.readouterr().out


def test_summary_shows_flops_and_memory(capsys):
    assert main(["summary", str(example_path("mnist_mlp"))]) == 0
    out = capsys.readouterr().out
    assert "Total params: 101,770" in out and "FLOPs per sample: 203,540" in out
    assert "Activation memory:" in out and "for a batch of" in out
