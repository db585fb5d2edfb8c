"""The ``diff`` command: what changed between two projects (graph/diff.py). Imports no Qt or framework."""

from __future__ import annotations

import argparse

from app.cli import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, command, load_project, say


def _diff_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", metavar="A", help="the first LayerLab project (.json)")
    p.add_argument("b", metavar="B", help="the second project, compared with the first")


@command(
    "diff",
    "list the layers, connections and training settings that differ between two projects "
    "(exit 0: equal, 1: different, 2: a file cannot be read)",
    _diff_args,
)
def cmd_diff(args: argparse.Namespace) -> int:
    from graph.diff import diff_projects

    a = load_project(args.a)
    b = load_project(args.b)
    if a is None or b is None:
        return EXIT_UNREADABLE
    diff = diff_projects(a, b)
    say(diff.text(args.a, args.b))
    return EXIT_OK if diff.equal else EXIT_INVALID


__all__ = ["cmd_diff"]
