"""A training process's descendants, found and ended (no Qt).

torchrun starts each worker in a session of its own, so signalling torchrun's process group misses
them, and a worker whose torchrun was killed keeps training: the runner notes the tree while torchrun
lives and ends every process in it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

PROC = Path("/proc")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children first), from /proc, else ``ps``; [] where neither works."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents():
        children.setdefault(parent, []).append(child)
    found, todo = [], list(children.get(pid, []))
    while todo:
        p = todo.pop(0)
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def command_line(pid: int) -> str | None:
    """The command line of a running process, or None when there is none (or it is a zombie)."""
    if PROC.is_dir():
        try:
            status = (PROC / str(pid) / "stat").read_text()
            if status.rsplit(")", 1)[-1].split()[0] == "Z":
                return None
            return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            return None
    return _ps(["-o", "command=", "-p", str(pid)]) or None


def end_processes(pids: list[int], marker: str, sig: int | None = None) -> list[int]:
    """Signal (default: kill) those of ``pids`` still running whose command line has ``marker`` (so a
    number reused by another process is left alone); the ones signalled."""
    sig = sig if sig is not None else getattr(signal, "SIGKILL", signal.SIGTERM)
    hit = []
    for pid in pids:
        line = command_line(pid)
        if line is not None and marker in line:
            with contextlib.suppress(OSError):
                os.kill(pid, sig)
                hit.append(pid)
    return hit


def _parents() -> list[tuple[int, int]]:
    """(pid, parent pid) of every process."""
    if PROC.is_dir():
        pairs = []
        for entry in PROC.iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    pairs.append((int(entry.name), int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])))
        return pairs
    if sys.platform == "win32":
        return []
    rows = (line.split() for line in _ps(["-A", "-o", "pid=", "-o", "ppid="]).splitlines())
    return [(int(r[0]), int(r[1])) for r in rows if len(r) == 2 and r[0].isdigit() and r[1].isdigit()]


def _ps(args: list[str]) -> str:
    try:
        return subprocess.run(["ps", *args], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
