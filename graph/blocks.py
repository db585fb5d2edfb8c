"""Blocks to reuse: the bundled ones (residual, SE, Transformer encoder) and the user's library.

A block travels as a project fragment (clipboard JSON) holding its layers, their connections and one
group covering them all, so inserting a block is a paste and a library file opens with the same strict
loader as a project. Member layers are named ``<block>_<local>``; the code generator writes the local
part as the attribute (PyTorch) or layer-name suffix (Keras) inside the block's class or function.
A bundled block can *fit* its input: the sizes that must equal the input's features (a residual
block's filters, an SE block's gate, a Transformer layer's model width) are set from it on insertion.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.clipboard import apply_paste, copy_nodes, local_name, plan_paste
from graph.fileformat import ProjectFileError, loads, read_limited, to_document
from graph.model import Graph
from graph.project import Project

LIBRARY_SUFFIX = ".layerlab-block.json"
MAX_BLOCK_BYTES = 4 * 1024 * 1024


@dataclass
class BlockEntry:
    """One block the palette offers: its titles, what it is, and its fragment (clipboard JSON)."""

    key: str  # "bundled:residual", "library:<file name>", "project:<title>"
    title: str
    title_zh: str
    description: str
    description_zh: str
    text: str
    source: str  # "bundled", "library" or "project"
    path: str | None = None
    fit: Callable[[int], dict[str, dict]] | None = field(default=None, repr=False)

    def fitted(self, features: int | None) -> str:
        """The fragment with the sizes that follow the input set for ``features`` (unchanged without)."""
        if self.fit is None or not features:
            return self.text
        changes = self.fit(int(features))
        doc = json.loads(self.text)
        block = doc["groups"][0]["name"]
        for node in doc["nodes"]:
            local = local_name(node["name"], block)
            node["params"].update(changes.get(local, {}))
        return json.dumps(doc, ensure_ascii=False)


def insert_block(graph: Graph, entry: BlockEntry, after: str | None = None, features: int | None = None):
    """Add a block to ``graph`` directly (no undo), fitted to ``features``, its input 0 fed by ``after``'s
    main output; returns the new Group. The editor's undoable version is Document.insert_block."""
    _ids, (group,) = apply_paste(graph, plan_paste(entry.fitted(features), graph, (0.0, 0.0)))
    if after is not None:
        out = graph.spec(after).outputs[0].name
        for nid, port in group.inputs[0]:
            graph.connect(after, out, nid, port)
    return group


# ----------------------------------------------------------------------------- bundled blocks
def _chain(g: Graph, block: str, layers: list[tuple[str, str, dict]], x0: float = 0.0, y: float = 0.0):
    """Add layers (local name, type, params) left to right, each fed by the one before; returns their ids."""
    ids = []
    for i, (local, type_id, params) in enumerate(layers):
        node = g.add_node(type_id, params, f"{block}_{local}", (x0 + 200.0 * i, y))
        if ids:
            g.connect(ids[-1], "out", node.id, "in")
        ids.append(node.id)
    return ids


def _residual(g: Graph) -> None:
    conv = {"kernel_size": [3, 3], "padding": [1, 1, 1, 1], "use_bias": False, "filters": 16}
    ids = _chain(
        g,
        "residual",
        [
            ("conv1", "conv2d", conv),
            ("bn1", "batch_norm", {}),
            ("relu1", "relu", {}),
            ("conv2", "conv2d", conv),
            ("bn2", "batch_norm", {}),
            ("add", "add", {}),
            ("relu2", "relu", {}),
        ],
    )
    g.add_group("residual", "Residual block", ids, [[(ids[0], "in"), (ids[5], "in")]], [(ids[6], "out")])


def _residual_fit(c: int) -> dict[str, dict]:
    return {"conv1": {"filters": c}, "conv2": {"filters": c}}


