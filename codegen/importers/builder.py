"""The one way an importer writes a LayerLab graph: catalog layers, their weights, and every refusal.

An importer walks its source model in order and calls ``input`` / ``layer`` / ``output`` with catalog
type ids and parameters (checked by the catalog, as in the editor). Anything it cannot map it reports
with ``unsupported``: the builder keeps going so that the user gets the *whole* list, and ``finish``
then refuses the import (``ImportFailed``) instead of returning a partial project.

Weights are given per node in the layout of LayerLab's PyTorch lowering (the ``state_dict`` keys of the
node's generated PyTorch module), or as Keras weight lists (converted later, ``codegen.weights``).
Framework-free: the importers that need torch or Keras call this from the child process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from graph.analysis import analyze
from graph.layout import layered_positions
from graph.model import MAX_NAME, Graph, GraphError, name_problem
from graph.project import Project, default_setup

HEADS = ("output.classification", "output.binary", "output.multilabel", "output.regression")
HEAD_ALIASES = {h.split(".", 1)[1]: h for h in HEADS} | {h: h for h in HEADS} | {"auto": "auto"}


class ImportFailed(Exception):
    """The import was refused; ``problems`` lists every reason (one line each)."""

    def __init__(self, problems: list[str], what: str = "the model cannot be imported"):
        self.problems = list(problems)
        super().__init__(what + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


@dataclass(frozen=True)
class Ref:
    """One output port of a node in the graph being built (``node`` is None after a refused layer)."""

    node: str | None
    port: str = "out"


POISON = Ref(None)


@dataclass
class Imported:
    """A finished import: the project, its weights per node name (PyTorch layout) and notes for the user."""

    project: Project
    torch_weights: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    keras_weights: dict[str, dict[str, list[np.ndarray]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def has_weights(self) -> bool:
        return bool(self.torch_weights or self.keras_weights)


def clean_name(wanted: str, fallback: str = "layer") -> str:
    """A readable layer name from a source name ("layer1.0.conv1" -> "layer1_0_conv1")."""
    name = re.sub(r"[^0-9A-Za-z_]+", "_", str(wanted or "")).strip("_") or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return name[:MAX_NAME]


class GraphBuilder:
    """Builds one Graph from an importer's calls; see the module docstring."""

    def __init__(self, title: str = "Imported model", source: str = ""):
        self.graph = Graph()
        self.title = title
        self.source = source
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.outputs: list[tuple[Ref, str | None]] = []
        self._torch: dict[str, dict[str, np.ndarray]] = {}
        self._keras: dict[str, dict[str, list[np.ndarray]]] = {}
        self.scope: tuple[str, str] | None = None  # (module path, class) of the block being read, if any
        self._scopes: dict[str, tuple[str, str]] = {}  # node id -> the block it was read from

    # ----------------------------------------------------------------- building
    def name(self, wanted: str | None, type_id: str) -> str:
        base = clean_name(wanted or type_id.split(".")[-1], type_id.split(".")[-1])
        if self.scope is not None:  # inside a block: <block>_<name>, as LayerLab names a block's layers
            prefix = f"{clean_name(self.scope[0], 'block')}_"
            if not base.startswith(prefix):
                base = clean_name(prefix + re.sub(r"_\d+$", "", base))
        if name_problem(base) is None and self.graph.find_by_name(base) is None:
            return base
        return self.graph.unique_name(base)

    def input(self, type_id: str, name: str | None = None, **params) -> Ref:
        """An Input layer (``input.image``, ``input.tokens``, …) with its sample shape as parameters."""
        return self._add(type_id, {}, name, params, None, None, f"input {name or type_id}")

    def layer(
        self,
        type_id: str,
        inputs: Ref | list[Ref] | dict[str, Ref | list[Ref]],
        name: str | None = None,
        *,
        weights: dict[str, np.ndarray] | None = None,
        keras_weights: dict[str, list[np.ndarray]] | None = None,
        where: str | None = None,
        **params,
    ) -> Ref:
        """A catalog layer fed by ``inputs``: one Ref or a list (port ``in``), or {port: Ref or [Ref, …]}.

        ``weights``: the node's arrays keyed like its PyTorch module's ``state_dict``; ``keras_weights``:
        {Keras layer suffix ("" for the node's own layer): weight list}. ``where`` names the source
        node in messages (default: the name)."""
        if isinstance(inputs, Ref | list):
            inputs = {"in": inputs}
        return self._add(type_id, inputs, name, params, weights, keras_weights, where or name or type_id)

    def port(self, ref: Ref, port: str) -> Ref:
        """Another output port of the same node (e.g. an LSTM's ``state``)."""
        return Ref(ref.node, port) if ref.node is not None else POISON

    def unsupported(self, where: str, op: str, why: str) -> Ref:
        """Record a source node the catalog cannot express; returns a Ref that poisons its consumers."""
        self.problems.append(f"{where} ({op}): {why}")
        return POISON

    def output(self, ref: Ref, name: str | None = None) -> None:
        """A model output, in the model's order; ``finish`` puts a head on it."""
        self.outputs.append((ref, name))

    def _add(self, type_id, inputs, name, params, weights, keras_weights, where) -> Ref:
        flat = [r for v in inputs.values() for r in (v if isinstance(v, list) else [v])]
        if any(r.node is None for r in flat):
            return POISON  # a consumer of a refused node: the refusal already names the cause
        if type_id not in self.graph.catalog:
            self.problems.append(f"{where}: LayerLab has no layer type {type_id!r}")
            return POISON
        spec = self.graph.catalog.get(type_id)
        known = {p.name for p in spec.params}
        extra = sorted(set(params) - known)
        if extra:
            self.problems.append(f"{where}: {spec.title} has no parameter {', '.join(extra)} (importer bug)")
            return POISON
        try:
            node = self.graph.add_node(type_id, params, self.name(name, type_id))
        except GraphError as err:
            self.problems.append(f"{where} ({spec.title}): {err}")
            return POISON
        for port, refs in inputs.items():
            for r in refs if isinstance(refs, list) else [refs]:
                try:
                    self.graph.connect(r.node, r.port, node.id, port)
                except GraphError as err:
                    self.problems.append(f"{where} ({spec.title}): {err}")
                    return POISON
        if self.scope is not None:
            self._scopes[node.id] = self.scope
        if weights:
            self._torch[node.name] = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        if keras_weights:
            self._keras[node.name] = {k: [np.asarray(a, dtype=np.float32) for a in v] for k, v in keras_weights.items()}
        return Ref(node.id)

    # ----------------------------------------------------------------- finishing
    def finish(self, heads: list[str] | None = None, description: str = "") -> Imported:
        """The imported project, or ImportFailed with every problem. ``heads``: one head kind per output
        ("classification", "binary", "multilabel", "regression" or "auto"), default auto for all."""
        if not self.outputs and not self.problems:
            self.problems.append("the model has no output")
        if self.problems:
            raise ImportFailed(self.problems)
        kinds = list(heads or [])
        if len(kinds) == 1 and len(self.outputs) > 1:
            kinds = kinds * len(self.outputs)
        if kinds and len(kinds) != len(self.outputs):
            raise ImportFailed([f"{len(kinds)} head kinds given for {len(self.outputs)} model outputs"])
        kinds += ["auto"] * (len(self.outputs) - len(kinds))
        bad = [k for k in kinds if k not in HEAD_ALIASES]
        if bad:
            raise ImportFailed(
                [f"unknown head kind {k!r}; choose {', '.join(sorted(set(HEAD_ALIASES) - set(HEADS)))}" for k in bad]
            )
        analysis = analyze(self.graph)
        for (ref, name), kind in zip(self.outputs, kinds, strict=True):
            head = HEAD_ALIASES[kind]
            if head == "auto":
                head = guess_head(self.graph, analysis, ref)
            self._add(head, {"in": ref}, name or head.split(".")[1], {}, None, None, f"output {name or head}")
        if self.problems:
            raise ImportFailed(self.problems)
        analysis = analyze(self.graph)
        errors = [f"{self.graph.node(d.node_id).name if d.node_id else 'model'}: {d.message}" for d in analysis.errors]
        if errors:
            raise ImportFailed(errors, "the imported graph does not check (an importer limitation)")
        self._make_blocks()
        for nid, pos in layered_positions(self.graph).items():
            self.graph.move(nid, pos)
        meta = {"title": self.title, "description": description or f"Imported from {self.source or 'a model'}."}
        project = Project(self.graph, default_setup(), meta)
        project.setup.update(suggest_data(project))
        return Imported(project, dict(self._torch), dict(self._keras), list(self.notes))

    def _make_blocks(self) -> None:
        """One block per container module the layers came from (a PyTorch ``nn.Module`` subclass that
        holds layers: LayerLab's own exported blocks, a ResNet's BasicBlock); one that cannot be a
        block (a path leaves it and comes back) stays separate layers, with a note."""
        members: dict[str, list[str]] = {}
        classes: dict[str, str] = {}
        for nid, (path, cls) in self._scopes.items():
            if nid in self.graph:
                members.setdefault(path, []).append(nid)
                classes[path] = cls
        for path, ids in members.items():
            name = clean_name(path, "block")
            problem = self.graph.group_problem(ids) or self.graph.group_name_problem(name)
            if problem:
                self.notes.append(f"{path} ({classes[path]}): kept as separate layers ({problem})")
                continue
            self.graph.add_group(name, block_title(classes[path]), ids)


