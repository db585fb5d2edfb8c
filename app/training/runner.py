"""Training runs: the generated script in a child process (QProcess), read through ``--progress jsonl``.

The GUI process never imports torch or tensorflow. Each run trains on a snapshot of the project
taken at start and is tagged with a run id; output from any run but the current one is dropped
(Orange3 #2184: stale results overwriting newer ones). A failing worker never takes the GUI down:
the run ends with a message and the last lines of the worker's output.

A run of several processes (codegen/launch.py) is one torchrun for PyTorch, whose output is rank 0's,
or one process per Keras worker, of which only worker 0 reports; stopping or killing it ends them all.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from app.training import processes as tree
from app.training.history import PRECISIONS, RunHistory, RunRecord
from app.training.protocol import (
    LineBuffer,
    OutputTail,
    explain_failure,
    parse_event,
    torchrun_failure,
    worker_failure,
)
from graph.fileformat import dumps, loads
from graph.gan import is_gan

ROOT = Path(__file__).resolve().parent.parent.parent  # the LayerLab checkout (for ``import resources``)
ACTIVE = ("starting", "running", "pausing", "paused", "resuming", "stopping")
SAVE_EVERY_S = 2.0
CHECKPOINTS = {"pytorch": "checkpoint.pt", "tensorflow": "checkpoint.keras"}

# generator(project, framework, project_dir) -> (source, problems)
Generator = Callable[[object, str, str | None], tuple[str, list[str]]]


def generate_script(project, framework: str, project_dir: str | None) -> tuple[str, list[str]]:
    """The generated training script (codegen never imports a framework)."""
    from codegen import generate

    code = generate(project, framework, project_dir)
    return code.source, list(code.problems)


def speed_arguments(framework: str, precision: str = "fp32", compile: bool = False) -> list[str]:
    """The scripts' speed flags (docs/speed.md); none for the defaults (fp32, the script's own choice)."""
    args = ["--precision", precision] if precision != "fp32" else []
    if compile:  # unchecked leaves Keras at --xla auto: XLA on GPUs, off on CPU
        args += ["--compile"] if framework == "pytorch" else ["--xla", "on"]
    return args


def runs_folder(project_path: str | None) -> Path | None:
    """Where a saved project's runs go: ``<project>.runs`` beside the file."""
    return Path(project_path).absolute().with_suffix(".runs") if project_path else None  # children run elsewhere


def new_run_id(framework: str) -> str:
    return f"{time.strftime('%Y%m%d-%H%M%S')}-{'pt' if framework == 'pytorch' else 'tf'}-{secrets.token_hex(2)}"


class Worker:
    """One process of a run (a torchrun counts as one) with its own output buffers."""

    def __init__(self, index: int, process: QProcess):
        self.index, self.process = index, process
        self.stdout, self.stderr = LineBuffer(), LineBuffer()
        self.tail = OutputTail()
        self.exit: tuple[int, bool] | None = None  # (exit code, crashed) once it has ended
        self.tree: list[int] = []  # torchrun's processes, noted while it lives


