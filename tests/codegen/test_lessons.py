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
