"""`layerlab export --format onnx`: the PyTorch model as ONNX with a dynamic batch axis, run by onnxruntime."""

from __future__ import annotations

import os
import subprocess
import sys

import onnx
import pytest
from codegen_helpers import EXAMPLE_NAMES, EXAMPLES, ROOT, example

from codegen import generate
from codegen.onnx_export import export_onnx

pytestmark = pytest.mark.frameworks


@pytest.mark.parametrize("name", EXAMPLE_NAMES)  # the README says every example
def test_examples_export_to_onnx_and_match_pytorch(name, tmp_path):
    out = tmp_path / f"{name}.onnx"
    report = export_onnx(example(name), str(out), str(EXAMPLES))
    assert report.ok, report.text()
    assert report.max_diff <= 1e-5 and all(c["shape"][0] == 3 for c in report.checks)  # batch 3, exported with 2
    model = onnx.load(str(out))
    inputs = [i.name for i in model.graph.input]
    assert inputs and all(i.type.tensor_type.shape.dim[0].dim_param for i in model.graph.input)  # dynamic batch
    if not name.startswith("gan_"):  # the same file imported back (a GAN exports only its generator)
        _imports_back(name, out)


def _imports_back(name, out):
    """layerlab import of the exported file gives the example's graph, and the same outputs (1e-5)."""
    from onnx_roundtrip import REFUSED_EXAMPLES, assert_same
    from roundtrip import head_kinds

    from codegen.importers.builder import ImportFailed
    from codegen.importers.finish import complete
    from codegen.importers.onnx_import import import_onnx

    project = example(name)
    if name in REFUSED_EXAMPLES:
        with pytest.raises(ImportFailed, match=REFUSED_EXAMPLES[name]):
            import_onnx(str(out), heads=head_kinds(project))
        return
    imported, reference = import_onnx(str(out), heads=head_kinds(project))
    assert_same(project, imported.project)
    result = complete(imported, reference)
    assert result["compared"] and result["max_diff"] <= 1e-5


def test_a_trained_run_exports_with_its_weights(tmp_path):
    """What trains is what exports: the weights of a run go into the file, and onnxruntime agrees."""
    project = example("digits_mlp")
    script = tmp_path / "train.py"
    script.write_text(generate(project, "pytorch", str(EXAMPLES)).source, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, str(script), "--out", str(tmp_path / "run"), "--epochs", "1", "--progress", "jsonl"]
    subprocess.run(cmd, check=True, capture_output=True, env=env, timeout=300)
    report = export_onnx(project, str(tmp_path / "digits.onnx"), str(EXAMPLES), str(tmp_path / "run" / "model.pt"))
    assert report.ok, report.text()
    plain = export_onnx(project, str(tmp_path / "fresh.onnx"), str(EXAMPLES))
    assert (tmp_path / "digits.onnx").read_bytes() != (tmp_path / "fresh.onnx").read_bytes() and plain.ok


def test_wrong_weights_are_reported_not_crashed(tmp_path):
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint")
    report = export_onnx(example("digits_mlp"), str(tmp_path / "x.onnx"), str(EXAMPLES), str(bad))
    assert not report.ok and "bad.pt is not a saved state of this model" in report.message
    assert "weights_only` set to `False" not in report.message  # never advise loading code


def test_cli_needs_an_output_file(tmp_path):
    from app.cli import main

    assert main(["export", str(EXAMPLES / "digits_mlp.json"), "--format", "onnx"]) != 0