def _se(g: Graph) -> None:
    c = 16
    ids = _chain(
        g,
        "se",
        [
            ("squeeze", "global_avg_pool", {}),
            ("reduce", "dense", {"units": c // 4, "activation": "relu"}),
            ("expand", "dense", {"units": c, "activation": "sigmoid"}),
            ("gate", "reshape", {"target_shape": [c, 1, 1]}),
            ("scale", "multiply", {}),
        ],
    )
    g.add_group("se", "Squeeze-and-excitation block", ids, [[(ids[0], "in"), (ids[4], "in")]], [(ids[4], "out")])


def _se_fit(c: int) -> dict[str, dict]:
    return {"reduce": {"units": max(1, c // 4)}, "expand": {"units": c}, "gate": {"target_shape": [c, 1, 1]}}


def _transformer(g: Graph) -> None:
    d = 64
    attn = g.add_node("multi_head_attention", {"num_heads": 4}, "encoder_attention", (0.0, 0.0))
    rest = _chain(
        g,
        "encoder",
        [
            ("dropout1", "dropout", {"rate": 0.1}),
            ("add1", "add", {}),
            ("norm1", "layer_norm", {}),
            ("ff1", "dense", {"units": 4 * d, "activation": "relu"}),
            ("ff2", "dense", {"units": d}),
            ("dropout2", "dropout", {"rate": 0.1}),
            ("add2", "add", {}),
            ("norm2", "layer_norm", {}),
        ],
        x0=200.0,
    )
    g.connect(attn.id, "out", rest[0], "in")
    g.connect(rest[2], "out", rest[6], "in")  # the second residual connection
    ids = [attn.id, *rest]
    inputs = [[(attn.id, "query"), (attn.id, "value"), (rest[1], "in")]]
    g.add_group("encoder", "Transformer encoder layer", ids, inputs, [(rest[7], "out")])


def _transformer_fit(d: int) -> dict[str, dict]:
    heads = next(h for h in (8, 4, 2, 1) if d % h == 0 and d // h >= 8) if d >= 8 else 1
    return {"attention": {"num_heads": heads}, "ff1": {"units": 4 * d}, "ff2": {"units": d}}


_BUNDLED = [
    (
        "residual",
        _residual,
        _residual_fit,
        "Residual block",
        "残差块",
        "Two 3×3 convolutions with batch norm and a shortcut that adds the input back (ResNet's basic "
        "block). Its filters follow the input's channels.",
        "两个带批归一化的 3×3 卷积，加上把输入加回来的捷径连接（ResNet 的基本块）。卷积核数跟随输入通道数。",
    ),
    (
        "se",
        _se,
        _se_fit,
        "Squeeze-and-excitation block",
        "挤压-激励块",
        "Learns one weight per channel from the channel means and scales the channels by it "
        "(Hu et al., SENet; reduction 4).",
        "根据各通道的均值为每个通道学习一个权重，并用它缩放各通道（Hu 等人的 SENet；压缩比 4）。",
    ),
    (
        "transformer_encoder",
        _transformer,
        _transformer_fit,
        "Transformer encoder layer",
        "Transformer 编码器层",
        "Self-attention and a feed-forward network, each with dropout, a residual connection and layer "
        "norm (post-norm, as in 'Attention Is All You Need'). Its width follows the input's features.",
        "自注意力和前馈网络，各带 dropout、残差连接和层归一化（后归一化，同《Attention Is All You Need》）。"
        "宽度跟随输入特征数。",
    ),
]


def bundled_blocks() -> list[BlockEntry]:
    """The blocks LayerLab ships, each built through the graph API and checked like any fragment."""
    out = []
    for key, build, fit, title, title_zh, desc, desc_zh in _BUNDLED:
        g = Graph()
        build(g)
        text = json.dumps(to_document(Project(g)), ensure_ascii=False)
        out.append(BlockEntry(f"bundled:{key}", title, title_zh, desc, desc_zh, text, "bundled", None, fit))
    return out


# ----------------------------------------------------------------------------- one block's fragment
def block_text(graph: Graph, group_id: str) -> str:
    """A block of ``graph`` as a fragment: its layers, their connections and the block itself."""
    group = graph.group(group_id)
    return copy_nodes(graph, group.members)


def project_blocks(graph: Graph) -> list[BlockEntry]:
    """One entry per kind of block used in this project (the first of each title), to insert again."""
    seen: dict[str, BlockEntry] = {}
    for group in graph.groups():
        if group.title in seen:
            continue
        text = block_text(graph, group.id)
        desc = f"{len(group.members)} layers, used in this project as {group.name}"
        desc_zh = f"{len(group.members)} 个层，本项目中用作 {group.name}"
        entry = BlockEntry(f"project:{group.title}", group.title, group.title, desc, desc_zh, text, "project")
        seen[group.title] = entry
    return list(seen.values())


# ----------------------------------------------------------------------------- the user's library
def check_fragment(text: str | bytes, source: str) -> Project:
    """A block fragment loaded strictly: a valid project with exactly one block holding every layer."""
    project = loads(text, source=source)
    groups = project.graph.groups()
    if len(groups) != 1 or set(groups[0].members) != set(project.graph.node_ids()):
        raise ProjectFileError(source, "a block file holds exactly one block and only its layers", "groups")
    return project


def save_to_library(library: str | os.PathLike, graph: Graph, group_id: str) -> Path:
    """Write one block of ``graph`` into the library folder as ``<title>.layerlab-block.json`` (a new
    file each time: an existing one is never overwritten). Returns the file written."""
    folder = Path(library)
    folder.mkdir(parents=True, exist_ok=True)
    group = graph.group(group_id)
    stem = re.sub(r"[^\w-]+", "_", group.title.strip().lower()).strip("_") or "block"
    target, i = folder / f"{stem}{LIBRARY_SUFFIX}", 1
    while target.exists():
        i += 1
        target = folder / f"{stem}_{i}{LIBRARY_SUFFIX}"
    text = block_text(graph, group_id)
    check_fragment(text, str(target))
    doc = json.loads(text)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    return target


def load_library(library: str | os.PathLike) -> tuple[list[BlockEntry], list[str]]:
    """The blocks in the library folder, and one message per file that could not be read (never raises)."""
    folder = Path(library)
    entries, problems = [], []
    if not folder.is_dir():
        return entries, problems
    for path in sorted(folder.glob(f"*{LIBRARY_SUFFIX}")):
        try:
            project = check_fragment(read_limited(path, MAX_BLOCK_BYTES), str(path))
        except ProjectFileError as err:
            problems.append(str(err))
            continue
        group = project.graph.groups()[0]
        text = json.dumps(to_document(project), ensure_ascii=False)
        desc = f"{len(group.members)} layers, from {path.name}"
        desc_zh = f"{len(group.members)} 个层，来自 {path.name}"
        entries.append(
            BlockEntry(f"library:{path.name}", group.title, group.title, desc, desc_zh, text, "library", str(path))
        )
    return entries, problems


__all__ = [
    "LIBRARY_SUFFIX",
    "BlockEntry",
    "block_text",
    "bundled_blocks",
    "check_fragment",
    "insert_block",
    "load_library",
    "local_name",
    "project_blocks",
    "save_to_library",
]
