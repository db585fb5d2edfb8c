"""Launch commands for several training processes: torchrun for PyTorch, TF_CONFIG workers for Keras,
and a SLURM batch script for clusters (docs/distributed.md). Pure functions: no Qt, no framework."""

from __future__ import annotations

import json
import re
import shlex
import socket
from contextlib import ExitStack
from typing import NamedTuple

TORCHRUN = ("-m", "torch.distributed.run")  # ``torchrun`` itself, found through the interpreter
DEFAULT_PORT = 29500  # torchrun's usual rendezvous port; Keras workers take this one and the next ones
_TIME = re.compile(r"^(\d+|\d+:\d{2}(:\d{2})?|\d+-\d{1,2}(:\d{2}(:\d{2})?)?)$")  # sbatch --time forms


class Launch(NamedTuple):
    """One process to start: its command line and the variables to add to its environment."""

    argv: list[str]
    env: dict[str, str]


def free_ports(n: int, host: str = "127.0.0.1") -> list[int]:
    """``n`` distinct ports nobody listens on now (each socket is held until all are found)."""
    with ExitStack() as stack:
        ports = []
        for _ in range(n):
            s = stack.enter_context(socket.socket())
            s.bind((host, 0))
            ports.append(s.getsockname()[1])
        return ports


def tf_config(workers: list[str], index: int) -> str:
    """The TF_CONFIG of worker ``index`` in a cluster of ``host:port`` workers (worker 0 is the chief)."""
    return json.dumps({"cluster": {"worker": list(workers)}, "task": {"type": "worker", "index": index}})


def torchrun_command(python: str, script: str, args: list[str], processes: int) -> list[str]:
    """One machine, ``processes`` PyTorch processes: torchrun with a rendezvous of its own."""
    return [python, *TORCHRUN, "--standalone", "--nproc-per-node", str(processes), script, *args]


def local_commands(
    framework: str, python: str, script: str, args: list[str], processes: int = 1, ports: list[int] | None = None
) -> list[Launch]:
    """The processes that train ``script`` with ``processes`` workers on this machine.

    One process: the script itself, as always. PyTorch: one torchrun, whose stdout is rank 0's. Keras:
    one process per worker, each with its TF_CONFIG on localhost; worker 0 (the chief) reports."""
    if processes <= 1:
        return [Launch([python, script, *args], {})]
    if framework == "pytorch":
        return [Launch(torchrun_command(python, script, args, processes), {})]
    ports = ports or free_ports(processes)
    workers = [f"127.0.0.1:{port}" for port in ports[:processes]]
    argv = [python, script, *args, "--strategy", "multiworker"]
    return [Launch(list(argv), {"TF_CONFIG": tf_config(workers, i)}) for i in range(processes)]


def job_name(title: str) -> str:
    """A SLURM job name from a project title: letters, digits, ``-``, ``_`` and ``.`` only."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", title).strip("-.")[:40]
    return name or "layerlab"


def check_time(value: str) -> str:
    """``value`` when sbatch accepts it as --time (minutes, H:MM:SS, D-HH[:MM[:SS]]), else ValueError."""
    if not _TIME.match(value):
        raise ValueError(f"--time {value!r}: use minutes, HH:MM:SS or D-HH:MM:SS")
    return value


def slurm_script(
    framework: str,
    script_name: str = "train.py",
    args: list[str] | None = None,
    nodes: int = 1,
    gpus_per_node: int = 0,
    time: str = "01:00:00",
    processes: int | None = None,
    name: str = "layerlab",
    port: int = DEFAULT_PORT,
) -> str:
    """A bash batch script that trains ``script_name`` on ``nodes`` machines of a SLURM cluster.

    ``processes`` is per node (default: one per GPU for PyTorch, one per node for Keras, whose worker
    uses every GPU of its node). Without SLURM's variables the same launch line runs on this machine."""
    if nodes < 1 or gpus_per_node < 0 or (processes is not None and processes < 1):
        raise ValueError("nodes and processes must be at least 1, GPUs per node at least 0")
    if not script_name.isprintable():  # it is written into comments and a shell variable
        raise ValueError(f"the script name {script_name!r} has control characters")
    if processes is None:
        processes = max(gpus_per_node, 1) if framework == "pytorch" else 1
    device = "auto" if gpus_per_node else "cpu"
    fixed = ["--out", '"$OUT"', "--device", device, *map(shlex.quote, args or [])]
    tasks = 1 if framework == "pytorch" else processes  # torchrun starts a node's processes itself
    lines = [
        "#!/bin/bash",
        f"#SBATCH --job-name={job_name(name)}",
        f"#SBATCH --nodes={nodes}",
        f"#SBATCH --ntasks-per-node={tasks}",
        *([f"#SBATCH --gres=gpu:{gpus_per_node}"] if gpus_per_node else []),
        f"#SBATCH --time={check_time(time)}",
        "#SBATCH --output=%x-%j.out",
        "",
        *_PREAMBLE.format(
            script=shlex.quote(script_name),
            batch=shlex.quote(_batch_name(script_name)),
            framework=_FRAMEWORKS[framework],
        ).splitlines(),
        f'PROCS="${{LAYERLAB_PROCESSES:-{processes}}}"  # processes on each node',
        f'PORT="${{LAYERLAB_PORT:-{port}}}"',
        f"ARGS=({' '.join(fixed)})",
        "",
    ]
    body = _TORCH if framework == "pytorch" else _KERAS
    return "\n".join(lines) + body


