"""generate(): the GUI contract, determinism, speed, problems, injection safety, ruff cleanliness."""

from __future__ import annotations

import ast
import subprocess
import sys
import time

import pytest
from codegen_helpers import EXAMPLE_NAMES, ROOT, chain, example, no_data_project
from codegen_helpers import tool as _tool

from codegen import FRAMEWORKS, GeneratedCode, generate
from codegen.backend import KERAS, TORCH
from graph.catalog import default_catalog


def test_contract():
    code = generate(example("digits_mlp"), "pytorch")
    assert isinstance(code, GeneratedCode)
    assert FRAMEWORKS == ("pytorch", "tensorflow")
    assert code.framework == "pytorch" and code.problems == []
    lines = code.source.splitlines()
    project = example("digits_mlp")
    for node_id, ranges in code.node_lines.items():
        assert node_id in project.graph
        for first, last in ranges:
            assert 1 <= first <= last <= len(lines)
    # the hidden Dense layer's lines mention its identifier
    hidden = project.graph.find_by_name("hidden").id
    text = "\n".join(lines[a - 1 : b][0] for a, b in code.node_lines[hidden])
    assert "hidden" in text


@pytest.mark.parametrize("alias,framework", [("torch", "pytorch"), ("tf", "tensorflow"), ("keras", "tensorflow")])
def test_aliases(alias, framework):
    assert generate(example("digits_mlp"), alias).framework == framework


def test_every_catalog_layer_has_both_renderers():
    for spec in default_catalog():
        if not spec.is_head:
            assert spec.type_id in TORCH, spec.type_id
            assert spec.type_id in KERAS, spec.type_id


def test_generate_imports_no_framework():
    code = (
        "import sys\nfrom codegen import generate\nfrom graph.fileformat import load\n"
        f"p = load({str(ROOT / 'resources/examples/small_cnn.json')!r})\n"
        "generate(p, 'pytorch'); generate(p, 'tensorflow')\n"
        "bad = [m for m in ('torch', 'tensorflow', 'keras') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_deterministic(framework):
    assert generate(example("two_branch"), framework).source == generate(example("two_branch"), framework).source


def test_invalid_graph_gives_stub_with_problems():
    project = no_data_project()
    g = project.graph
    g.add_node("dense")  # unconnected, no input, no head
    for fw in FRAMEWORKS:
        code = generate(project, fw)
        assert code.problems
        ast.parse(code.source)
        assert "sys.exit" in code.source
    assert generate(no_data_project(), "pytorch").problems  # empty graph


def test_fifty_nodes_under_50ms():
    layers = [("input.vector", {"features": 16})]
    for _ in range(24):
        layers += [("dense", {"units": 16}), ("relu", {})]
    project = chain(layers + [("dense", {"units": 1})])
    assert len(project.graph) >= 50
    for fw in FRAMEWORKS:
        generate(project, fw)
        start = time.perf_counter()
        generate(project, fw)
        assert time.perf_counter() - start < 0.05


EVIL = "x\"); __import__('os').system('echo pwned') #\n\"\"\"\\"


def evil_project():
    project = chain([("input.vector", {"features": 4}), ("dense", {"units": 3}), ("dense", {"units": 1})])
    g = project.graph
    for i, node in enumerate(g.nodes()):
        g.rename(node.id, (EVIL + str(i)).replace("\n", " "))
    project.meta["title"] = EVIL
    project.setup["dataset_path"] = EVIL
    return project


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_user_text_never_becomes_code(framework):
    source = generate(evil_project(), framework).source
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "__import__"
        if isinstance(node, ast.Attribute):
            assert node.attr != "system"
    # the dataset path survives, as a string constant only
    consts = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert EVIL in consts


def dataset_variants() -> dict:
    """Projects whose scripts differ from the examples': samples in misclassified, binary 2-D maps, regression."""

    def project(dataset, layers, head):
        p = chain(layers, head=head)
        p.setup.update(dataset=dataset, dataset_path="")
        return p

    vector = [("input.vector", {"features": 4}), ("dense", {"units": 3})]
    point = [("input.vector", {"features": 2}), ("dense", {"units": 1})]
    flat = [("flatten", {}), ("dense", {"units": 2})]
    return {
        "csv_classes": project("csv", vector, "output.classification"),
        "npz_binary_points": project("npz", point, "output.binary"),
        "npz_regression": project("npz", vector, "output.regression"),
        "rgb_folder": project(
            "image_folder", [("input.image", {"channels": 3, "height": 8, "width": 8}), *flat], "output.classification"
        ),
        "gray_folder": project(
            "image_folder", [("input.image", {"channels": 1, "height": 8, "width": 8}), *flat], "output.classification"
        ),
    }


def test_scripts_pass_ruff(tmp_path):
    """Every script, and every golden file, passes ruff check and ruff format with the project's configuration."""
    projects = {name: example(name) for name in EXAMPLE_NAMES}
    projects["evil"] = evil_project()
    projects.update(dataset_variants())
    for name, project in projects.items():
        for fw in FRAMEWORKS:
            code = generate(project, fw)
            assert not code.problems, (name, code.problems)
            (tmp_path / f"{name}_{fw}.py").write_text(code.source)
    for golden in (ROOT / "tests" / "golden").glob("*.py"):
        (tmp_path / f"golden_{golden.name}").write_text(golden.read_text(encoding="utf-8"))
    ruff, config = _tool("ruff"), ["--config", str(ROOT / "pyproject.toml")]
    # The project's configuration excludes tests/golden; the copies here are checked like any script.
    check = subprocess.run([ruff, "check", *config, str(tmp_path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run([ruff, "format", *config, "--check", "--diff", str(tmp_path)], capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
