"""The import child process: ``python -m codegen.importers.child REQUEST.json REPORT.json``.

It imports the frameworks (and, for a PyTorch module, runs the user's file), maps the model with the
importer of its kind, checks it (``finish.complete``: the weights fit and the imported graph computes
what the source model does) and only then writes the weights file and the project, each atomically.
The report says what happened: {"ok": true, "project", "weights", "layers", "tensors", "max_diff"} or
{"ok": false, "message", "problems": [...]}.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path


def run_request(req: dict) -> dict:
    from codegen.importers.builder import ImportFailed
    from codegen.importers.finish import complete
    from graph.fileformat import save

    kind, path, heads = req["kind"], req["path"], req.get("heads") or None
    title = req.get("title") or None
    if kind == "keras":
        from codegen.importers.keras_import import import_keras

        imported, reference = import_keras(path, heads=heads, title=title)
    elif kind == "onnx":
        from codegen.importers.onnx_import import import_onnx

        imported, reference = import_onnx(path, heads=heads, title=title)
    elif kind == "pytorch":
        from codegen.importers.torch_fx import import_module, load_module

        try:
            module = load_module(path, req["class"], req.get("args"))
        except ValueError as err:
            raise ImportFailed([str(err)], "the PyTorch module cannot be built") from None
        inputs = [(i["name"], tuple(i["shape"]), i.get("dtype", "float32")) for i in req.get("inputs") or []] or None
        imported, reference = import_module(
            module, inputs, title=title or req["class"], source=Path(path).name, heads=heads
        )
    else:
        raise ImportFailed([f"unknown kind {kind!r}"])
    out = Path(req["out"])
    weights = out.with_name(out.stem + ".weights.npz") if imported.has_weights else None
    tmp_weights = weights.with_name(weights.name + ".partial.npz") if weights else None
    report = complete(imported, reference, tmp_weights)
    report.pop("arrays", None)
    try:
        if weights is not None:
            imported.project.setup["initial_weights"] = weights.name  # next to the project, found relative to it
            os.replace(tmp_weights, weights)
        save(imported.project, out)
    except BaseException:
        for leftover in (tmp_weights, weights):
            if leftover is not None:
                leftover.unlink(missing_ok=True)
        raise
    report.update(ok=True, project=str(out), weights=str(weights) if weights else None, notes=imported.notes)
    report.pop("weights_file", None)
    return report


def main(argv: list[str]) -> int:
    request, report_path = Path(argv[0]), Path(argv[1])
    try:
        from codegen.importers.builder import ImportFailed
    except Exception as err:  # pragma: no cover - a broken installation
        report = {"ok": False, "message": f"{type(err).__name__}: {err}", "problems": []}
    else:
        try:
            report = run_request(json.loads(request.read_text(encoding="utf-8")))
        except ImportFailed as err:
            head = str(err).split(":\n", 1)[0]
            report = {"ok": False, "message": head, "problems": err.problems}
        except ModuleNotFoundError as err:
            report = {"ok": False, "message": f"a package is missing: {err.name}", "problems": [str(err)]}
        except Exception as err:  # an importer bug: say so with the traceback's last lines
            tail = traceback.format_exc().strip().splitlines()[-4:]
            report = {"ok": False, "message": f"the import failed: {type(err).__name__}: {err}", "problems": tail}
    report_path.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    return 0 if report.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