class TrainingRun:
    """One training run: its worker processes and everything known about them."""

    def __init__(self, record: RunRecord, snapshot: str, folder: Path, processes: int = 1):
        self.record, self.snapshot, self.folder = record, snapshot, folder
        self.run_id = record.run_id
        self.state = "starting"
        self.processes = processes  # the training processes (torchrun's or Keras workers)
        self.workers: list[Worker] = []
        self.failed_worker: Worker | None = None  # the first of several Keras workers that failed
        self.start_failure: str | None = None  # a process could not be started
        self.tail = OutputTail()
        self.stop_requested = self.got_end = self.forced = False
        self.sampling = False  # --generate-only: text sampled from a checkpoint, no training
        self.got_text = False
        self.error: str | None = None
        self.started = time.monotonic()
        self.clock: tuple[float, float] | None = None  # (time, step) at the first batch event
        self.first_step = 0.0
        self.timers: list[QTimer] = []
        self.saved_at = 0.0  # when the history was last written (at most every SAVE_EVERY_S while running)

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def process(self) -> QProcess | None:
        """The process whose output is read for events (the script, torchrun or worker 0)."""
        return self.workers[0].process if self.workers else None

    @property
    def torchrun(self) -> bool:
        return self.processes > 1 and self.record.framework == "pytorch"

    def running(self) -> list[Worker]:
        return [
            w for w in self.workers if w.process is not None and w.process.state() != QProcess.ProcessState.NotRunning
        ]

    def fraction(self) -> float:
        """How much of the run is done, 0–1 (from steps when known, else from epochs)."""
        info, rec = self.record.start_info, self.record
        epochs, per_epoch = info.get("epochs") or 0, info.get("steps_per_epoch") or 0
        if not epochs:
            return 0.0
        done = rec.epochs.last("epoch") if rec.epochs.n else 0.0
        frac = done / epochs
        if per_epoch and rec.batches.n:
            frac = max(frac, rec.batches.last("step") / (epochs * per_epoch))
        return min(max(frac, 0.0), 1.0)

    def eta(self) -> float | None:
        """Seconds left, from the step rate since the first batch (None until it can tell)."""
        info, rec = self.record.start_info, self.record
        total = (info.get("epochs") or 0) * (info.get("steps_per_epoch") or 0)
        if self.clock is None or not total or not rec.batches.n:
            return None
        t0, s0 = self.clock
        step, elapsed = rec.batches.last("step"), time.monotonic() - t0
        if step <= s0 or elapsed <= 0:
            return None
        return max(total - step, 0) * elapsed / (step - s0)


