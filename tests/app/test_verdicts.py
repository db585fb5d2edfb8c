"""check, the editor and export give one verdict on a project: the same analysis decides all three.

Run over every example, over projects whose data do not fit (two Inputs, a head the dataset cannot
train, a text dataset on a vector input…) and over random graphs with random heads and datasets.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main as cli
from app.document import Document
from codegen import FRAMEWORKS, generate
from graph.examples import EXAMPLES, example_path
from graph.fileformat import load, save
from graph.model import GraphError
from graph.project import Project

pytestmark = pytest.mark.gui

DATA = Path(__file__).resolve().parents[2] / "resources" / "data"
DATASETS = [
    {"dataset": "digits"},
    {"dataset": "moons"},
    {"dataset": "spirals"},
    {"dataset": "npz", "dataset_path": str(DATA / "shapes_masks.npz")},
    {"dataset": "npz", "dataset_path": str(DATA / "shapes_denoise.npz")},
    {"dataset": "text_classes", "dataset_path": str(DATA / "sentences.csv")},
    {"dataset": "audio_folder", "dataset_path": str(DATA / "tones")},
    {"dataset": "text", "dataset_path": str(DATA / "nursery_rhymes.txt")},
    {"dataset": "npz", "dataset_path": ""},  # not described: a warning, no data checks
]
INPUTS = [
    ("input.vector", {"features": 2}),
    ("input.vector", {"features": 64}),
    ("input.image", {"channels": 1, "height": 8, "width": 8}),
    ("input.image", {"channels": 1, "height": 32, "width": 32}),
    ("input.signal", {"channels": 1, "length": 64}),
    ("input.tokens", {"steps": 16, "vocab_size": 40}),
]
MIDDLE = [
    ("flatten", {}),
    ("dense", {"units": 4}),
    ("dense", {"units": 1}),
    ("dense", {"units": 10}),
    ("relu", {}),
    ("conv2d", {"filters": 4, "padding": [1, 1, 1, 1]}),
    ("embedding", {"input_dim": 40, "output_dim": 4}),
    ("lstm", {"units": 4}),
    ("global_avg_pool", {}),
]
HEADS = ["output.classification", "output.binary", "output.multilabel", "output.regression"]


def verdicts(project: Project, tmp_path: Path, capsys) -> dict[str, bool]:
    """{'check': ok, 'editor': ok, 'export pytorch': ok, 'export tensorflow': ok} for one project file."""
    path = tmp_path / "project.json"
    save(project, path)
    out = {"check": cli(["check", str(path)]) == 0}
    doc = Document(Project())
    doc.open(str(path))
    out["editor"] = doc.analysis().ok
    for fw in FRAMEWORKS:
        out[f"export {fw}"] = cli(["export", str(path), "-f", fw, "-o", str(tmp_path / f"{fw}.py")]) == 0
        assert bool(generate(load(path), fw, str(tmp_path)).problems) == (not out[f"export {fw}"])
    capsys.readouterr()
    return out


def assert_agree(project, tmp_path, capsys) -> bool:
    v = verdicts(project, tmp_path, capsys)
    assert len(set(v.values())) == 1, v
    return v["check"]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_is_accepted_by_all_three(name, qapp, tmp_path, capsys):
    project = load(example_path(name))
    if project.setup["dataset_path"]:  # keep the bundled data reachable from the temporary folder
        project.setup["dataset_path"] = str((example_path(name).parent / project.setup["dataset_path"]).resolve())
    assert assert_agree(project, tmp_path, capsys)


def _chain(input_spec, layers, head, setup) -> Project:
    project = Project()
    project.setup.update(setup)
    g = project.graph
    prev = g.add_node(*input_spec).id
    for type_id, params in layers:
        node = g.add_node(type_id, params)
        g.connect(prev, "out", node.id, "in")
        prev = node.id
    g.connect(prev, "out", g.add_node(head).id, "in")
    return project


MISFITS = {
    "two_inputs_on_digits": None,
    "digits_with_regression_head": (INPUTS[2], [("flatten", {}), ("dense", {"units": 10})], "output.regression", 0),
    "digits_with_binary_head": (INPUTS[2], [("flatten", {}), ("dense", {"units": 1})], "output.binary", 0),
    "masks_with_regression_head": (
        INPUTS[3],
        [("conv2d", {"filters": 4, "padding": [1, 1, 1, 1]})],
        "output.regression",
        3,
    ),
    "denoise_with_classification": (
        INPUTS[3],
        [("conv2d", {"filters": 2, "padding": [1, 1, 1, 1]})],
        "output.classification",
        4,
    ),
    "text_on_vector_input": (INPUTS[1], [("dense", {"units": 4})], "output.classification", 5),
    "moons_multilabel": (INPUTS[0], [("dense", {"units": 2})], "output.multilabel", 1),
    "audio_wrong_classes": (INPUTS[4], [("global_avg_pool", {}), ("dense", {"units": 3})], "output.classification", 6),
}


@pytest.mark.parametrize("case", sorted(MISFITS))
def test_misfits_are_refused_by_all_three(case, qapp, tmp_path, capsys):
    spec = MISFITS[case]
    if spec is None:
        project = Project()  # the digits have one input and one target: two Inputs need named arrays
        project.setup.update(dataset="digits")
        g = project.graph
        a, b = g.add_node("input.vector", {"features": 3}), g.add_node("input.vector", {"features": 3})
        add, head = g.add_node("add"), g.add_node("output.regression")
        g.connect(a.id, "out", add.id, "in")
        g.connect(b.id, "out", add.id, "in")
        g.connect(add.id, "out", head.id, "in")
    else:
        inp, layers, head, data = spec
        project = _chain(inp, layers, head, DATASETS[data])
    assert not assert_agree(project, tmp_path, capsys)
    _same_message_everywhere(tmp_path / "project.json", capsys)


def _same_message_everywhere(path: Path, capsys) -> None:
    """The first error reads the same in check, in the Problems dock (message and fix) and in export."""
    from app.docks.problems import ProblemsDock

    doc = Document(Project())
    doc.open(str(path))
    first = doc.analysis().errors[0]
    dock = ProblemsDock(doc)
    rows = [
        (dock.tree.topLevelItem(i).text(1), dock.tree.topLevelItem(i).text(2))
        for i in range(dock.tree.topLevelItemCount())
    ]
    assert (first.message, first.fix) in rows
    assert first.fix, "a data mismatch comes with a fix"
    cli(["check", str(path)])
    assert first.message in capsys.readouterr().out
    cli(["export", str(path), "-o", str(path.with_suffix(".py"))])
    assert first.text() in capsys.readouterr().err
    dock.deleteLater()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.integers(0, len(INPUTS) - 1),
    st.lists(st.integers(0, len(MIDDLE) - 1), min_size=0, max_size=4),
    st.integers(0, len(HEADS) - 1),
    st.integers(0, len(DATASETS) - 1),
)
def test_random_projects_get_one_verdict(qapp, tmp_path_factory, capsys, inp, layers, head, data):
    try:
        project = _chain(INPUTS[inp], [MIDDLE[i] for i in layers], HEADS[head], DATASETS[data])
    except GraphError:  # an edge the graph refuses outright (types): nothing to compare
        return
    assert_agree(project, tmp_path_factory.mktemp("v"), capsys)
