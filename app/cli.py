"""The ``layerlab`` command line. Headless commands never import Qt, torch or tensorflow."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable
from pathlib import Path

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2

COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def command(name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None]):
    """Register a sub-command: its help text, an argument configurator and its handler."""

    def register(handler: Callable[[argparse.Namespace], int]):
        COMMANDS[name] = (help_text, configure, handler)
        return handler

    return register


_UNSAFE = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def terminal_safe(text: str) -> str:
    """``text`` with control, bidi and invisible characters written as escapes (\\x1b, \\u202e), so a
    title or path cannot drive the terminal; new lines and tabs stay."""
    import unicodedata

    if text.isascii() and text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in "\n\t" or unicodedata.category(ch) not in _UNSAFE:
            out.append(ch)
        else:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
    return "".join(out)


def say(text: str, error: bool = False) -> None:
    """Print for a person: terminal-safe text, on stdout or stderr."""
    print(terminal_safe(text), file=sys.stderr if error else sys.stdout)


def load_project(path: str):
    """Load a project or print the file's problem and return None."""
    from graph.fileformat import ProjectFileError, load

    try:
        return load(path)
    except ProjectFileError as err:
        say(f"error: {err}", error=True)
        return None


def analyze_project(project, path: str):
    from graph.analysis import analyze

    info, problem = project.dataset_info(Path(path).parent)
    return analyze(project.graph, info, dataset_problem=problem)


def _file_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="a LayerLab project (.json)")


@command("check", "print every layer's shape and parameter count, and every problem", _file_arg)
def cmd_check(args: argparse.Namespace) -> int:
    from graph.summary import check_report

    project = load_project(args.file)
    if project is None:
        return EXIT_UNREADABLE
    analysis = analyze_project(project, args.file)
    say(check_report(project.graph, analysis))
    return EXIT_OK if analysis.ok else EXIT_INVALID


@command("summary", "a table like Keras' model.summary()", _file_arg)
def cmd_summary(args: argparse.Namespace) -> int:
    from graph.summary import summary_table

    project = load_project(args.file)
    if project is None:
        return EXIT_UNREADABLE
    analysis = analyze_project(project, args.file)
    title = project.meta.get("title") or Path(args.file).stem
    say(summary_table(project.graph, analysis, title, batch_size=project.setup.get("batch_size", 1)))
    return EXIT_OK if analysis.ok else EXIT_INVALID


def _layers_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--lang", default="en", choices=("en", "zh"), help="language of names and docs")


@command("layers", "list the layer catalog", _layers_args)
def cmd_layers(args: argparse.Namespace) -> int:
    from graph.catalog import default_catalog
    from graph.docs import catalog_json, catalog_text

    catalog = default_catalog()
    if args.json:
        print(json.dumps(catalog_json(catalog), indent=2, ensure_ascii=False))
    else:
        print(catalog_text(catalog, args.lang))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="layerlab",
        description="LayerLab: draw deep-learning models, get equivalent PyTorch and Keras code. "
        "Without a command, the editor opens on the default example.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _load_optional_commands()
    for name, (help_text, configure, handler) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        configure(p)
        p.set_defaults(handler=handler)
    return parser


def _load_optional_commands() -> None:
    """Import modules that register more commands (code generation, the GUI) if present."""
    import importlib

    for module in ("app.cli_codegen", "app.cli_import", "app.cli_diff", "app.cli_gui"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name != module:
                raise


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        if "open" in COMMANDS:
            return COMMANDS["open"][2](argparse.Namespace(file=None, screenshot=None))
        parser.print_help()
        return EXIT_OK
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `layerlab check … | head`: the reader left; say nothing more
        import os

        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    # Run as ``python -m app.cli``: use the imported module, where the other commands register.
    from app.cli import main as imported_main

    sys.exit(imported_main())
