"""Project files: round trips, strict loading with clear messages, atomic saves, hostile input."""

from __future__ import annotations

import contextlib
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import fileformat
from graph.examples import EXAMPLES, example_path
from graph.fileformat import ProjectFileError, dumps, load, loads, save


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_examples_are_up_to_date_and_round_trip(name, tmp_path):
    text = example_path(name).read_text(encoding="utf-8")
    assert text == dumps(EXAMPLES[name]()), "run `python -m graph.examples` to regenerate"
    project = load(example_path(name))
    out = tmp_path / "copy.json"
    save(project, out)
    assert out.read_text(encoding="utf-8") == text  # save → load → save is byte-identical
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_save_is_atomic_when_writing_fails(tmp_path, digits_project, monkeypatch):
    target = tmp_path / "p.json"
    target.write_text("previous contents", encoding="utf-8")

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(fileformat.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        save(digits_project, target)
    assert target.read_text(encoding="utf-8") == "previous contents"
    assert os.listdir(tmp_path) == ["p.json"]


def doc_of(project) -> dict:
    return json.loads(dumps(project))


@pytest.mark.parametrize(
    ("mutate", "where", "message"),
    [
        (lambda d: d.update(version=99), "version", "newer LayerLab"),
        (lambda d: d.update(format="other"), "format", "not a LayerLab project"),
        (lambda d: d["nodes"][2].update(type="dense9"), "nodes[2].type", "unknown layer type"),
        (lambda d: d["nodes"][2]["params"].update(units="128"), "nodes[2].params.units", "must be an integer"),
        (lambda d: d["nodes"][2]["params"].update(units=10**40), "nodes[2].params.units", "must be ≤"),
        (lambda d: d["nodes"][2].update(colour="red"), "nodes[2].colour", "unknown field"),
        (lambda d: d["nodes"][1].update(id=d["nodes"][0]["id"]), "nodes[1].id", "duplicate node id"),
        (lambda d: d["edges"][0].update({"from": ["nX", "out"]}), "edges[0].from", "no node with id"),
        (
            lambda d: d["edges"].append({"from": [d["nodes"][3]["id"], "out"], "to": [d["nodes"][1]["id"], "in"]}),
            "edges[4]",
            "already connected",
        ),
        (lambda d: d["training"].update(batch_size=0), "training.batch_size", "must be ≥ 1"),
        (lambda d: d["training"].update(optimizer="magic"), "training.optimizer", "must be one of"),
        (lambda d: d.pop("nodes"), "nodes", "missing"),
    ],
)
def test_malformed_documents_name_the_field(digits_project, mutate, where, message):
    doc = doc_of(digits_project)
    mutate(doc)
    with pytest.raises(ProjectFileError) as info:
        loads(json.dumps(doc), source="model.json")
    err = info.value
    assert err.where == where
    assert message in err.message
    assert str(err).startswith("model.json: ")


def test_cycle_in_file_is_refused(digits_project):
    doc = doc_of(digits_project)
    ids = [n["id"] for n in doc["nodes"]]
    doc["nodes"].append({"id": "a1", "type": "add", "name": "a1", "params": {}, "pos": [0, 0]})
    doc["nodes"].append({"id": "a2", "type": "add", "name": "a2", "params": {}, "pos": [0, 0]})
    doc["edges"] += [
        {"from": [ids[0], "out"], "to": ["a1", "in"]},
        {"from": ["a1", "out"], "to": ["a2", "in"]},
        {"from": ["a2", "out"], "to": ["a1", "in"]},
    ]
    with pytest.raises(ProjectFileError, match="cycle"):
        loads(json.dumps(doc))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("{", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"format": "layerlab-project", "version": 1, "nodes": [], "edges": [], "x": NaN}', "NaN is not allowed"),
        ('{"a": 1, "a": 2}', "duplicate key"),
        ("[" * 100000 + "]" * 100000, "nested too deeply"),
        (b"\xff\xfe\x00", "invalid UTF-8"),
    ],
)
def test_unparseable_text_gives_a_clear_error(text, message):
    with pytest.raises(ProjectFileError, match=message):
        loads(text, source="f.json")


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(ProjectFileError, match="cannot read the file") as info:
        load(tmp_path / "nope.json")
    assert "nope.json" in str(info.value)


def test_future_versions_go_through_migrations(digits_project, monkeypatch):
    doc = doc_of(digits_project)
    doc["version"] = 0  # pretend an old version: a migration must turn it into version 1
    monkeypatch.setitem(fileformat.MIGRATIONS, 0, lambda d: {**d, "meta": {**d["meta"], "migrated": "yes"}})
    with pytest.raises(ProjectFileError, match="positive integer"):
        loads(json.dumps(doc))  # version 0 is not a valid version number…
    monkeypatch.setattr(fileformat, "VERSION", 2)
    monkeypatch.setitem(fileformat.MIGRATIONS, 1, lambda d: {**d, "meta": {**d["meta"], "migrated": "yes"}})
    doc["version"] = 1
    project = loads(json.dumps(doc))  # …but version 1 files migrate to the (pretend) current version 2
    assert project.meta["migrated"] == "yes"


# ----------------------------------------------------------------------------- hostile input
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)


def _mutations(doc: dict):
    """Strategies that damage a valid document in one place."""
    paths = []

    def walk(obj, path):
        paths.append(path)
        if isinstance(obj, dict):
            for k, v in obj.items():
                walk(v, (*path, k))
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                walk(v, (*path, i))

    walk(doc, ())
    return st.sampled_from(paths), json_values


def _set(doc, path, value):
    if not path:
        return value
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


BASE = json.loads(example_path("small_cnn").read_text(encoding="utf-8"))
PATHS, VALUES = _mutations(BASE)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=PATHS, value=VALUES)
def test_damaged_documents_load_or_fail_cleanly(path, value):
    doc = _set(json.loads(json.dumps(BASE)), path, value)
    try:
        project = loads(json.dumps(doc), source="fuzz.json")
    except ProjectFileError as err:
        assert str(err).startswith("fuzz.json")
    else:
        assert dumps(project)  # whatever loaded must save again


@settings(max_examples=800, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(json.dumps(BASE)) - 1))
def test_truncated_documents_fail_cleanly(cut):
    with pytest.raises(ProjectFileError):
        loads(json.dumps(BASE)[:cut], source="cut.json")


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200) | json_values.map(json.dumps))
def test_random_bytes_never_crash(data):
    with contextlib.suppress(ProjectFileError):
        loads(data, source="random")