class Trainer(QObject):
    """Starts, pauses, resumes and stops training runs; one current run at a time."""

    run_started = Signal(str)  # run_id
    event_received = Signal(str, object)  # run_id, event dict (current run only)
    log_received = Signal(str, str)  # run_id, a non-protocol output line
    state_changed = Signal(str, str)  # run_id, state
    run_finished = Signal(str, str, str)  # run_id, outcome (finished|stopped|failed), message

    def __init__(
        self,
        parent: QObject | None = None,
        generator: Generator | None = None,
        stop_timeout: float = 15.0,
        kill_timeout: float = 3.0,
        python: str | None = None,
    ):
        super().__init__(parent)
        self.generator = generator or generate_script
        self.stop_timeout, self.kill_timeout = stop_timeout, kill_timeout
        self.python = python or sys.executable
        self.history = RunHistory()
        self.current: TrainingRun | None = None
        self.stale_dropped = 0  # lines from old runs that were ignored (tests read this)
        self._temp_root: Path | None = None
        self._old: list[TrainingRun] = []  # replaced runs whose processes are still ending

    # ------------------------------------------------------------------ public
    def is_running(self) -> bool:
        return self.current is not None and self.current.active

    def start(
        self,
        project,
        framework: str | None = None,
        device: str = "auto",
        epochs: int | None = None,
        project_path: str | None = None,
        resume: str | None = None,
        extra_args: list[str] | None = None,
        processes: int = 1,
        precision: str = "fp32",
        compile: bool = False,
    ) -> TrainingRun:
        """Snapshot ``project`` and start training it with ``processes`` processes, in ``precision``
        (fp32, bf16, fp16) and compiled or not (torch.compile, XLA); a current run is ended first (its
        output ignored)."""
        self._replace_current()
        parent = self.history.get(resume) if resume else None
        if resume and parent is None:
            raise ValueError(f"unknown run {resume!r}")
        snapshot = Path(parent.folder, "project.json").read_text(encoding="utf-8") if parent else dumps(project)
        framework = parent.framework if parent else (framework or project.setup.get("framework", "pytorch"))
        frozen = loads(snapshot, "<training snapshot>")
        folder = self._folder(project_path, framework)
        record = RunRecord(
            folder.name,
            framework,
            device,
            dict(frozen.setup),
            frozen.meta.get("title", ""),
            str(folder),
            parent.run_id if parent else None,
        )
        sampling = "--generate-only" in (extra_args or [])
        record.processes = 1 if sampling else max(1, int(processes))
        if not sampling and not is_gan(frozen.graph):  # the GAN scripts have no speed flags
            record.precision, record.compile = precision if precision in PRECISIONS else "fp32", bool(compile)
        run = TrainingRun(record, snapshot, folder, record.processes)
        run.sampling = sampling
        if run.sampling and parent is not None:  # the results are the trained run's
            record.metrics, record.extras = dict(parent.metrics), dict(parent.extras)
        self.history.add(record)
        self.current = run
        self.run_started.emit(run.run_id)
        problem = self._prepare(run, frozen, project_path, parent, epochs)
        if problem:
            self._finish(run, "failed", problem)
            return run
        args = self._arguments(run, device, epochs, parent, extra_args or [])
        self._launch(run, args)
        return run

    def pause(self) -> None:
        """Pause at the next batch boundary (the script waits while RUN/pause exists)."""
        run = self.current
        if run and run.state in ("running", "starting", "resuming"):
            _touch(run.folder / "pause")
            self._set_state(run, "pausing")

    def resume(self) -> None:
        run = self.current
        if run and run.state in ("pausing", "paused"):
            _remove(run.folder / "pause")
            self._set_state(run, "resuming" if run.state == "paused" else "running")

    def stop(self) -> None:
        """Graceful stop (RUN/stop: the script saves and evaluates), then terminate, then kill."""
        run = self.current
        if not run or not run.active or run.stop_requested:
            return
        run.stop_requested = True
        _touch(run.folder / "stop")
        self._set_state(run, "stopping")
        if not run.record.start_info:  # still importing the framework: nothing to save yet
            self._terminate(run)
        else:
            self._later(run, self.stop_timeout, lambda: self._terminate(run))

    def kill(self) -> None:
        """End the current run's processes at once (SIGKILL)."""
        run = self.current
        if run and run.running() and run.active:
            run.stop_requested = run.forced = True
            _kill(run)

    def shutdown(self, wait_ms: int = 3000) -> None:
        """Kill every worker (the application is closing)."""
        for run in [*self._old, self.current]:
            if run is not None and run.running():
                run.stop_requested = run.forced = True
                _kill(run)
                for worker in run.running():
                    worker.process.waitForFinished(wait_ms)

    def checkpoint_of(self, run_id: str) -> Path | None:
        """The run's last checkpoint file, or None when it saved none."""
        rec = self.history.get(run_id)
        if rec is None or not rec.folder:
            return None
        path = Path(rec.folder) / CHECKPOINTS.get(rec.framework, "checkpoint.pt")
        return path if path.exists() else None

    # ------------------------------------------------------------------ starting
    def _folder(self, project_path: str | None, framework: str) -> Path:
        root = runs_folder(project_path)
        if root is None:
            if self._temp_root is None:
                self._temp_root = Path(tempfile.mkdtemp(prefix="layerlab-runs-"))
            root = self._temp_root
        for _ in range(100):
            folder = root / new_run_id(framework)
            if not folder.exists():
                break
        folder.mkdir(parents=True)
        return folder

    def _prepare(self, run: TrainingRun, frozen, project_path, parent, epochs) -> str | None:
        """Write the snapshot and the generated script; the reason it cannot run, or None."""
        project_dir = str(Path(project_path).parent) if project_path else None
        try:
            (run.folder / "project.json").write_text(run.snapshot, encoding="utf-8")
            source, problems = self.generator(frozen, run.record.framework, project_dir)
            (run.folder / "train.py").write_text(source, encoding="utf-8")
        except Exception as err:  # a generator bug or a full disk must not take the GUI down
            return f"could not prepare the run: {type(err).__name__}: {err}"
        if problems:
            return "the model cannot be trained yet: " + "; ".join(problems)
        if parent is not None:
            checkpoint = self.checkpoint_of(parent.run_id)
            if checkpoint is None:
                return f"run {parent.run_id} saved no checkpoint to resume from"
            epoch, step = _checkpoint_position(parent, checkpoint)
            if epochs is not None and epochs < epoch:
                return f"run {parent.run_id} already trained {epoch} epochs"
            run.record.continue_from(parent, epoch, step)
            run.first_step = step
        return None

    def _arguments(self, run: TrainingRun, device: str, epochs, parent, extra: list[str]) -> list[str]:
        args = [str(run.folder / "train.py"), "--progress", "jsonl", "--out", str(run.folder), "--device", device]
        if epochs is not None:
            args += ["--epochs", str(int(epochs))]
        if parent is not None:
            args += ["--resume", str(self.checkpoint_of(parent.run_id))]
        args += speed_arguments(run.record.framework, run.record.precision, run.record.compile)
        return args + [str(a) for a in extra]

    def _launch(self, run: TrainingRun, args: list[str]) -> None:
        from codegen.launch import local_commands

        launches = local_commands(run.record.framework, self.python, args[0], args[1:], run.processes)
        base = _environment(run.processes)
        for index, launch in enumerate(launches):
            proc = QProcess(self)
            proc.setProgram(launch.argv[0])
            proc.setArguments(launch.argv[1:])
            proc.setWorkingDirectory(str(run.folder))
            env = QProcessEnvironment(base)
            for key, value in launch.env.items():
                env.insert(key, value)
            proc.setProcessEnvironment(env)
            worker = Worker(index, proc)
            proc.readyReadStandardOutput.connect(lambda w=worker: self._on_output(run, w, stderr=False))
            proc.readyReadStandardError.connect(lambda w=worker: self._on_output(run, w, stderr=True))
            proc.finished.connect(lambda code, status, w=worker: self._on_finished(run, w, code, status))
            proc.errorOccurred.connect(lambda error, w=worker: self._on_process_error(run, w, error))
            run.workers.append(worker)
        for worker in run.workers:
            if not run.active:
                break  # one that failed to start has ended the run
            worker.process.start()
        if run.torchrun and run.active:
            self._watch_tree(run)

    def _watch_tree(self, run: TrainingRun) -> None:
        """Note torchrun's processes every second: if torchrun itself is killed, its workers still end."""
        timer = QTimer(self)
        worker = run.workers[0]

        def note() -> None:
            if worker.process is not None and worker.process.state() == QProcess.ProcessState.Running:
                worker.tree = sorted({*worker.tree, *tree.descendants(worker.process.processId())})

        timer.timeout.connect(note)
        timer.start(1000)
        run.timers.append(timer)

    # ------------------------------------------------------------------ output
    def _on_output(self, run: TrainingRun, worker: Worker, stderr: bool) -> None:
        proc = worker.process
        if proc is None:
            return
        chunk = bytes(proc.readAllStandardError() if stderr else proc.readAllStandardOutput())
        lines = (worker.stderr if stderr else worker.stdout).feed(chunk)
        self._take_lines(run, lines, stderr, worker)

    def _take_lines(self, run: TrainingRun, lines: list[str], stderr: bool, worker: Worker | None = None) -> None:
        """Events from the reporting process's stdout; every other line goes to the log and the tail."""
        index = worker.index if worker is not None else 0
        for line in lines:
            if run is not self.current:
                self.stale_dropped += 1  # a late message from a replaced run
                continue
            event = None if stderr or index else parse_event(line)  # worker 0 alone reports
            if event is None:
                if line.strip():
                    if worker is not None:
                        worker.tail.add(line)
                    line = f"[worker {index}] {line}" if index else line
                    run.tail.add(line)
                    self.log_received.emit(run.run_id, line)
                continue
            self._on_event(run, event)

    def _on_event(self, run: TrainingRun, event: dict) -> None:
        kind = event["event"]
        run.record.add_event(event)
        if kind == "start":
            run.saved_at = time.monotonic()  # the first save SAVE_EVERY_S later, not at the first epoch
            self._set_state(run, "stopping" if run.stop_requested else "running")
        elif kind == "batch" and run.clock is None:
            run.clock = (time.monotonic(), float(event.get("step") or 0))
        elif kind == "paused" and run.state != "stopping":
            self._set_state(run, "paused")
        elif kind == "resumed" and run.state != "stopping":
            self._set_state(run, "running")
        elif kind == "end":
            run.got_end = True
        elif kind == "text":
            run.got_text = True
        elif kind == "error":
            run.error = str(event.get("message") or "the script reported an error")
            run.tail.add(f"error: {run.error}")
        elif kind == "epoch" and time.monotonic() - run.saved_at > SAVE_EVERY_S:
            run.saved_at = time.monotonic()  # short epochs: saving every one would cost more than training
            run.record.save()
        self.event_received.emit(run.run_id, event)

    # ------------------------------------------------------------------ ending
    def _on_finished(self, run: TrainingRun, worker: Worker, code: int, status) -> None:
        self._take_lines(run, worker.stdout.flush(), False, worker)
        self._take_lines(run, worker.stderr.flush(), True, worker)
        crashed = status == QProcess.ExitStatus.CrashExit
        worker.exit = (code, crashed)
        if worker.tree:  # torchrun has ended: none of its processes may outlive it
            tree.end_processes(worker.tree, str(run.folder))
        if (crashed or code) and run.failed_worker is None and not run.stop_requested:
            run.failed_worker = worker
        if run.running():  # several Keras workers: one that failed leaves the others waiting for it
            if run.failed_worker is not None:
                _kill(run)
            return
        code, crashed = run.workers[0].exit or (code, crashed)
        outcome, message = self._outcome(run, code, crashed)
        self._finish(run, outcome, message)

    def _outcome(self, run: TrainingRun, code: int, crashed: bool) -> tuple[str, str]:
        if run.start_failure:
            return "failed", run.start_failure
        if run.processes > 1 and not run.error and not (run.got_end and code == 0 and not crashed):
            failure = self._worker_failure(run)
            if failure:
                return "failed", failure
        if run.error:
            return "failed", _nan_message(run.error)
        if run.sampling and run.got_text and not crashed and code == 0:
            return "finished", "generated text from the trained model"
        if run.got_end and not crashed and code == 0:
            metrics = run.record.metrics
            stopped = run.stop_requested or bool(metrics.get("stopped"))
            return ("stopped" if stopped else "finished"), _metrics_text(metrics, stopped)
        if run.stop_requested:
            how = "killed" if run.forced else "ended"
            return "stopped", f"stopped: the worker was {how} before it saved its results"
        return "failed", explain_failure(code, crashed, list(run.tail.lines))

    def _worker_failure(self, run: TrainingRun) -> str | None:
        """Which of several processes failed first, and why (torchrun names it in its report)."""
        worker = run.failed_worker
        if worker is None or worker.exit is None:
            return None
        code, crashed = worker.exit
        if run.torchrun:
            found = torchrun_failure(list(worker.tail.lines))
            if found is None:
                return None
            rank, code, lines = found
            reason = explain_failure(-code if code < 0 else code, code < 0, lines)
            return worker_failure(rank, run.processes, reason)
        return worker_failure(worker.index, run.processes, explain_failure(code, crashed, list(worker.tail.lines)))

    def _on_process_error(self, run: TrainingRun, worker: Worker, error) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            run.start_failure = f"could not start the training process ({self.python})"
            run.stop_requested = run.forced = True  # the workers that did start are ended, not failures
            _kill(run)
            self._finish(run, "failed", run.start_failure)  # or when the last of them has ended

    def _finish(self, run: TrainingRun, outcome: str, message: str) -> None:
        for timer in run.timers:
            timer.stop()
        if run.running():
            return  # its last processes are ending (a worker that failed to start): wait for them
        for worker in run.workers:
            if worker.process is not None:
                worker.process.deleteLater()
                worker.process = None
        if run in self._old:  # a replaced run has ended: its outcome was recorded then
            self._old.remove(run)
            return
        if not run.active:
            return  # already ended (errorOccurred and finished can both arrive)
        run.record.outcome, run.record.message = outcome, message
        run.record.save()
        _remove(run.folder / "pause")
        self._set_state(run, outcome)
        if run is self.current:
            self.run_finished.emit(run.run_id, outcome, message)

    def _replace_current(self) -> None:
        """A new run replaces the current one: kill it now and ignore whatever it still prints."""
        run = self.current
        if run is None or not run.active:
            return
        run.stop_requested = run.forced = True
        if run.running():
            self._old.append(run)
            _kill(run)
        run.record.outcome, run.record.message = "stopped", "stopped: replaced by a newer run"
        run.record.save()
        self._set_state(run, "stopped")
        self.run_finished.emit(run.run_id, "stopped", run.record.message)
        self.current = None

    def _terminate(self, run: TrainingRun) -> None:
        """SIGTERM to each process (torchrun passes it on to its workers), later SIGKILL to all."""
        if not run.running():
            return
        run.forced = True
        for worker in run.running():
            worker.process.terminate()
        self._later(run, self.kill_timeout, lambda: _kill(run))

    def _later(self, run: TrainingRun, seconds: float, fn) -> None:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(fn)
        timer.start(int(seconds * 1000))
        run.timers.append(timer)

    def _set_state(self, run: TrainingRun, state: str) -> None:
        if run.state != state:
            run.state = state
            if run is self.current:
                self.state_changed.emit(run.run_id, state)


