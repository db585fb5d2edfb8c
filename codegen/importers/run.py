"""Start an import in a child process and read its report; the calling process imports no framework.

Used by ``layerlab import`` and the editor's File ▸ Import. The kind comes from the file name:
``.keras`` or ``.json`` (a Keras model or its config), ``.onnx``, ``.py`` (a PyTorch module: needs the
class name; this runs the file's code, in the child).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

KINDS = {".keras": "keras", ".json": "keras", ".onnx": "onnx", ".py": "pytorch"}
TIMEOUT = 900


@dataclass
class ImportReport:
    ok: bool
    message: str = ""
    problems: list[str] = field(default_factory=list)
    project: str | None = None
    weights: str | None = None
    layers: int = 0
    tensors: int = 0
    max_diff: float | None = None
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        if not self.ok:
            return "\n".join([f"error: {self.message}", *(f"  - {p}" for p in self.problems)])
        lines = [f"imported {self.layers} layers into {self.project}"]
        if self.weights:
            lines.append(f"weights: {self.tensors} tensors in {self.weights} (training starts from them)")
        if self.max_diff is not None:
            lines.append(
                f"check: the imported model's outputs match the source model's (max |diff| {self.max_diff:.3g})"
            )
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def parse_input(text: str) -> dict:
    """One Input of a PyTorch module: "NAME:SHAPE[:DTYPE]" (images:1x28x28, ids:64:int64), the shape without
    the batch -> {"name", "shape", "dtype"}; ValueError naming the text when it is not that."""
    parts = text.strip().split(":")
    try:
        if len(parts) not in (2, 3) or not parts[0]:
            raise ValueError
        shape = [int(v) for v in parts[1].lower().replace(",", "x").split("x") if v]
        dtype = parts[2] if len(parts) == 3 else "float32"
        if not shape or dtype not in ("float32", "int64"):
            raise ValueError
    except ValueError:
        raise ValueError(f"{text.strip()!r}: write NAME:SHAPE[:DTYPE], e.g. images:1x28x28 or ids:64:int64") from None
    return {"name": parts[0], "shape": shape, "dtype": dtype}


def kind_of(path: str | os.PathLike) -> str | None:
    return KINDS.get(Path(path).suffix.lower())


def import_file(
    path: str | os.PathLike,
    out: str | os.PathLike,
    *,
    kind: str | None = None,
    class_name: str | None = None,
    args=None,
    inputs: list[dict] | None = None,
    heads: list[str] | None = None,
    title: str | None = None,
    timeout: int = TIMEOUT,
) -> ImportReport:
    """Import ``path`` into the project ``out`` (and ``out``'s ``.weights.npz``) in a child process."""
    path = Path(path)
    kind = kind or kind_of(path)
    if kind is None:
        return ImportReport(False, f"{path.name}: cannot tell the model's kind (use .keras, .json, .onnx or .py)")
    if not path.is_file():
        return ImportReport(False, f"{path}: no such file")
    if kind == "pytorch" and not class_name:
        return ImportReport(False, f"{path.name}: a PyTorch file needs the class name of its module (--class)")
    request = {
        "kind": kind,
        "path": str(path.resolve()),
        "out": str(Path(out).resolve()),
        "class": class_name,
        "args": args,
        "inputs": inputs,
        "heads": heads,
        "title": title,
    }
    with tempfile.TemporaryDirectory(prefix="layerlab-import-") as tmp:
        req, rep = Path(tmp) / "request.json", Path(tmp) / "report.json"
        req.write_text(json.dumps(request), encoding="utf-8")
        root = str(Path(__file__).resolve().parents[2])
        env = {
            **os.environ,
            "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", ""),
            "TF_CPP_MIN_LOG_LEVEL": "2",
        }
        cmd = [sys.executable, "-m", "codegen.importers.child", str(req), str(rep)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=str(path.parent))
        except subprocess.TimeoutExpired:
            return ImportReport(False, f"the import took longer than {timeout} s and was stopped")
        if not rep.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return ImportReport(False, "the import process ended unexpectedly", tail)
        data = json.loads(rep.read_text(encoding="utf-8"))
    known = ImportReport.__dataclass_fields__
    return ImportReport(**{k: v for k, v in data.items() if k in known})