def _batch_name(script_name: str) -> str:
    stem = script_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return f"{stem or 'train'}.slurm"


_FRAMEWORKS = {"pytorch": "PyTorch (torchrun)", "tensorflow": "TensorFlow/Keras (MultiWorkerMirroredStrategy)"}

_PREAMBLE = """\
# Written by `layerlab export --format slurm`: trains {script} with {framework}.
# Submit from the folder that holds {script}:  sbatch {batch} [more script options]
# On one machine without SLURM the same launch line runs here:  bash {batch} [options]
# --batch-size is the global batch: every process takes its share of each batch.
# Overrides: PYTHON (interpreter), LAYERLAB_PROCESSES, LAYERLAB_PORT, LAYERLAB_OUT (output folder).
set -euo pipefail
cd "${{SLURM_SUBMIT_DIR:-$(dirname "$0")}}"
SCRIPT={script}
[ -f "$SCRIPT" ] || {{ echo "error: $SCRIPT is not in $PWD (submit from the folder that holds it)" >&2; exit 2; }}
PYTHON="${{PYTHON:-python3}}"
OUT="${{LAYERLAB_OUT:-runs/${{SLURM_JOB_ID:-local}}}}"
export PYTHONUNBUFFERED=1
if [ -n "${{SLURM_JOB_ID:-}}" ]; then
  HOSTS=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | tr '\\n' ' ')
  NNODES="$SLURM_NNODES"
else  # not in a SLURM job: one node, this machine
  HOSTS=127.0.0.1
  NNODES=1
fi
HEAD="${{HOSTS%% *}}"
"""

# One torchrun per node (srun starts them); they meet at the first node's rendezvous.
_TORCH = """\
LAUNCH=()
if [ -n "${SLURM_JOB_ID:-}" ]; then LAUNCH=(srun --kill-on-bad-exit=1); fi
exec ${LAUNCH[@]+"${LAUNCH[@]}"} "$PYTHON" -m torch.distributed.run \\
  --nnodes "$NNODES" --nproc-per-node "$PROCS" \\
  --rdzv-id "${SLURM_JOB_ID:-local}" --rdzv-backend c10d --rdzv-endpoint "$HEAD:$PORT" \\
  "$SCRIPT" "${ARGS[@]}" "$@"
"""

# Each task builds its TF_CONFIG from the job's host list and its place on its node, then becomes
# the training script. Worker i listens on HOST:PORT+k, k its place on the node.
_KERAS = """\
export LAYERLAB_HOSTS="$HOSTS" LAYERLAB_TASKS_PER_NODE="$PROCS" LAYERLAB_PORT="$PORT"
WORKER=$(cat <<'PY'
import json, os, sys
hosts, per_node = os.environ["LAYERLAB_HOSTS"].split(), int(os.environ["LAYERLAB_TASKS_PER_NODE"])
port = int(os.environ["LAYERLAB_PORT"])
node, local = int(os.environ.get("SLURM_NODEID", "0")), int(os.environ.get("SLURM_LOCALID", "0"))
workers = [f"{h}:{port + k}" for h in hosts for k in range(per_node)]
task = {"type": "worker", "index": node * per_node + local}
os.environ["TF_CONFIG"] = json.dumps({"cluster": {"worker": workers}, "task": task})
gpus = [g for g in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if g]
share = len(gpus) // per_node
if per_node > 1 and share:  # several workers on a node: each its own GPUs
    os.environ["CUDA_VISIBLE_DEVICES"] = ",".join(gpus[local * share : (local + 1) * share])
os.execv(sys.executable, [sys.executable, *sys.argv[1:]])
PY
)
if [ -n "${SLURM_JOB_ID:-}" ]; then
  exec srun --kill-on-bad-exit=1 "$PYTHON" -c "$WORKER" "$SCRIPT" "${ARGS[@]}" --strategy multiworker "$@"
fi
pids=()
trap 'kill "${pids[@]}" 2>/dev/null' TERM INT
for ((i = 0; i < PROCS; i++)); do
  SLURM_NODEID=0 SLURM_LOCALID=$i "$PYTHON" -c "$WORKER" "$SCRIPT" "${ARGS[@]}" --strategy multiworker "$@" &
  pids+=($!)
done
status=0
for ((i = 0; i < PROCS; i++)); do  # a worker that fails leaves the others waiting for it: end them
  wait -n || { rc=$?; [ "$status" -ne 0 ] || status=$rc; kill "${pids[@]}" 2>/dev/null || true; }
done
exit "$status"
"""
