"""``layerlab export --format onnx``: the project's PyTorch model as an ONNX file, checked with onnxruntime.

The export runs in a child process (``codegen.onnx_child``): it builds the model from the generated
PyTorch script, exports it with torch.onnx (a dynamic batch axis), and compares onnxruntime's outputs
with PyTorch's on another batch size (1e-5). The parent imports no framework.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from codegen.api import generate
from codegen.emitter import build_plan
from codegen.pyfmt import lit

NEEDS = "pip install 'layerlab[onnx]' (onnx, onnxruntime, onnxscript)"


@dataclass
class OnnxReport:
    ok: bool
    path: str
    checks: list = field(default_factory=list)
    max_diff: float | None = None
    message: str = ""

    def text(self) -> str:
        lines = [
            f"ok  {c['output']}: {tuple(c['shape'])}, max |onnxruntime - pytorch| {c['max_diff']:.3g}"
            for c in self.checks
        ]
        if self.message:
            lines.append(f"error: {self.message}")
        lines.append(f"onnx: {'PASSED' if self.ok else 'FAILED'} ({self.path})")
        return "\n".join(lines)


def onnx_description(project, project_dir=None) -> str:
    """Module constants the child needs: each Input's per-sample shape, dtype and (token ids) vocabulary."""
    info, _ = project.dataset_info(project_dir)
    plan = build_plan(project.graph, info)
    if plan.gan is not None:
        steps = [s for s in plan.steps if s.id == plan.gan.noise]
        outputs = [next(h for h in plan.heads if h.id == plan.gan.generated).name]
    else:
        steps, outputs = plan.inputs, [h.name for h in plan.heads]
    inputs = {s.var: (tuple(s.out.features), s.out.dtype, s.params.get("vocab_size", 0)) for s in steps}
    return f"\n\nONNX_INPUTS = {lit(inputs)}\nONNX_OUTPUTS = {lit(outputs)}\n"


def export_onnx(project, out: str, project_dir=None, weights: str | None = None, timeout: int = 600) -> OnnxReport:
    code = generate(project, "pytorch", project_dir)
    if code.problems:
        return OnnxReport(False, out, message="; ".join(code.problems))
    with tempfile.TemporaryDirectory(prefix="layerlab-onnx-") as tmp:
        script = Path(tmp) / "model_pytorch.py"
        script.write_text(code.source + onnx_description(project, project_dir), encoding="utf-8")
        report_path = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "codegen.onnx_child", str(script), str(Path(out).resolve()), str(report_path)]
        if weights:
            cmd.append(str(Path(weights).resolve()))
        root = str(Path(__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            return OnnxReport(False, out, message=f"the ONNX export took longer than {timeout} s")
        if not report_path.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return OnnxReport(False, out, message="the ONNX export process failed: " + " / ".join(tail))
        data = json.loads(report_path.read_text(encoding="utf-8"))
    message = data.get("error", "")
    if "No module named" in message:
        message += f"; ONNX export needs {NEEDS}"
    elif not data.get("ok") and not message:
        message = f"onnxruntime differs from PyTorch by {data.get('max_diff'):.3g} (limit {data.get('tolerance')})"
    return OnnxReport(bool(data.get("ok")), out, data.get("checks", []), data.get("max_diff"), message)
