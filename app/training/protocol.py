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


# Chinese for the failure explanations above and the runner's own refusals (app/training/runner.py):
# (English template, Chinese template), matched like graph/messages.py's catalog; {last} (the worker's
# own last line) and other values stay as they are. More specific templates come first.
_FAILURE_REASONS_ZH = {
    _FAILURES[0][1]: "训练进程内存不足；请减小批大小或模型，或改用 CPU 训练",
    _FAILURES[1][1]: "数据与模型的输入层不匹配（形状不一致）",
    _FAILURES[2][1]: "无法启动训练脚本（运行文件夹中缺少该脚本）",
    _FAILURES[3][1]: "找不到数据集",
    _FAILURES[4][1]: "脚本需要的某个 Python 包未安装",
}
FAILURE_MESSAGES: tuple[tuple[str, str], ...] = (
    ("worker {worker} of {n} failed: {reason}", "{n} 个进程中的第 {worker} 号进程失败：{reason}"),
    ("stopped: the worker was ended before it finished", "已停止：训练进程在完成之前被结束"),
    *((f"{en}: {{last}}", f"{zh}：{{last}}") for en, zh in _FAILURE_REASONS_ZH.items()),
    *_FAILURE_REASONS_ZH.items(),
    (
        "the training process was killed (SIGKILL; the system may have run out of memory)",
        "训练进程被强制结束（SIGKILL；系统可能内存不足）",
    ),
    (
        "the training process was killed ({name}) (the system may have run out of memory)",
        "训练进程被强制结束（{name}）（系统可能内存不足）",
    ),
    ("the training process was killed ({name})", "训练进程被强制结束（{name}）"),
    ("the training process failed (exit code {code}): {last}", "训练进程失败（退出码 {code}）：{last}"),
    ("the training process ended unexpectedly (exit code {code})", "训练进程意外结束（退出码 {code}）"),
    (
        "the loss became NaN/Inf, so training stopped ({error}); try a lower learning rate",
        "损失变为 NaN/Inf，训练已停止（{error}）；请尝试降低学习率",
    ),
    ("could not prepare the run: {error}", "无法准备本次运行：{error}"),
    ("the model cannot be trained yet: {problems}", "模型还不能训练：{problems}"),
    ("run {run} saved no checkpoint to resume from", "运行 {run} 没有保存可供继续的检查点"),
    ("run {run} already trained {n} epochs", "运行 {run} 已经训练了 {n} 轮"),
    ("could not start the training process ({python})", "无法启动训练进程（{python}）"),
)


def _failure_patterns() -> list[tuple[re.Pattern, str]]:
    if not _PATTERNS:
        for english, chinese in FAILURE_MESSAGES:
            parts = re.split(r"\{(\w+)\}", english)
            regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
            _PATTERNS.append((re.compile(f"^{regex}$", re.DOTALL), chinese))
    return _PATTERNS


_PATTERNS: list[tuple[re.Pattern, str]] = []


def localize_failure(text: str, lang: str = "en", diag=None) -> str:
    """A failure explanation (``explain_failure``, the runner's refusals) in ``lang`` ("zh…"); an
    unknown text comes back unchanged. ``diag`` translates the model's problems ("cannot be trained yet")."""
    if not text or not lang.startswith("zh"):
        return text
    for pattern, chinese in _failure_patterns():
        found = pattern.match(text)
        if found:
            values = found.groupdict()
            if "reason" in values:  # a worker's own failure, explained as above
                values["reason"] = localize_failure(values["reason"], lang, diag)
            if "problems" in values and diag is not None:
                values["problems"] = "；".join(diag(p) or p for p in values["problems"].split("; "))
            return chinese.format(**values)
    return text


def worker_failure(rank: int, processes: int, reason: str) -> str:
    """Which of several training processes failed, and why (worker 0 reports progress)."""
    return f"worker {rank} of {processes} failed: {reason}"


_AGENT_LOG = re.compile(r"^[IWE]\d{4} [\d:.]+ +\d+ torch/")  # torchrun's own log lines


def torchrun_failure(tail: list[str]) -> tuple[int, int, list[str]] | None:
    """From torchrun's output: (rank, exit code, that output without torchrun's own lines) of the first
    process that failed, from its "Root Cause" report; None when there is no such report."""
    root = next((i for i, line in enumerate(tail) if "Root Cause (first observed failure)" in line), None)
    if root is None:
        return None
    found = {}
    for line in tail[root:]:
        match = re.match(r"^\s*(rank|exitcode)\s*:\s*(-?\d+)", line)
        if match and match.group(1) not in found:
            found[match.group(1)] = int(match.group(2))
    if "rank" not in found:
        return None
    lines = []
    for i, line in enumerate(tail):
        if line.startswith("Traceback") and i + 1 < len(tail) and "<frozen runpy>" in tail[i + 1]:
            break  # torchrun's own traceback (ChildFailedError) and its report follow
        if not _AGENT_LOG.match(line):
            lines.append(line)
    return found["rank"], found.get("exitcode", 1), lines


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
