"""The public entry point: ``generate(project, framework)`` -> GeneratedCode. Never imports a framework."""

from __future__ import annotations

from dataclasses import dataclass, field

from codegen.emitter import Emitter, Plan, build_plan
from codegen.pyfmt import lit

FRAMEWORKS = ("pytorch", "tensorflow")
ALIASES = {
    "pytorch": "pytorch",
    "torch": "pytorch",
    "tensorflow": "tensorflow",
    "tf": "tensorflow",
    "keras": "tensorflow",
}


@dataclass(frozen=True)
class GeneratedCode:
    """A complete standalone script and where each node's code is."""

    framework: str  # "pytorch" | "tensorflow"
    source: str
    node_lines: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    plan: object = field(default=None, compare=False, repr=False)  # the rendered plan (names of aux layers)


def canonical_framework(name: str) -> str:
    """'torch'/'tf'/'keras' aliases to 'pytorch'/'tensorflow'; ValueError for anything else."""
    try:
        return ALIASES[name.lower()]
    except (KeyError, AttributeError):
        raise ValueError(f"unknown framework {name!r}; choose pytorch or tensorflow") from None


def script_name(project, framework: str) -> str:
    from codegen.naming import sanitize

    stem = sanitize(project.meta.get("title") or "model", "model")
    return f"{stem}_{'pytorch' if framework == 'pytorch' else 'keras'}.py"


FORMATS = ("script", "minimal", "model")  # the full training script, a short one, or only the model


def generate(project, framework: str, project_dir: str | None = None, form: str = "script") -> GeneratedCode:
    """The script (``form="script"``) or model module (``"model"``) for ``framework``; for an invalid
    graph, a stub that explains the problems (never raises)."""
    framework = canonical_framework(framework)
    try:
        info, _ = project.dataset_info(project_dir)
    except Exception:  # a broken dataset description must not break code generation
        info = None
    plan = build_plan(project.graph, info)
    if plan.ok:
        try:
            return _generate(project, plan, framework, project_dir, info, form)
        except Exception as err:  # a renderer bug: report it instead of crashing the editor
            plan.problems.append((None, f"internal error while generating code: {type(err).__name__}: {err}"))
    return _stub(plan, framework)


def _generate(project, plan: Plan, framework: str, project_dir, info, form: str = "script") -> GeneratedCode:
    from codegen.backend import BACKENDS, render_all

    backend = BACKENDS[framework]
    rendered, ctx = render_all(plan, backend)
    if plan.problems:
        return _stub(plan, framework)
    ctx.info = info
    if form == "model":
        em = backend.write_model(project, plan, rendered, ctx)
        return GeneratedCode(framework, em.source(), em.node_lines(), [], plan)
    if form == "minimal":
        kind = project.setup["dataset"]
        if plan.multi or plan.gan is not None or kind in ("text", "text_classes"):
            what = "a GAN" if plan.gan else "several Inputs or heads" if plan.multi else f"{kind} data"
            plan.problems.append((None, f"the short script does not cover {what} yet; export the full script"))
            return _stub(plan, framework)
        template = "minimal_pytorch.py.j2" if framework == "pytorch" else "minimal_keras.py.j2"
        em = backend.write_script(project, plan, rendered, ctx, project_dir, script_name(project, framework), template)
        _drop_unused_imports(em)
        return GeneratedCode(framework, em.source(), em.node_lines(), [], plan)
    em = backend.write_script(project, plan, rendered, ctx, project_dir, script_name(project, framework))
    return GeneratedCode(framework, em.source(), em.node_lines(), [], plan)


def _drop_unused_imports(em: Emitter) -> None:
    """The short scripts import what the longest loader needs and list the whole setup; drop a module-level
    import, setting or the DataError class nothing uses."""
    import re

    for line, used in (("from pathlib import Path", "Path"), ("import math", "math.")):
        if line in em.lines:
            rest = "\n".join(x for x in em.lines if x != line)
            if used not in rest:
                i = em.lines.index(line)
                del em.lines[i], em._owner[i]
    for i in reversed(range(len(em.lines))):
        m = re.match(r"([A-Z][A-Z0-9_]*) = ", em.lines[i])
        if m and not re.search(rf"\b{m.group(1)}\b", "\n".join(em.lines[:i] + em.lines[i + 1 :])):
            del em.lines[i], em._owner[i]
    source = "\n".join(em.lines)
    if source.count("DataError") == 1 and "class DataError(Exception):" in em.lines:
        i = em.lines.index("class DataError(Exception):")
        del em.lines[i : i + 4], em._owner[i : i + 4]  # the class, its docstring and two blank lines
    _tidy_blank_lines(em)


def _tidy_blank_lines(em: Emitter) -> None:
    """After removals: one blank line between import groups, at most two anywhere (ruff format's rules)."""
    header = True
    i = 0
    while i < len(em.lines):
        line = em.lines[i]
        if line.strip() and not line.startswith(("import ", "from ", '"""')) and not header_docstring(em, i):
            header = False
        limit = 1 if header else 2
        if not line.strip() and i >= limit and all(not em.lines[i - k].strip() for k in range(1, limit + 1)):
            del em.lines[i], em._owner[i]
            continue
        i += 1


def header_docstring(em: Emitter, i: int) -> bool:
    """Whether line ``i`` is inside the module docstring at the top."""
    if not em.lines or not em.lines[0].startswith('"""'):
        return False
    if em.lines[0].count('"""') >= 2:
        return i == 0
    end = next((k for k in range(1, len(em.lines)) if '"""' in em.lines[k]), 0)
    return i <= end


def _stub(plan: Plan, framework: str) -> GeneratedCode:
    em = Emitter()
    name = "PyTorch" if framework == "pytorch" else "TensorFlow/Keras"
    em.line(f'"""The {name} script cannot be generated yet: the model has problems (listed below)."""')
    em.blank()
    em.line("import sys")
    em.blank()
    em.line("PROBLEMS = [")
    for node_id, message in plan.problems:
        em.line(f"{lit(message)},", 1, node_id)
    em.line("]")
    em.blank()
    em.line('sys.exit("LayerLab: fix these problems in the editor first:\\n" + "\\n".join(PROBLEMS))')
    return GeneratedCode(framework, em.source(), em.node_lines(), [m for _, m in plan.problems])