def _kill(run: TrainingRun) -> None:
    """SIGKILL every process of the run: for torchrun, its workers too (each in a session of its own)."""
    for worker in run.running():
        if run.torchrun:
            worker.tree = sorted({*worker.tree, *tree.descendants(worker.process.processId())})
        worker.process.kill()
        if worker.tree:
            tree.end_processes(worker.tree, str(run.folder))


def _environment(processes: int = 1) -> QProcessEnvironment:
    env = QProcessEnvironment.systemEnvironment()
    paths = [str(ROOT)] + ([env.value("PYTHONPATH")] if env.value("PYTHONPATH") else [])
    env.insert("PYTHONPATH", os.pathsep.join(paths))
    env.insert("PYTHONUNBUFFERED", "1")
    env.insert("PYTHONIOENCODING", "utf-8")
    if not env.contains("TF_CPP_MIN_LOG_LEVEL"):
        env.insert("TF_CPP_MIN_LOG_LEVEL", "2")
    if not env.contains("OMP_NUM_THREADS"):
        # Leave one core to the editor: a worker whose every thread wants a core stalls as a whole
        # whenever the GUI draws (measured on 2 cores: 0.89× the script alone with 2 threads).
        env.insert("OMP_NUM_THREADS", str(max(1, ((os.cpu_count() or 2) - 1) // processes)))
    return env


def _checkpoint_position(parent: RunRecord, checkpoint: Path) -> tuple[int, float]:
    """(epoch, step) the checkpoint was saved at: checkpoint.json when written, else the parent's curves."""
    import json

    side = checkpoint.with_suffix(".json")
    if side.exists():
        try:
            state = json.loads(side.read_text(encoding="utf-8"))
            return int(state["epoch"]), float(state["step"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    epoch = int(parent.epochs.last("epoch")) if parent.epochs.n else 0
    per_epoch = parent.start_info.get("steps_per_epoch")
    step = epoch * per_epoch if per_epoch else (parent.batches.last("step") if parent.batches.n else 0)
    return epoch, float(step)


def _nan_message(error: str) -> str:
    low = error.lower()
    if "nan" in low or "inf" in low:
        return f"the loss became NaN/Inf, so training stopped ({error}); try a lower learning rate"
    return error


def _metrics_text(metrics: dict, stopped: bool) -> str:
    parts = []
    if isinstance(metrics.get("test_accuracy"), int | float):
        parts.append(f"test accuracy {metrics['test_accuracy']:.2%}")
    if isinstance(metrics.get("test_loss"), int | float):
        parts.append(f"test loss {metrics['test_loss']:.4g}")
    head = "stopped early" if stopped else "finished"
    return head + (": " + ", ".join(parts) if parts else "")


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.touch()


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
