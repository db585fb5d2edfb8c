"""Hostile input at the graph level: names, numbers, sizes, special files, and saving that keeps the file."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.analysis import analyze
from graph.examples import digits_mlp
from graph.fileformat import ProjectFileError, dumps, load, loads, save
from graph.model import Graph, GraphError, name_problem
from graph.project import Project

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "name,char",
    [
        ("flat\n", "U+000A"),
        ("x\x7f", "U+007F"),
        ("a\u0085b", "U+0085"),
        ("\u009b[31m", "U+009B"),
        ("ab\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("a\u2028", "LINE SEPARATOR"),
        ("a\u2029", "PARAGRAPH SEPARATOR"),
        ("z\u200b", "ZERO WIDTH SPACE"),
        ("\ufeffname", "U+FEFF"),
        ("a\ud800", "lone surrogate"),
    ],
)
def test_invisible_and_control_characters_are_refused_by_name(name, char):
    assert char in name_problem(name)
    g = Graph()
    with pytest.raises(GraphError, match="cannot contain"):
        g.add_node("dense", name=name)
    doc = json.loads(dumps(digits_mlp()))
    doc["nodes"][1]["name"] = name
    with pytest.raises(ProjectFileError, match="cannot contain"):
        loads(json.dumps(doc))


def test_ordinary_names_in_any_script_pass():
    assert name_problem("隐藏层 1") is None and name_problem("conv-α") is None and name_problem("x" * 80) is None
    assert "at most 80" in name_problem("x" * 81)


@pytest.mark.parametrize("value", [10**30, -(10**400), 10**4000, 2**63])
def test_huge_integers_are_refused_with_a_message_in_every_field(value):
    doc = json.loads(dumps(digits_mlp()))
    for setter in (
        lambda d: d["nodes"][0]["params"].__setitem__("height", value),
        lambda d: d["training"].__setitem__("learning_rate", value),
        lambda d: d["training"].__setitem__("seed", value),
        lambda d: d["nodes"][0]["params"].__setitem__("width", value),
    ):
        d = json.loads(json.dumps(doc))
        setter(d)
        with pytest.raises(ProjectFileError) as err:
            loads(json.dumps(d))
        assert "digits" in str(err.value) or "must be" in str(err.value) or "too large" in str(err.value)


def test_a_reshape_to_an_astronomical_size_is_a_diagnostic_not_a_memory_error():
    project = Project()
    g = project.graph
    a = g.add_node("input.vector", {"features": 4})
    r = g.add_node("reshape", {"target_shape": [2, 2]})
    up = g.add_node("upsampling2d", {"scale": [64, 64]})
    h = g.add_node("output.regression")
    g.connect(a.id, "out", r.id, "in")
    g.connect(r.id, "out", up.id, "in")
    g.connect(up.id, "out", h.id, "in")
    img = g.add_node("input.image", {"channels": 4096, "height": 16384, "width": 16384})
    assert any(d.code == "too-large" for d in analyze(g).diagnostics if d.node_id == img.id)


def test_null_bytes_in_paths_are_refused_at_load():
    doc = json.loads(dumps(digits_mlp()))
    doc["training"]["dataset_path"] = "data\x00.csv"
    with pytest.raises(ProjectFileError, match="null character"):
        loads(json.dumps(doc))


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "/dev/urandom", "folder"])
def test_special_files_as_projects_are_refused_at_once(special, tmp_path):
    if special == "fifo":
        special = tmp_path / "pipe.json"
        os.mkfifo(special)
    elif special == "folder":
        special = tmp_path
    start = time.perf_counter()
    with pytest.raises(ProjectFileError, match="not a regular file"):
        load(special)
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_special_files_as_datasets_are_described_as_problems(special, tmp_path):
    if special == "fifo":
        special = str(tmp_path / "pipe.csv")
        os.mkfifo(special)
    project = digits_mlp()
    project.setup.update(dataset="csv", dataset_path=special)
    info, problem = project.dataset_info()
    assert info is None and "not a regular file" in problem


def test_a_large_csv_is_described_from_a_bounded_sample(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("a,b,label\n")
        fh.write("1.5,2.5,x\n2.5,1.5,y\n" * 400_000)  # 800,000 rows, 16 MB
    project = digits_mlp()
    project.setup.update(dataset="csv", dataset_path=str(path))
    start = time.perf_counter()
    info, problem = project.dataset_info()
    assert problem is None and info.num_classes == 2
    assert 700_000 < info.num_samples < 900_000  # estimated from the first 200,000 rows
    assert time.perf_counter() - start < 5


def test_saving_keeps_mode_and_symlink_and_cleans_stale_temp_files(tmp_path):
    real = tmp_path / "real.json"
    save(digits_mlp(), real)
    os.chmod(real, 0o644)
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    stale = tmp_path / ".real.json.999999999.abcd.layerlab-tmp"  # a save killed before its rename
    stale.write_text("half", encoding="utf-8")
    project = digits_mlp()
    project.meta["title"] = "changed"
    save(project, link)
    assert link.is_symlink() and load(link).meta["title"] == "changed"
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_a_killed_save_leaves_the_old_or_the_new_file_and_the_next_save_leaves_no_temp(tmp_path):
    path = tmp_path / "p.json"
    save(digits_mlp(), path)
    old = path.read_bytes()
    code = (
        "import sys, os, signal\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from graph import fileformat\n"
        "from graph.examples import small_cnn\n"
        "real_replace = os.replace\n"
        "def die(*a): os.kill(os.getpid(), signal.SIGKILL)\n"
        "fileformat.os.replace = die\n"
        f"fileformat.save(small_cnn(), {str(path)!r})\n"
    )
    for _ in range(3):
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
        assert proc.returncode == -9
    assert path.read_bytes() == old
    assert len(list(tmp_path.glob("*.layerlab-tmp"))) == 1  # each save removed the temp of the one killed before
    save(digits_mlp(), path)
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]


def test_an_unnamed_ten_thousand_layer_chain_checks_and_exports_quickly(tmp_path):
    start = time.perf_counter()
    g = Graph()
    prev = g.add_node("input.vector", {"features": 4}).id
    for _ in range(10_000):
        node = g.add_node("dense", {"units": 4}).id
        g.connect(prev, "out", node, "in")
        prev = node
    g.connect(prev, "out", g.add_node("output.regression").id, "in")
    assert g.node(prev).name == "dense_9999"
    assert analyze(g).ok
    assert time.perf_counter() - start < 10  # it took 18 s when unique_name searched from _1 every time
