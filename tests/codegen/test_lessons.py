"""The bundled lessons: their files are up to date, and what their text claims is measured again."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from codegen_helpers import ROOT

from codegen import generate
from graph.fileformat import dumps, load
from graph.lessons import LESSONS, VANISHING, VANISHING_MEASURED, lesson_steps

pytestmark = pytest.mark.frameworks


@pytest.mark.parametrize("key", sorted(LESSONS))
def test_lesson_files_are_up_to_date_and_the_steps_are_in_both_languages(key):
    lesson = LESSONS[key]
    for variant, build in lesson.variants.items():
        assert lesson.path(variant).read_text(encoding="utf-8") == dumps(build()), "run python -m graph.lessons"
    en, zh = lesson_steps(lesson, "en"), lesson_steps(lesson, "zh_CN")
    assert len(en) == len(zh) >= 3 and not any("{" in s for s in en + zh)


def _first_layer_gradient(variant: str, framework: str, tmp_path) -> float:
    project = load(VANISHING.path(variant))
    script = tmp_path / f"{variant}_{framework}.py"
    script.write_text(generate(project, framework, str(VANISHING.path(variant).parent)).source)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = tmp_path / f"out_{variant}_{framework}"
    cmd = [sys.executable, str(script), "--out", str(out), "--progress", "jsonl", "--device", "cpu"]
    proc = subprocess.run([*cmd, "--inspect", "--epochs", "0"], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    first = next(json.loads(x) for x in proc.stdout.splitlines() if '"inspect"' in x)
    return first["grad_norms"]["hidden1"]


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_the_sigmoid_networks_first_layer_gradient_is_far_below_the_relu_ones(framework, tmp_path):
    sigmoid = _first_layer_gradient("sigmoid", framework, tmp_path)
    relu = _first_layer_gradient("relu", framework, tmp_path)
    assert relu >= 10 * sigmoid  # the bar; measured ≈ 4,400×
    stated = VANISHING_MEASURED["relu"] / VANISHING_MEASURED["sigmoid"]
    assert stated / 2 <= relu / sigmoid <= stated * 2  # the lesson's figures are what the code measures
    assert f"{stated:,.0f}" in lesson_steps(VANISHING)[2]


def _run(lesson_key: str, variant: str, tmp_path, *args) -> list[dict]:
    lesson = LESSONS[lesson_key]
    project = load(lesson.path(variant))
    script = tmp_path / f"{variant}.py"
    script.write_text(generate(project, "pytorch", str(lesson.path(variant).parent)).source)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, str(script), "--out", str(tmp_path / variant), "--progress", "jsonl", "--device", "cpu"]
    proc = subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, timeout=300)
    return [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]


def test_why_flatten_starts_with_the_problem_its_fix_solves():
    from graph.analysis import analyze

    lesson = LESSONS["why_flatten"]
    project = load(lesson.path("start"))
    g = project.graph
    info = project.dataset_info(str(lesson.path("start").parent))[0]
    (error,) = analyze(g, info).errors
    assert error.action is not None and error.action.get("type") == "flatten"  # the one-click fix
    dense = g.node(error.action.node_id)
    edge = g.in_edges(dense.id)[0]
    g.disconnect(edge)
    flat = g.add_node("flatten")
    g.connect(edge.src, edge.src_port, flat.id, "in")
    g.connect(flat.id, "out", dense.id, "in")
    assert not analyze(g, info).errors


def test_a_learning_rate_too_high_stops_with_a_non_finite_loss_and_a_good_one_learns(tmp_path):
    events = _run("learning_rate", "too_high", tmp_path, "--epochs", "3")
    assert any(e["event"] == "error" and e["kind"] == "nan" for e in events)
    good = [e for e in _run("learning_rate", "good", tmp_path, "--epochs", "5") if e["event"] == "epoch"]
    assert good[-1]["loss"] < good[0]["loss"] / 2


def test_dropout_keeps_the_validation_loss_lower_than_the_network_that_overfits(tmp_path):
    plain = [e["val_loss"] for e in _run("overfitting_dropout", "plain", tmp_path) if e["event"] == "epoch"]
    dropout = [e["val_loss"] for e in _run("overfitting_dropout", "dropout", tmp_path) if e["event"] == "epoch"]
    assert plain.index(min(plain)) < len(plain) - 10 and plain[-1] > min(plain)  # it rises after its minimum
    assert dropout[-1] < plain[-1]
