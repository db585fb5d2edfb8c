"""The worker's ``--progress jsonl`` stream: line splitting, JSON parsing and failure explanations.

No Qt here, so the parsing is tested without a QApplication."""

from __future__ import annotations

import json
import re
from collections import deque

MAX_LINE = 1 << 20  # a line longer than this is cut (a runaway print must not eat memory)
TAIL_LINES = 200  # lines of worker output kept for the details view


class LineBuffer:
    """Splits a byte stream into lines; a partial last line waits for the next chunk."""

    def __init__(self):
        self._pending = b""

    def feed(self, chunk: bytes) -> list[str]:
        data = self._pending + chunk
        *lines, self._pending = data.split(b"\n")
        if len(self._pending) > MAX_LINE:
            lines.append(self._pending[:MAX_LINE])
            self._pending = b""
        return [_decode(line) for line in lines]

    def flush(self) -> list[str]:
        """The unterminated last line, if any (called when the process has ended)."""
        rest, self._pending = self._pending, b""
        return [_decode(rest)] if rest.strip() else []


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace").rstrip("\r")


def parse_event(line: str) -> dict | None:
    """The event dict for a protocol line, or None for anything else (kept as log text)."""
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("event"), str):
        return None
    return value


class OutputTail:
    """The last lines of the worker's output (stdout and stderr), for the details view."""

    def __init__(self, size: int = TAIL_LINES):
        self.lines: deque[str] = deque(maxlen=size)

    def add(self, line: str) -> None:
        self.lines.append(line)

    def text(self, last: int | None = None) -> str:
        lines = list(self.lines)
        return "\n".join(lines[-last:] if last else lines)


# (pattern, explanation): checked against the worker's last output lines, first match wins.
_FAILURES = (
    (
        re.compile(r"out of memory|OutOfMemory|ResourceExhausted|MemoryError|OOM when allocating", re.I),
        "the worker ran out of memory; try a smaller batch size or model, or train on the CPU",
    ),
    (
        re.compile(
            r"shapes? .*(cannot|can't|incompatible|mismatch)|size mismatch|Incompatible shapes|"
            r"expected .*input.*shape|cannot reshape array|mat1 and mat2|"
            r"is incompatible with the layer|Input \d+ of layer",
            re.I,
        ),
        "the data do not fit the model's Input (shape mismatch)",
    ),
    (
        re.compile(r"can't open file .*train\.py", re.I),  # Python itself could not start the script
        "the training script could not be started (it is missing from the run's folder)",
    ),
    (
        re.compile(
            r"No such file or directory|FileNotFoundError|cannot find|is not in the Keras cache|not found", re.I
        ),
        "the dataset could not be found",
    ),
    (re.compile(r"ModuleNotFoundError|No module named", re.I), "a Python package the script needs is not installed"),
)


def explain_failure(exit_code: int, crashed: bool, tail: list[str], stop_requested: bool = False) -> str:
    """A one-line, human explanation of why the worker ended without an ``end`` event."""
    if stop_requested:
        return "stopped: the worker was ended before it finished"
    text = "\n".join(tail[-40:])
    last = _last_message(tail)
    for pattern, why in _FAILURES:
        if pattern.search(text):
            return f"{why}: {last}" if last else why
    if crashed:
        name = _SIGNALS.get(exit_code, f"signal {exit_code}")
        hint = " (the system may have run out of memory)" if exit_code == 9 else ""
        return f"the training process was killed ({name}){hint}"
    if exit_code in (137, -9):
        return "the training process was killed (SIGKILL; the system may have run out of memory)"
    if last:
        return f"the training process failed (exit code {exit_code}): {last}"
    return f"the training process ended unexpectedly (exit code {exit_code})"


_SIGNALS = {6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM", 2: "SIGINT", 7: "SIGBUS"}


def _last_message(tail: list[str]) -> str:
    """The most telling line: an ``error:`` line, else the exception line ending a traceback."""
    lines = [ln.strip() for ln in tail if ln.strip()]
    for line in reversed(lines):
        if line.lower().startswith("error:"):
            return line[6:].strip()
    for line in reversed(lines):
        if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b", line):
            return line[:300]
    return lines[-1][:300] if lines else ""
