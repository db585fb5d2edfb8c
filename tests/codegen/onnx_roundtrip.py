"""The ONNX round-trip comparison (test_import_onnx, and test_onnx_export for every example).

The comparison is ``roundtrip``'s (same layers, parameters, names and connections) modulo exactly what an
ONNX file does not keep (see the importer's docstring), each one named here:

* Dropout layers: gone at inference (the original's Dropout is skipped, its consumers read its input).
* BatchNorm ``momentum``: a training setting.
* ``use_bias`` of a convolution whose BatchNorm the exporter folded into it.
* Layers that are plain tensor code in the PyTorch model have no name in the file: merges, reshape,
  permute, global/axis reductions, cropping, concatenation are compared by type and inputs.
* Head settings (``loss_weight``, ``label_smoothing``) and the softmax/sigmoid of a Dense right before a
  classification/binary/multi-label head (LayerLab folds it into the loss, so the model has none).
"""

from __future__ import annotations

from graph.analysis import analyze

UNNAMED = {
    "add",
    "multiply",
    "subtract",
    "average",
    "maximum",
    "minimum",
    "concatenate",
    "reshape",
    "permute",
    "global_avg_pool",
    "global_max_pool",
    "reduce_mean",
    "reduce_max",
    "cropping1d",
    "cropping2d",
}
CONVS = {"conv1d", "conv2d", "conv3d", "depthwise_conv2d"}
FOLDED_HEADS = {"output.classification": "softmax", "output.binary": "sigmoid", "output.multilabel": "sigmoid"}


def canonical(project) -> tuple:
    """``roundtrip.signature`` with the documented ONNX losses taken out (module docstring)."""
    g = project.graph
    sources = {}
    for e in sorted(g.edges(), key=lambda e: e.seq):
        sources.setdefault((e.dst, e.dst_port), []).append((e.src, e.src_port))
    consumers = {}
    for e in g.edges():
        consumers.setdefault(e.src, []).append(e.dst)

    def resolve(ref):
        node = g.node(ref[0])
        if node.type == "dropout":
            return resolve(sources[(node.id, "in")][0])
        return ref

    names = {}

    def name(nid):
        if nid not in names:
            node = g.node(nid)
            if not g.spec(nid).outputs:
                names[nid] = f"<{node.type}>"
            elif node.type in UNNAMED:
                ins = [
                    f"{name(s)}.{p}"
                    for port in [p.name for p in g.spec(nid).inputs]
                    for s, p in map(resolve, sources.get((nid, port), []))
                ]
                names[nid] = f"{node.type}({', '.join(ins)})"
            else:
                names[nid] = node.name
        return names[nid]

    nodes, edges = [], []
    for node in g.nodes():
        if node.type == "dropout":
            continue
        params = dict(node.params)
        after = [g.node(c) for c in consumers.get(node.id, [])]
        if node.type == "concatenate" and params["axis"] < 0:  # the file stores the axis counted from 0
            params["axis"] %= analyze(g).output(node.id, "out").rank
        if node.type == "batch_norm" or not g.spec(node.id).outputs:
            for k in ("momentum", "loss_weight", "label_smoothing"):
                params.pop(k, None)
        if node.type in CONVS and len(after) == 1 and after[0].type == "batch_norm":
            params.pop("use_bias")
        if node.type == "dense" and len(after) == 1 and params["activation"] == FOLDED_HEADS.get(after[0].type):
            params["activation"] = "linear"
        nodes.append(
            (
                name(node.id),
                node.type,
                tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())),
            )
        )
        for port in [p.name for p in g.spec(node.id).inputs]:
            if (node.id, port) in sources:
                edges.append(
                    (name(node.id), port, tuple(f"{name(s)}.{p}" for s, p in map(resolve, sources[(node.id, port)])))
                )
    return sorted(nodes), sorted(edges)


def assert_same(original, imported):
    (na, ea), (nb, eb) = canonical(original), canonical(imported)
    diff = [f"only in the original: {x}" for x in na if x not in nb] + [
        f"only in the import: {x}" for x in nb if x not in na
    ]
    diff += [f"edge only in the original: {x}" for x in ea if x not in eb]
    diff += [f"edge only in the import: {x}" for x in eb if x not in ea]
    assert not diff, "\n".join(diff)


# Examples the ONNX import refuses ({name: what the refusal says}); none at present.
REFUSED_EXAMPLES: dict[str, str] = {}
