"""The project file: versioned JSON, strict two-phase loading, atomic saving.

Loading never runs code (plain ``json`` only: no pickle, no eval) and never half-loads: the whole
document is validated into plain values first, then a fresh graph is built (nodes, then edges).
Any problem raises one ``ProjectFileError`` that names the file and the field.
"""

from __future__ import annotations

import contextlib
import gc
import glob
import json
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.catalog import Catalog, default_catalog
from graph.model import Graph, GraphError, name_problem
from graph.project import SETUP_BY_NAME, Project, default_setup

FORMAT = "layerlab-project"
VERSION = 2  # 2: blocks ("groups"); a project without blocks is still written as version 1
MAX_GROUPS = 10_000
MAX_BYTES = 64 * 1024 * 1024
MAX_NODES = 100_000

# Migrations: MIGRATIONS[v] turns a version-v document (a plain dict) into version v+1.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: lambda doc: doc}  # 1 → 2: blocks are new and optional

_TOP_FIELDS = {"format", "version", "meta", "nodes", "edges", "training", "groups"}
_GROUP_FIELDS = {"id", "name", "title", "members", "inputs", "outputs", "collapsed"}
_NODE_FIELDS = {"id", "type", "name", "params", "pos"}
_EDGE_FIELDS = {"from", "to"}


class ProjectFileError(Exception):
    """A project file cannot be loaded; ``str()`` names the file, the field and the problem."""

    def __init__(self, source: str, message: str, where: str = ""):
        self.source, self.where, self.message = source, where, message
        super().__init__(f"{source}: {where}: {message}" if where else f"{source}: {message}")


# ----------------------------------------------------------------------------- saving
def to_document(project: Project) -> dict:
    """The project as a JSON-native dict in canonical order (so saves are deterministic)."""
    g = project.graph
    nodes = []
    for n in g.nodes():
        spec = g.catalog[n.type]
        params = {p.name: n.params[p.name] for p in spec.params}
        nodes.append({"id": n.id, "type": n.type, "name": n.name, "params": params, "pos": [n.pos[0], n.pos[1]]})
    edges = [{"from": [e.src, e.src_port], "to": [e.dst, e.dst_port]} for e in g.edges()]
    training = {p: project.setup[p] for p in SETUP_BY_NAME}
    meta = {k: project.meta[k] for k in sorted(project.meta)}
    doc = {"format": FORMAT, "version": 1, "meta": meta, "nodes": nodes, "edges": edges, "training": training}
    if g.groups():  # the lowest version that holds the project, so older LayerLabs open files without blocks
        doc["version"] = 2
        doc["groups"] = [group_document(gr) for gr in g.groups()]
    return doc


def group_document(group) -> dict:
    return {
        "id": group.id,
        "name": group.name,
        "title": group.title,
        "members": list(group.members),
        "inputs": [[list(p) for p in ports] for ports in group.inputs],
        "outputs": [list(p) for p in group.outputs],
        "collapsed": group.collapsed,
    }


