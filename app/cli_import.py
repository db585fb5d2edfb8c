"""The ``import`` command: a Keras, PyTorch or ONNX model into a LayerLab project (in a child process)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli import EXIT_INVALID, EXIT_OK, command, say


def _shape_input(text: str) -> dict:
    """NAME:SHAPE[:DTYPE], e.g. images:1x28x28 or chars:64:int64 (codegen.importers.run.parse_input)."""
    from codegen.importers.run import parse_input

    try:
        return parse_input(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "model", help="a .keras file or Keras JSON config, a .onnx file, or a .py file with a PyTorch module"
    )
    p.add_argument("-o", "--output", required=True, help="the LayerLab project to write (.json)")
    p.add_argument("--class", dest="class_name", help="PyTorch: the nn.Module class in the .py file")
    p.add_argument("--args", default=None, help="PyTorch: the constructor's arguments as JSON (a list or an object)")
    p.add_argument(
        "--input",
        action="append",
        type=_shape_input,
        default=[],
        help="PyTorch: one per forward() argument, NAME:SHAPE[:DTYPE] without the batch (images:1x28x28, ids:64:int64)",
    )
    p.add_argument(
        "--head",
        action="append",
        choices=("auto", "classification", "binary", "multilabel", "regression"),
        default=[],
        help="the loss of each model output, in order (default auto: from the last layer)",
    )
    p.add_argument("--title", help="the project title (default: from the model)")
    p.add_argument("--force", action="store_true", help="replace an existing project file")


@command("import", "turn a Keras, PyTorch or ONNX model (with its weights) into a LayerLab project", _import_args)
def cmd_import(args: argparse.Namespace) -> int:
    from codegen.importers.run import import_file

    out = Path(args.output)
    if out.exists() and not args.force:
        say(f"error: {out} exists; choose another name or add --force", error=True)
        return EXIT_INVALID
    ctor = None
    if args.args:
        try:
            ctor = json.loads(args.args)
        except json.JSONDecodeError as err:
            say(f"error: --args is not JSON: {err}", error=True)
            return EXIT_INVALID
    report = import_file(
        args.model,
        out,
        class_name=args.class_name,
        args=ctor,
        inputs=args.input or None,
        heads=args.head or None,
        title=args.title,
    )
    say(report.text(), error=not report.ok)
    return EXIT_OK if report.ok else EXIT_INVALID
