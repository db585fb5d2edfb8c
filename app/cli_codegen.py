"""The ``export``, ``verify`` and ``train`` commands (code generation). Imports frameworks only in verify."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from app.cli import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, command, load_project, say

FRAMEWORK_CHOICES = ("pytorch", "torch", "tensorflow", "tf", "keras")


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="a LayerLab project (.json)")
    p.add_argument("--framework", "-f", choices=FRAMEWORK_CHOICES, default="pytorch")
    p.add_argument(
        "--format",
        choices=("script", "minimal", "model", "notebook", "onnx", "png", "svg", "slurm"),
        default="script",
        help="script: the full training script (default); minimal: a short seed-style script; "
        "model: an importable module with only the model; "
        "notebook: the script as a Jupyter notebook that explains each step (needs -o); "
        "onnx: the PyTorch model as ONNX (needs -o), checked with onnxruntime; "
        "png, svg: the model diagram as the editor draws it (needs -o); "
        "slurm: the training script and a SLURM batch script beside it (-o: the batch script, default train.slurm)",
    )
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="notebook: the language of its explanations")
    p.add_argument("--weights", help="onnx: a state dict (.pt) from a run to put in the file")
    p.add_argument("-o", "--output", help="write the script here (default: print it)")
    cluster = p.add_argument_group("slurm", "the batch script of --format slurm (docs/distributed.md)")
    cluster.add_argument("--nodes", type=int, default=1, help="machines (default 1)")
    cluster.add_argument("--gpus-per-node", type=int, default=0, help="GPUs of each machine (default 0: CPU)")
    cluster.add_argument(
        "--processes", type=int, help="processes per machine (default: one per GPU for PyTorch, one for Keras)"
    )
    cluster.add_argument("--time", default="01:00:00", help="the job's time limit (default 01:00:00)")


@command("export", "write the PyTorch or TensorFlow/Keras training script of a project", _export_args)
def cmd_export(args: argparse.Namespace) -> int:
    from codegen import generate

    project = load_project(args.file)
    if project is None:
        return EXIT_UNREADABLE
    if args.format == "onnx":
        return _export_onnx(args, project)
    if args.format == "notebook":
        return _export_notebook(args, project)
    if args.format in ("png", "svg"):
        return _export_diagram(args, project)
    if args.format == "slurm":
        return _export_slurm(args, project)
    code = generate(project, args.framework, str(Path(args.file).resolve().parent), form=args.format)
    for problem in code.problems:
        say(f"error: {problem}", error=True)
    if args.output:
        Path(args.output).write_text(code.source, encoding="utf-8")
    else:
        sys.stdout.write(code.source)
    return EXIT_INVALID if code.problems else EXIT_OK


def _export_slurm(args: argparse.Namespace, project) -> int:
    """The training script and, beside it, a batch script that runs it on a SLURM cluster."""
    from codegen import generate
    from codegen.api import canonical_framework
    from codegen.launch import slurm_script

    framework = canonical_framework(args.framework)
    batch = Path(args.output or "train.slurm")
    if batch.suffix == ".py":  # -o names the training script: the batch script goes beside it
        batch = batch.with_suffix(".slurm")
    script = batch.with_suffix(".py")
    title = project.meta.get("title") or Path(args.file).stem
    try:
        text = slurm_script(
            framework, script.name, [], args.nodes, args.gpus_per_node, args.time, args.processes, title
        )
    except ValueError as err:
        say(f"error: {err}", error=True)
        return EXIT_INVALID
    code = generate(project, framework, str(Path(args.file).resolve().parent))
    for problem in code.problems:
        say(f"error: {problem}", error=True)
    try:
        script.write_text(code.source, encoding="utf-8")
        batch.write_text(text, encoding="utf-8")
    except OSError as err:
        say(f"error: cannot write {batch}: {err}", error=True)
        return EXIT_INVALID
    batch.chmod(batch.stat().st_mode | 0o111)
    where = "" if str(batch.parent) == "." else f"cd {batch.parent} && "  # the job starts where sbatch ran
    say(f"wrote {script} and {batch}; submit: {where}sbatch {batch.name} (without SLURM: {where}bash {batch.name})")
    return EXIT_INVALID if code.problems else EXIT_OK


def _export_notebook(args: argparse.Namespace, project) -> int:
    import nbformat

    from codegen.notebook import notebook

    if not args.output:
        say("error: --format notebook needs -o FILE.ipynb", error=True)
        return EXIT_INVALID
    nb, problems = notebook(project, args.framework, str(Path(args.file).resolve().parent), args.lang)
    for problem in problems:
        say(f"error: {problem}", error=True)
    if nb is None:
        return EXIT_INVALID
    Path(args.output).write_text(nbformat.writes(nb), encoding="utf-8")
    return EXIT_OK


def _export_onnx(args: argparse.Namespace, project) -> int:
    from codegen.onnx_export import export_onnx

    if not args.output:
        say("error: --format onnx needs -o FILE.onnx", error=True)
        return EXIT_INVALID
    report = export_onnx(project, args.output, str(Path(args.file).resolve().parent), args.weights)
    say(report.text(), error=not report.ok)
    return EXIT_OK if report.ok else EXIT_INVALID


def _export_diagram(args: argparse.Namespace, project) -> int:
    if not args.output:
        say(f"error: --format {args.format} needs -o FILE.{args.format}", error=True)
        return EXIT_INVALID
    from app.diagram import render  # Qt only here; offscreen when there is no display

    try:
        render(project, args.format, args.output, path=str(Path(args.file).resolve()))
    except OSError as err:
        say(f"error: cannot write {args.output}: {err}", error=True)
        return EXIT_INVALID
    return EXIT_OK


def _verify_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="a LayerLab project (.json)")
    p.add_argument("--batch", type=int, default=4, help="samples to compare")
    p.add_argument("--tolerance", type=float, default=1e-4, help="largest allowed absolute difference")


@command("verify", "check that the PyTorch and Keras scripts compute the same function", _verify_args)
def cmd_verify(args: argparse.Namespace) -> int:
    project = load_project(args.file)
    if project is None:
        return EXIT_UNREADABLE
    os.environ.setdefault(
        "TF_CPP_MIN_LOG_LEVEL", "3"
    )  # verify prints its own report; hide TF start-up chatter (incl. "no CUDA")
    from codegen.verify import verify

    try:
        report = verify(project, str(Path(args.file).resolve().parent), args.batch, tolerance=args.tolerance)
    except ValueError as err:
        say(f"error: {err}", error=True)
        return EXIT_INVALID
    print(report.text())
    return EXIT_OK if report.ok else EXIT_INVALID


def _train_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="a LayerLab project (.json)")
    p.add_argument(
        "--framework", "-f", choices=FRAMEWORK_CHOICES, default=None, help="default: the project's training framework"
    )
    p.add_argument("--epochs", type=int)
    p.add_argument("--device", help="auto, cpu, cuda or cuda:N")
    p.add_argument("--out", help="output folder (default: out/<project>-<framework>)")
    p.add_argument("--progress", choices=("text", "jsonl"), default="text")


@command("train", "generate the training script and run it in a child process", _train_args)
def cmd_train(args: argparse.Namespace) -> int:
    from codegen import generate
    from codegen.api import canonical_framework

    project = load_project(args.file)
    if project is None:
        return EXIT_UNREADABLE
    framework = canonical_framework(args.framework or project.setup.get("framework", "pytorch"))
    code = generate(project, framework, str(Path(args.file).resolve().parent))
    if code.problems:
        for problem in code.problems:
            say(f"error: {problem}", error=True)
        return EXIT_INVALID
    out = Path(args.out or Path("out") / f"{Path(args.file).stem}-{framework}")
    out.mkdir(parents=True, exist_ok=True)
    script = out / ("train_pytorch.py" if framework == "pytorch" else "train_keras.py")
    script.write_text(code.source, encoding="utf-8")
    cmd = [sys.executable, str(script), "--out", str(out), "--progress", args.progress]
    if args.epochs:
        cmd += ["--epochs", str(args.epochs)]
    if args.device:
        cmd += ["--device", args.device]
    return subprocess.call(cmd, env=_child_env())


def _child_env() -> dict[str, str]:
    """The environment for the script: LayerLab's packages importable (bundled data), quiet TF."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


__all__ = ["cmd_export", "cmd_train", "cmd_verify"]