def block_title(cls: str) -> str:
    """``ResidualBlock`` → ``Residual block`` (a class name as a block's title)."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", cls) or [cls]
    text = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    return (text[:1].upper() + text[1:])[:200] or "Block"


def guess_head(graph: Graph, analysis, ref: Ref) -> str:
    """The head a model output most likely had: after a sigmoid a binary (one value) or multi-label head,
    after a softmax or for several scores classification, for images or one value regression."""
    node = graph.node(ref.node)
    t = analysis.output(ref.node, ref.port)
    last = t.dims[-1] if t is not None and t.dims else None
    activation = node.type if node.type in ("sigmoid", "softmax") else node.params.get("activation")
    if activation == "sigmoid":
        return "output.binary" if last == 1 else "output.multilabel"
    if activation == "softmax":
        return "output.classification"
    if t is None or t.channels_first:  # an image out (autoencoder) by default; segmentation: say so
        return "output.regression"
    return "output.classification" if last and last > 1 else "output.regression"


def suggest_data(project: Project) -> dict:
    """Training data for an imported model: a bundled set it fits as it is (the digits, 2-D moons), else
    an NPZ file for the user to choose (the editor and ``check`` then say that the path is missing)."""
    for kind in ("digits", "moons"):
        project.setup["dataset"] = kind
        info, problem = project.dataset_info()
        if problem is None and not analyze(project.graph, info).errors:
            return {"dataset": kind}
    return {"dataset": "npz", "dataset_path": ""}
