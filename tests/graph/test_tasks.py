"""Tasks as data: what each head needs, what each dataset provides, and the match between them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graph.catalog import default_catalog
from graph.datasets import DatasetError, describe, npz_headers
from graph.tasks import target_need
from graph.tensors import image, sequence, tokens, vector

DATA = Path(__file__).resolve().parents[2] / "resources" / "data"
HEADS = {spec.type_id: spec.head for spec in default_catalog() if spec.is_head}


def need(head: str, t):
    return target_need(HEADS[head], t)


def test_every_head_declares_its_targets_loss_and_metric():
    assert set(HEADS) >= {"output.classification", "output.binary", "output.multilabel", "output.regression"}
    for head in HEADS.values():
        assert head.targets in ("labels", "binary", "values") and head.loss
        assert head.fold in (None, "softmax", "sigmoid")


def test_target_needs_follow_the_tensor_feeding_the_head():
    assert need("output.classification", vector(10)).shape == ()
    per_step = need("output.classification", sequence(64, 30))
    assert (per_step.shape, per_step.classes, per_step.class_axis) == ((64,), 30, -1)
    seg = need("output.classification", image(4, 32, 32))
    assert (seg.kind, seg.shape, seg.classes, seg.class_axis) == ("labels", (32, 32), 4, 1)
    dense = need("output.regression", image(2, 16, 16))
    assert (dense.kind, dense.shape, dense.channels_first) == ("values", (2, 16, 16), True)
    assert need("output.multilabel", vector(5)).shape == (5,)
    assert need("output.binary", vector(1)).kind == "binary"


def _problem(info, head, t):
    return info.head_problem(need(head, t))


@pytest.mark.parametrize("kind", ["moons", "circles", "xor"])
def test_two_class_synthetic_sets_train_a_binary_head(kind):
    info = describe({"kind": kind, "samples": 100})
    assert _problem(info, "output.binary", vector(1)) is None
    assert _problem(info, "output.classification", vector(2)) is None


def _npz(tmp_path, **arrays) -> Path:
    path = tmp_path / "data.npz"
    np.savez(path, **arrays)
    return path


def test_npz_labels_fit_binary_classification_and_regression_by_value(tmp_path):
    x = np.zeros((6, 3), "float32")
    ints = describe({"kind": "npz", "path": str(_npz(tmp_path, x=x, y=np.array([0, 1] * 3)))})
    assert _problem(ints, "output.binary", vector(1)) is None
    assert _problem(ints, "output.classification", vector(2)) is None
    floats = describe({"kind": "npz", "path": str(_npz(tmp_path, x=x, y=np.array([0.0, 1.0] * 3)))})
    assert _problem(floats, "output.binary", vector(1)) is None
    assert _problem(floats, "output.regression", vector(1)) is None
    real = describe({"kind": "npz", "path": str(_npz(tmp_path, x=x, y=np.linspace(0, 2, 6)))})
    assert "two classes" in _problem(real, "output.binary", vector(1))[0]
    assert "not class labels" in _problem(real, "output.classification", vector(3))[0]


def test_npz_multilabel_and_token_ids(tmp_path):
    y = np.array([[0, 1, 1], [1, 0, 0]] * 3, "float32")
    multi = describe({"kind": "npz", "path": str(_npz(tmp_path, x=np.zeros((6, 4), "float32"), y=y))})
    assert _problem(multi, "output.multilabel", vector(3)) is None
    assert "shape" in _problem(multi, "output.multilabel", vector(4))[0]
    ids = describe({"kind": "npz", "path": str(_npz(tmp_path, x=np.ones((6, 9), "int64"), y=np.arange(6) % 3))})
    assert ids.dtype == "int64" and ids.input_problem(tokens(9)) is None
    assert "token ids" in ids.input_problem(vector(9))
    assert _problem(ids, "output.classification", vector(3)) is None


def test_npz_description_reads_headers_not_the_inputs(tmp_path, monkeypatch):
    path = _npz(tmp_path, x=np.zeros((50, 1, 8, 8), "uint8"), y=np.zeros((50, 8, 8), "uint8"))
    assert npz_headers(path) == {"x": ((50, 1, 8, 8), "|u1"), "y": ((50, 8, 8), "|u1")}
    loaded = []
    real_load = np.load

    class Spy:
        def __init__(self, *a, **k):
            self.inner = real_load(*a, **k)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.inner.close()

        def __getitem__(self, key):
            loaded.append(key)
            return self.inner[key]

    monkeypatch.setattr(np, "load", Spy)
    info = describe({"kind": "npz", "path": str(path)})
    assert loaded == ["y"] and info.sample_shape == (1, 8, 8)


def test_bundled_dense_datasets_fit_segmentation_and_denoising():
    masks = describe({"kind": "npz", "path": str(DATA / "shapes_masks.npz")})
    assert _problem(masks, "output.classification", image(4, 32, 32)) is None
    assert "3 class scores" in _problem(masks, "output.classification", image(3, 32, 32))[0]
    noisy = describe({"kind": "npz", "path": str(DATA / "shapes_denoise.npz")})
    assert _problem(noisy, "output.regression", image(1, 32, 32)) is None
    assert "shape" in _problem(noisy, "output.regression", image(2, 32, 32))[0]


def test_text_classes_from_csv_and_folder(tmp_path):
    info = describe({"kind": "text_classes", "path": str(DATA / "sentences.csv"), "tokens": "char"})
    assert (info.dtype, info.num_classes, info.num_samples) == ("int64", 4, 400)
    assert info.input_problem(tokens(48)) is None and info.vocab > 50
    for label, text in (("pos", "good fun"), ("neg", "bad day")):
        (tmp_path / label).mkdir()
        (tmp_path / label / "a.txt").write_text(text, encoding="utf-8")
    words = describe({"kind": "text_classes", "path": str(tmp_path), "tokens": "word"})
    assert (words.num_classes, words.vocab) == (2, 4)
    assert _problem(words, "output.binary", vector(1)) is None


def test_audio_folder_fits_mono_signal_inputs():
    from graph.tensors import signal

    info = describe({"kind": "audio_folder", "path": str(DATA / "tones")})
    assert info.num_classes == 4 and info.num_samples == 120
    assert info.input_problem(signal(1, 2000)) is None
    assert "mono" in info.input_problem(signal(2, 2000))


def test_csv_targets_by_value(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,label\n1,2,yes\n3,4,no\n5,6,yes\n", encoding="utf-8")
    info = describe({"kind": "csv", "path": str(path)})
    assert _problem(info, "output.binary", vector(1)) is None
    assert "class labels" in _problem(info, "output.regression", vector(1))[0]
    path.write_text("a,b,price\n1,2,0.5\n3,4,1.5\n", encoding="utf-8")
    assert _problem(describe({"kind": "csv", "path": str(path)}), "output.regression", vector(1)) is None


def test_unreadable_files_are_named(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(DatasetError, match="bad.npz"):
        describe({"kind": "npz", "path": str(bad)})
    latin = tmp_path / "latin.csv"
    latin.write_bytes("a,label\n1,caf\xe9\n".encode("latin-1"))
    with pytest.raises(DatasetError, match="latin.csv"):
        describe({"kind": "csv", "path": str(latin)})
