"""The child process of ``codegen.onnx_export``: build the model from its generated PyTorch script, export
it to ONNX with a dynamic batch axis, then run the file with onnxruntime and compare with PyTorch.

    python -m codegen.onnx_child SCRIPT OUT.onnx REPORT.json [WEIGHTS.pt]

Imports torch, onnx and onnxruntime (never the editor's process). Prints nothing; the report is JSON.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

TOLERANCE = 1e-5
BATCH = 3  # a batch size other than the exported example's, so a fixed batch axis would fail


def main(argv: list[str]) -> int:
    script, out, report_path = argv[:3]
    weights = argv[3] if len(argv) > 3 else None
    report: dict = {"ok": False, "checks": []}
    try:
        report.update(_export(Path(script), Path(out), weights))
    except Exception as err:  # every failure is reported, named, to the parent
        report["error"] = f"{type(err).__name__}: {err}"
    Path(report_path).write_text(json.dumps(report), encoding="utf-8")
    return 0 if report.get("ok") else 1


def _export(script: Path, out: Path, weights: str | None) -> dict:
    import numpy as np
    import torch

    from codegen.verify import exec_source

    ns = exec_source(script.read_text(encoding="utf-8"), str(script))
    cls = ns.get("Model") or ns["Generator"]  # a GAN exports its generator
    model = cls().eval()
    if weights:
        try:  # weights only, never code
            model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
        except Exception as err:
            first = str(err).strip().splitlines()[0][:200] if str(err).strip() else ""
            if type(err).__name__ == "UnpicklingError":  # torch's text would suggest loading code: never
                first = "it is not a weights file that loads without running code"
            raise ValueError(
                f"{weights} is not a saved state of this model (model.pt or generator.pt of one of its runs): "
                f"{type(err).__name__}: {first}"
            ) from None
    inputs = ns["ONNX_INPUTS"]  # per Input: (shape, dtype, vocabulary), appended by onnx_export
    rng = np.random.default_rng(0)

    def sample(batch: int) -> dict:
        out = {}
        for name, (shape, dtype, high) in inputs.items():
            if dtype == "int64":
                out[name] = torch.as_tensor(rng.integers(0, high, size=(batch, *shape)))
            else:
                out[name] = torch.as_tensor(rng.standard_normal((batch, *shape)).astype("float32"))
        return out

    batch = torch.export.Dim("batch", min=1)
    example = sample(2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(
            model,
            (),
            kwargs=example,
            dynamo=True,
            dynamic_shapes={name: {0: batch} for name in example},
            output_names=ns["ONNX_OUTPUTS"],
            verbose=False,
        )
    program.save(str(out))
    import onnx
    import onnxruntime

    onnx.checker.check_model(str(out))
    session = onnxruntime.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    feed = sample(BATCH)
    with torch.no_grad():
        expected = model(**feed)
    expected = expected if isinstance(expected, tuple) else (expected,)
    got = session.run(None, {k: v.numpy() for k, v in feed.items()})
    checks, worst = [], 0.0
    for name, want, have in zip(ns["ONNX_OUTPUTS"], expected, got, strict=True):
        diff = float(np.max(np.abs(want.numpy() - have))) if have.size else 0.0
        worst = max(worst, diff)
        checks.append({"output": name, "shape": list(have.shape), "max_diff": diff})
    return {"ok": worst <= TOLERANCE, "checks": checks, "max_diff": worst, "tolerance": TOLERANCE, "batch": BATCH}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
