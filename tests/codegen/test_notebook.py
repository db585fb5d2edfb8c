"""`layerlab export --format notebook`: the training script as an explained notebook that runs top to bottom."""

from __future__ import annotations

import json

import nbformat
import pytest
from codegen_helpers import EXAMPLES, example

from codegen.notebook import notebook


@pytest.mark.parametrize("name", ["digits_mlp", "transformer_classifier", "gan_moons", "multi_task_digits"])
@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_notebooks_are_valid_deterministic_and_in_order(name, framework):
    nb, problems = notebook(example(name), framework, str(EXAMPLES))
    assert not problems
    nbformat.validate(nb)
    assert nbformat.writes(nb) == nbformat.writes(notebook(example(name), framework, str(EXAMPLES))[0])
    headings = [c.source.split("\n")[0] for c in nb.cells if c.cell_type == "markdown"]
    assert headings[1:] == [
        "## 1. Setup",
        "## 2. The model",
        "## 3. Data",
        "## 4. Training",
        "## 5. The LayerLab app's protocol",
        "## 6. Train",
    ]
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "__main__" not in code and code.rstrip().endswith('main(["--out", "notebook_run"])')


def test_the_chinese_notebook_explains_in_chinese():
    nb, _ = notebook(example("digits_mlp"), "pytorch", str(EXAMPLES), lang="zh")
    headings = [c.source.split("\n")[0] for c in nb.cells if c.cell_type == "markdown"]
    assert headings[1:] == [
        "## 1. 设置",
        "## 2. 模型",
        "## 3. 数据",
        "## 4. 训练",
        "## 5. LayerLab 应用的通信部分",
        "## 6. 开始训练",
    ]


@pytest.mark.frameworks
@pytest.mark.slow
@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_the_digits_notebook_runs_top_to_bottom(framework, tmp_path, monkeypatch):
    """Executed with nbclient (a real Jupyter kernel): it trains and writes its weights."""
    from nbclient import NotebookClient

    nb, _ = notebook(example("digits_mlp"), framework, str(EXAMPLES), epochs=2)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "end:" in outputs and "test_accuracy" in outputs, outputs[-2000:]
    accuracy = float(outputs.split("test_accuracy ")[1].split(",")[0])
    assert accuracy > 0.8
    weights = "model.pt" if framework == "pytorch" else "model.keras"
    assert (tmp_path / "notebook_run" / weights).exists()
    assert json.loads((tmp_path / "notebook_run" / "checkpoint.json").read_text())["epoch"] == 2
