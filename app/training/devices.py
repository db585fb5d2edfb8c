"""Which devices can train: a short probe in a child process (torch, else TensorFlow), cached.

The GUI process never imports a framework; the probe prints one JSON line. The result is cached
in a JSON file in the user's cache folder, keyed by the Python interpreter, until refreshed.
``LAYERLAB_DEVICES=auto,cpu`` overrides the probe (tests, or a machine whose probe misbehaves)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QStandardPaths, Signal

BASE = ["auto", "cpu"]

PROBE = r"""
import json, os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
out = {"torch": None, "tensorflow": None, "names": []}
try:
    import torch
    n = torch.cuda.device_count() if torch.cuda.is_available() else 0
    out["torch"] = n
    out["names"] = [torch.cuda.get_device_name(i) for i in range(n)]
except Exception:
    pass
if not out["torch"]:
    try:
        import tensorflow as tf
        out["tensorflow"] = len(tf.config.list_physical_devices("GPU"))
    except Exception:
        pass
print(json.dumps(out))
"""


def cache_file() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return Path(base or Path.home() / ".cache" / "layerlab") / "devices.json"


def devices_from_probe(result: dict) -> list[str]:
    """['auto', 'cpu', 'cuda:0', …] from the probe's JSON."""
    count = max(int(result.get("torch") or 0), int(result.get("tensorflow") or 0))
    return BASE + [f"cuda:{i}" for i in range(count)]


def device_names(result: dict) -> dict[str, str]:
    return {f"cuda:{i}": name for i, name in enumerate(result.get("names") or [])}


def _override() -> list[str] | None:
    raw = os.environ.get("LAYERLAB_DEVICES")
    return [d.strip() for d in raw.split(",") if d.strip()] if raw else None


def cached_devices(path: Path | None = None) -> list[str] | None:
    """The cached device list for this interpreter, or None when never probed."""
    override = _override()
    if override:
        return override
    try:
        data = json.loads((path or cache_file()).read_text(encoding="utf-8"))
        entry = data[sys.executable]
        return devices_from_probe(entry["result"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_cache(result: dict, path: Path | None = None) -> None:
    path = path or cache_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        data = {}
    data[sys.executable] = {"result": result, "time": time.time()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    except OSError:
        pass


def parse_probe_output(text: str) -> dict:
    """The probe's JSON (its last line); an empty result when the probe printed none."""
    for line in reversed(text.strip().splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return {}


def probe_devices(timeout: float = 120.0, refresh: bool = False, python: str | None = None) -> list[str]:
    """Blocking probe (for scripts and benches); the GUI uses ``DeviceProbe``."""
    if not refresh:
        cached = cached_devices()
        if cached:
            return cached
    try:
        proc = subprocess.run([python or sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return list(BASE)
    result = parse_probe_output(proc.stdout)
    if result:
        save_cache(result)
    return devices_from_probe(result)


class DeviceProbe(QObject):
    """Asynchronous probe: ``start()``, then ``finished(list)`` with the devices (always at least auto, cpu)."""

    finished = Signal(list)

    def __init__(self, parent: QObject | None = None, timeout_s: float = 120.0):
        super().__init__(parent)
        self.timeout_ms = int(timeout_s * 1000)
        self.result: dict = {}
        self._proc: QProcess | None = None

    def start(self) -> None:
        if self._proc is not None:
            return
        override = _override()
        if override:
            self.finished.emit(override)
            return
        proc = QProcess(self)
        proc.setProgram(sys.executable)
        proc.setArguments(["-c", PROBE])
        proc.finished.connect(self._on_finished)
        proc.errorOccurred.connect(self._on_error)
        self._proc = proc
        proc.start()
        from PySide6.QtCore import QTimer

        QTimer.singleShot(self.timeout_ms, self._on_timeout)

    def stop(self) -> None:
        """Kill a probe still running (the application is closing); nothing is reported."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.state() != QProcess.ProcessState.NotRunning:
            proc.finished.disconnect(self._on_finished)
            proc.kill()
            proc.waitForFinished(2000)

    def _on_finished(self, *_):
        proc, self._proc = self._proc, None
        if proc is None:
            return
        self.result = parse_probe_output(bytes(proc.readAllStandardOutput()).decode("utf-8", "replace"))
        if self.result:
            save_cache(self.result)
        proc.deleteLater()
        self.finished.emit(devices_from_probe(self.result))

    def _on_error(self, error):
        if error == QProcess.ProcessError.FailedToStart:
            self._proc = None
            self.finished.emit(list(BASE))

    def _on_timeout(self):
        if self._proc is not None:
            self._proc.kill()  # finished() follows and reports the CPU only