def dumps(project: Project) -> str:
    return json.dumps(to_document(project), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


TEMP_SUFFIX = ".layerlab-tmp"


def save(project: Project, path: str | os.PathLike) -> None:
    """Write atomically: a temp file beside the real file (symlinks followed), flushed, then renamed over it.

    The file keeps its permission bits (a new file gets the umask's); temp files left by a save that was
    killed are removed by the next save. A hard-linked file is replaced by a new one (renaming cannot
    keep the link)."""
    target = Path(os.path.realpath(path))
    data = dumps(project).encode("utf-8")
    remove_stale_temps(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def remove_stale_temps(target: Path) -> None:
    """Delete temp files of earlier saves of ``target`` whose process no longer runs."""
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*{TEMP_SUFFIX}"):
        pid = stale.name[len(target.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and _running(int(pid)) and int(pid) != os.getpid():
            continue  # another LayerLab is saving this file right now
        with contextlib.suppress(OSError):
            stale.unlink()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ----------------------------------------------------------------------------- loading
def load(path: str | os.PathLike, catalog: Catalog | None = None) -> Project:
    """Load a project file, or raise ProjectFileError naming the file and the field."""
    return loads(read_limited(path, MAX_BYTES), source=str(path), catalog=catalog)


def read_limited(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; never blocks on a FIFO or reads a device."""
    source = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError) as err:  # ValueError: a null character in the path
        raise ProjectFileError(source, f"cannot read the file ({getattr(err, 'strerror', None) or err})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ProjectFileError(source, "not a regular file (a folder, device or pipe)")
        if info.st_size > limit:
            raise ProjectFileError(source, f"the file is too large ({info.st_size} bytes; limit {limit})")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(limit + 1)
    except OSError as err:
        raise ProjectFileError(source, f"cannot read the file ({err.strerror or err})") from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise ProjectFileError(source, f"the file is too large (over {limit} bytes)")
    return raw


def loads(text: str | bytes, source: str = "<project>", catalog: Catalog | None = None) -> Project:
    """Parse and validate a whole document, then build the project (or raise ProjectFileError)."""
    catalog = catalog or default_catalog()
    with _bulk_allocation():
        plan = _validate(_migrate(_parse_json(text, source), source), source, catalog)
        project = _build(plan, source, catalog)
        del plan  # freed now: the collector, running again soon, would scan the parsed document for nothing
    return project


@contextlib.contextmanager
def _bulk_allocation():
    """Pause the cyclic garbage collector while a document is parsed and built.

    Loading allocates many small objects that all stay alive; collections triggered on the way
    would rescan the growing heap again and again and make big files load super-linearly. (The
    graph holds no reference cycles, so a dropped project is freed at once, without the collector.)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # What was built is long-lived: hand it to the oldest generation as it is (freeze, then
            # unfreeze, moves every tracked object there without a scan), instead of letting the next
            # young collection and then the next middle one each scan the whole new heap.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a project file")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _parse_json(text: str | bytes, source: str) -> Any:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as err:
            raise ProjectFileError(source, f"not a text file (invalid UTF-8 at byte {err.start})") from None
    if not text.strip():
        raise ProjectFileError(source, "the file is empty")
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise ProjectFileError(source, f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    except ValueError as err:
        raise ProjectFileError(source, f"not valid JSON ({err})") from None
    except RecursionError:
        raise ProjectFileError(source, "not a LayerLab project (JSON nested too deeply)") from None


def _migrate(doc: Any, source: str) -> dict:
    if not isinstance(doc, dict):
        raise ProjectFileError(source, f"not a LayerLab project (expected a JSON object, got {_kind(doc)})")
    if doc.get("format") != FORMAT:
        raise ProjectFileError(source, f"not a LayerLab project (format should be {FORMAT!r})", "format")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ProjectFileError(source, "must be a positive integer", "version")
    if version > VERSION:
        raise ProjectFileError(
            source,
            f"the file was written by a newer LayerLab (format version {version}; this version reads up to {VERSION})",
            "version",
        )
    while version < VERSION:
        doc = MIGRATIONS[version](doc)
        version += 1
        doc["version"] = version
    return doc


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _expect(value: Any, types: type | tuple, source: str, where: str, what: str) -> Any:
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        raise ProjectFileError(source, f"must be {what}, got {_kind(value)}", where)
    if not isinstance(value, types):
        raise ProjectFileError(source, f"must be {what}, got {_kind(value)}", where)
    return value


def _check_fields(obj: dict, allowed: set, required: set, source: str, where: str) -> None:
    for key in obj:
        if key not in allowed:
            raise ProjectFileError(source, f"unknown field {key!r}", f"{where}.{key}" if where else key)
    for key in sorted(required):
        if key not in obj:
            raise ProjectFileError(source, "missing", f"{where}.{key}" if where else key)


def _validate(doc: dict, source: str, catalog: Catalog) -> dict:
    _check_fields(doc, _TOP_FIELDS, {"format", "version", "nodes", "edges"}, source, "")
    meta = _validate_meta(doc.get("meta", {}), source)
    nodes = _expect(doc["nodes"], list, source, "nodes", "a list")
    if len(nodes) > MAX_NODES:
        raise ProjectFileError(source, f"too many nodes ({len(nodes)}; limit {MAX_NODES})", "nodes")
    plan_nodes = [_validate_node(n, i, source, catalog) for i, n in enumerate(nodes)]
    ids = [n["id"] for n in plan_nodes]
    seen: set[str] = set()
    for i, nid in enumerate(ids):
        if nid in seen:
            raise ProjectFileError(source, f"duplicate node id {nid!r}", f"nodes[{i}].id")
        seen.add(nid)
    edges = _expect(doc["edges"], list, source, "edges", "a list")
    plan_edges = [_validate_edge(e, i, source, seen) for i, e in enumerate(edges)]
    setup = _validate_training(doc.get("training", {}), source)
    groups = _expect(doc.get("groups", []), list, source, "groups", "a list")
    if len(groups) > MAX_GROUPS:
        raise ProjectFileError(source, f"too many blocks ({len(groups)}; limit {MAX_GROUPS})", "groups")
    plan_groups = [_validate_group(gr, i, source, seen) for i, gr in enumerate(groups)]
    return {"meta": meta, "nodes": plan_nodes, "edges": plan_edges, "setup": setup, "groups": plan_groups}


def _validate_group(group: Any, i: int, source: str, ids: set[str]) -> dict:
    """A block's fields as plain values; whether its layers can form a block is the graph's check."""
    where = f"groups[{i}]"
    _expect(group, dict, source, where, "an object")
    _check_fields(group, _GROUP_FIELDS, {"id", "name", "members"}, source, where)
    gid = _expect(group["id"], str, source, f"{where}.id", "text")
    if not 0 < len(gid) <= 64:
        raise ProjectFileError(source, "must be 1–64 characters", f"{where}.id")
    name = _expect(group["name"], str, source, f"{where}.name", "text")
    problem = name_problem(name)
    if problem:
        raise ProjectFileError(source, problem, f"{where}.name")
    title = _expect(group.get("title", name), str, source, f"{where}.title", "text")
    if len(title) > 200:
        raise ProjectFileError(source, "is too long (at most 200 characters)", f"{where}.title")
    members = _expect(group["members"], list, source, f"{where}.members", "a list of node ids")
    for k, nid in enumerate(members):
        if not isinstance(nid, str) or nid not in ids:
            raise ProjectFileError(source, f"no node with id {str(nid)[:64]!r}", f"{where}.members[{k}]")

    def port(value: Any, at: str) -> tuple[str, str]:
        if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
            raise ProjectFileError(source, "must be [node id, port name]", at)
        return (value[0], value[1])

    inputs = _expect(group.get("inputs", []), list, source, f"{where}.inputs", "a list")
    plan_inputs = []
    for k, ports in enumerate(inputs):
        _expect(ports, list, source, f"{where}.inputs[{k}]", "a list of ports")
        plan_inputs.append([port(p, f"{where}.inputs[{k}][{m}]") for m, p in enumerate(ports)])
    outputs = _expect(group.get("outputs", []), list, source, f"{where}.outputs", "a list")
    plan_outputs = [port(p, f"{where}.outputs[{k}]") for k, p in enumerate(outputs)]
    collapsed = _expect(group.get("collapsed", False), bool, source, f"{where}.collapsed", "true or false")
    return {
        "id": gid,
        "name": name,
        "title": title,
        "members": list(members),
        "inputs": plan_inputs,
        "outputs": plan_outputs,
        "collapsed": collapsed,
    }


def _validate_meta(meta: Any, source: str) -> dict[str, str]:
    _expect(meta, dict, source, "meta", "an object")
    for key, value in meta.items():
        _expect(value, str, source, f"meta.{key}", "text")
        if len(value) > 100_000:
            raise ProjectFileError(source, "is too long", f"meta.{key}")
    return dict(meta)


def _validate_node(node: Any, i: int, source: str, catalog: Catalog) -> dict:
    where = f"nodes[{i}]"
    _expect(node, dict, source, where, "an object")
    _check_fields(node, _NODE_FIELDS, {"id", "type"}, source, where)
    nid = _expect(node["id"], str, source, f"{where}.id", "text")
    if not 0 < len(nid) <= 64:
        raise ProjectFileError(source, "must be 1–64 characters", f"{where}.id")
    type_id = _expect(node["type"], str, source, f"{where}.type", "text")
    if type_id not in catalog:
        raise ProjectFileError(source, f"unknown layer type {type_id[:80]!r}", f"{where}.type")
    spec = catalog[type_id]
    name = _expect(node.get("name", ""), str, source, f"{where}.name", "text")
    problem = name_problem(name) if name else None  # "" or no name: the graph picks one
    if problem:
        raise ProjectFileError(source, problem, f"{where}.name")
    params = _expect(node.get("params", {}), dict, source, f"{where}.params", "an object")
    values = spec.defaults()
    for key, value in params.items():
        value, problem = spec.validate_param(key, value)
        if problem:
            known = any(p.name == key for p in spec.params)
            raise ProjectFileError(source, problem, f"{where}.params.{key}" if known else f"{where}.params")
        values[key] = value
    pos = _validate_pos(node.get("pos", [0.0, 0.0]), source, f"{where}.pos")
    return {"id": nid, "type": spec.type_id, "name": name, "params": values, "pos": pos}


def _validate_pos(pos: Any, source: str, where: str) -> tuple[float, float]:
    _expect(pos, list, source, where, "a list [x, y]")
    if len(pos) != 2:
        raise ProjectFileError(source, "must be a list [x, y]", where)
    for v in pos:
        _expect(v, (int, float), source, where, "numbers")
        if abs(v) > 1e9:
            raise ProjectFileError(source, "position is out of range", where)
    return (float(pos[0]), float(pos[1]))


def _validate_edge(edge: Any, i: int, source: str, ids: set[str]) -> tuple[str, str, str, str]:
    where = f"edges[{i}]"
    _expect(edge, dict, source, where, "an object")
    _check_fields(edge, _EDGE_FIELDS, _EDGE_FIELDS, source, where)
    ends = []
    for end in ("from", "to"):
        value = edge[end]
        if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
            raise ProjectFileError(source, "must be [node id, port name]", f"{where}.{end}")
        if value[0] not in ids:
            raise ProjectFileError(source, f"no node with id {value[0][:64]!r}", f"{where}.{end}")
        ends.extend(value)
    return tuple(ends)  # type: ignore[return-value]


def _validate_training(training: Any, source: str) -> dict[str, Any]:
    _expect(training, dict, source, "training", "an object")
    setup = default_setup()
    for key, value in training.items():
        param = SETUP_BY_NAME.get(key)
        if param is None:
            raise ProjectFileError(source, f"unknown setting {key[:80]!r}", "training")
        value, problem = param.validate(value)
        if problem:
            raise ProjectFileError(source, problem, f"training.{key}")
        setup[key] = value
    return setup


def _build(plan: dict, source: str, catalog: Catalog) -> Project:
    graph = Graph(catalog)
    for i, n in enumerate(plan["nodes"]):
        try:
            graph.add_node(n["type"], n["params"], n["name"] or None, n["pos"], node_id=n["id"])
        except GraphError as err:
            raise ProjectFileError(source, str(err), f"nodes[{i}]") from None
    for i, (src, sp, dst, dp) in enumerate(plan["edges"]):
        try:
            graph.connect(src, sp, dst, dp, check_cycle=False)
        except GraphError as err:
            raise ProjectFileError(source, str(err), f"edges[{i}]") from None
    cycle = graph.find_cycle()
    if cycle:
        names = " → ".join(graph.node(n).name for n in cycle[:8])
        raise ProjectFileError(source, f"the connections form a cycle ({names} → …); a model must be acyclic", "edges")
    for i, gr in enumerate(plan.get("groups", [])):
        try:
            graph.add_group(
                gr["name"], gr["title"], gr["members"], gr["inputs"], gr["outputs"], gr["collapsed"], gr["id"]
            )
        except GraphError as err:
            raise ProjectFileError(source, str(err), f"groups[{i}]") from None
    return Project(graph, plan["setup"], plan["meta"])
