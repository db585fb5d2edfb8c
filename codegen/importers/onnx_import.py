"""Import an ONNX file as a LayerLab graph: catalog layers, their weights (PyTorch layout) and a reference.

    imported, reference = import_onnx("model.onnx", heads=["classification"])

The file is loaded with ``onnx`` (checked, shapes inferred), then run once with ``onnx.reference`` on a
small sample so that every constant tensor (initializers, Constant nodes and what the exporter computes
from them, e.g. an LSTM's reordered gate weights) and every tensor's shape is known. The nodes are
then walked in order and mapped onto catalog layers through one ``GraphBuilder``:

* Files written by torch.onnx's dynamo exporter carry ``metadata_props`` naming the PyTorch module each
  node came from (``pkg.torch.onnx.name_scopes`` / ``class_hierarchy``). When present the nodes of one
  module are imported together and the layer keeps the module's name (LayerLab's export names every
  module after its layer). Nodes from plain tensor code in ``forward`` (merges, ``torch.mean``,
  ``reshape``, ``permute``, ``torch.relu`` after a Linear…) have no module: their layers are named
  after their type.
* Without metadata (files from other tools) the same op patterns are recognised node by node.

What the ONNX file does not keep (and the round-trip tests tolerate, exactly this):

* Dropout is gone at inference: no Dropout layer comes back.
* BatchNorm's momentum (training only) is not stored; it is read back from the exporter's
  ``pkg.torch.onnx.fx_node`` text where present, else the PyTorch default 0.1.
* The exporter's optimiser folds a BatchNorm that follows a convolution into the convolution
  (``FuseBatchNormIntoConv``). With metadata the BatchNorm comes back as its own layer with the folded
  statistics (identity: mean 0, variance 1 - eps, γ 1, β 0) and the convolution keeps the folded kernel;
  the convolution's ``use_bias`` is then whatever the file has (unknowable). Without metadata the
  BatchNorm is simply part of the convolution.
* Zero biases are removed by the optimiser (a fresh model's biases are all zero). With metadata
  ``use_bias`` is read from the exporter's ``fx_node`` text (the bias parameter is named there);
  without it a layer has a bias exactly when the file has one.
* Activations: LayerLab writes Dense(activation) as ``torch.relu(self.dense(x))`` and a separate ReLU
  layer as ``nn.ReLU``; both are one Relu node in ONNX. With metadata the module scope tells them apart;
  without it the canonical rule is: a Relu/Sigmoid/Tanh/Softmax(last axis)/Gelu/Elu(alpha 1) that is the
  only consumer of a Dense folds into it.
* Names of layers that are plain tensor code (see above), and a few layers that the same ONNX graph
  stands for: ``reduce_mean(axis=time)`` of a sequence is ``global_avg_pool``; ``conv2d(groups=C)``
  with C input channels is ``depthwise_conv2d``; Flatten of a vector disappears.
* Attention (nn.MultiheadAttention, or LayerLab's MaskedAttention when the layer has a mask) comes back
  from the module's scope only (with metadata): its dropout as 0; causal from the constant mask above
  the diagonal; the ``weights`` port when the scope's attention weights are used outside it. A masked
  attention whose queries that see no key attend to none although its weights are unused (LayerLab does
  that only with attention dropout) is refused. Without metadata attention is refused.
* Head kinds and their loss settings (``loss_weight``, ``label_smoothing``) are training facts: pass
  ``heads`` (default: guessed).

Anything else that does not map onto the catalog is reported with ``GraphBuilder.unsupported`` and the
import is refused (``ImportFailed``) with every such node listed.
"""

from __future__ import annotations

import ast
import contextlib
import re
from pathlib import Path

import numpy as np

from codegen.importers.builder import POISON, GraphBuilder, Imported, Ref

ACTIVATION_OPS = {
    "Relu": "relu",
    "Sigmoid": "sigmoid",
    "Tanh": "tanh",
    "Softmax": "softmax",
    "Gelu": "gelu",
    "Elu": "elu",
}
SPATIAL_OPS = {
    "Conv",
    "ConvTranspose",
    "MaxPool",
    "AveragePool",
    "GlobalAveragePool",
    "GlobalMaxPool",
    "Pad",
    "BatchNormalization",
    "Resize",
    "InstanceNormalization",
}
DROPOUT = {"Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout"}
FLOAT_TYPES = {1, 10, 11, 16}  # float, float16, double, bfloat16


class _Tokens:
    """A graph input of token ids (its Input node is made once its vocabulary is known)."""


def import_onnx(path: str, *, heads=None, title=None) -> tuple[Imported, object]:
    """The imported project and a reference: {Input name: array} -> the ONNX file's outputs (onnxruntime)."""
    importer = _OnnxImporter(str(path), title)
    imported = importer.run(heads)

    def reference(feed: dict) -> list:
        import onnxruntime

        session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        names = {i.name: i.name for i in session.get_inputs()}
        by_clean = {importer.input_names.get(k, k): k for k in names}
        onnx_feed = {by_clean.get(k, k): v for k, v in feed.items()}
        return session.run(None, onnx_feed)

    return imported, reference


def _attrs(node) -> dict:
    import onnx

    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _literal(text: str | None):
    try:
        return ast.literal_eval(text) if text else None
    except (ValueError, SyntaxError):
        return None


class _OnnxImporter:
    def __init__(self, path: str, title: str | None):
        import onnx

        self.path = path
        model = onnx.load(path)
        onnx.checker.check_model(model)
        with contextlib.suppress(Exception):  # shapes also come from the sample run below
            model = onnx.shape_inference.infer_shapes(model)
        self.model = model
        self.g = model.graph
        self.b = GraphBuilder(title or Path(path).stem.replace("_", " ").capitalize(), Path(path).name)
        self.inits = {i.name for i in self.g.initializer}
        self.producer = {}
        self.consumers: dict[str, list] = {}
        for n in self.g.node:
            for o in n.output:
                self.producer[o] = n
            for i in n.input:
                if i:
                    self.consumers.setdefault(i, []).append(n)
        self.outputs = [o.name for o in self.g.output]
        self.graph_inputs = [i for i in self.g.input if i.name not in self.inits]
        self.const = set(self.inits)
        for n in self.g.node:  # Shape (and what is computed from shapes) is glue, never a layer
            if n.op_type in ("Shape", "Size") or all((i in self.const) for i in n.input if i):
                self.const.update(o for o in n.output if o)
        self.input_names: dict[str, str] = {}
        self.vals = self._sample_run()
        self.val: dict[str, object] = {}  # ONNX tensor -> Ref (or a pending special value)
        self.done: set[int] = set()
        self.meta = {id(n): {p.key: p.value for p in n.metadata_props} for n in self.g.node}
        self.has_meta = any("pkg.torch.onnx.name_scopes" in m for m in self.meta.values())
        self._merged: dict = {}
        self.groups: dict[str, list] = {}
        for n in self.g.node:
            scope = self.scope(n)
            if scope[0] is not None and not self._is_const(n):
                self.groups.setdefault(scope[0], []).append(n)

    # ------------------------------------------------------------------ basics
    def _sample_run(self) -> dict[str, np.ndarray]:
        """Every tensor's value on a sample of batch 2 (constants exactly, the rest for their shapes)."""
        from onnx.reference import ReferenceEvaluator

        feed = {}
        for i in self.graph_inputs:
            tt = i.type.tensor_type
            shape = [d.dim_value if d.dim_value > 0 else 2 for d in tt.shape.dim]
            if tt.elem_type in FLOAT_TYPES:
                feed[i.name] = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
            else:
                feed[i.name] = np.zeros(shape, dtype=np.int64)
        names = [o for n in self.g.node for o in n.output if o]
        vals = {i.name: np.asarray(__import__("onnx").numpy_helper.to_array(i)) for i in self.g.initializer}
        try:
            ev = ReferenceEvaluator(self.model)
            inter = ev.run(None, feed, intermediate=True)
            inter = inter if isinstance(inter, dict) else inter[1]
            vals.update({k: np.asarray(v) for k, v in inter.items() if v is not None})
        except TypeError:  # an older onnx without intermediate=True
            ev = ReferenceEvaluator(self.model)
            for name, v in zip(names, ev.run(names, feed), strict=False):
                vals[name] = np.asarray(v)
        vals.update(feed)
        return vals

    def _is_const(self, n) -> bool:
        return all(o in self.const for o in n.output if o)

    def shape(self, t: str) -> tuple:
        return tuple(self.vals[t].shape)

    def cval(self, t: str):
        return self.vals[t] if t and t in self.const else None

    def scope(self, n) -> tuple[str | None, str | None]:
        """(module name, class name) of the module a node came from, or (None, None)."""
        m = self.meta[id(n)]
        names = _literal(m.get("pkg.torch.onnx.name_scopes"))
        classes = _literal(m.get("pkg.torch.onnx.class_hierarchy"))
        if not names or not classes or len(names) < 3 or len(classes) < 3:
            return None, None
        # A container of layers (a block's nn.Module subclass) is looked through: the layer is the
        # first module below it that is a torch.nn class or one LayerLab reads; an op of the
        # container's own forward (a residual Add) is a plain op.
        k = 1
        while self._container(classes[k]) and k < min(len(names), len(classes)) - 2:
            k += 1
        if self._container(classes[k]):
            return None, None
        return names[k], classes[k].split(".")[-1]

    def _container(self, qualified: str) -> bool:
        cls = qualified.split(".")[-1]
        return not qualified.startswith("torch.") and not hasattr(self, f"_m_{cls}")

    def fx(self, n) -> str:
        return self.meta[id(n)].get("pkg.torch.onnx.fx_node", "")

    def dyn_inputs(self, n) -> list[str]:
        return [i for i in n.input if i and i not in self.const]

    def ref(self, t: str):
        return self.val.get(t, POISON)

    def only_consumer(self, t: str):
        cons = self.consumers.get(t, [])
        return cons[0] if len(cons) == 1 and t not in self.outputs else None

    def layout(self, ref: Ref):
        from graph.analysis import analyze

        if not isinstance(ref, Ref) or ref.node is None:
            return None
        return analyze(self.b.graph).output(ref.node, ref.port)

    # ------------------------------------------------------------------ walk
    def run(self, heads) -> Imported:
        b = self.b
        for i in self.graph_inputs:
            self._input(i)
        for n in self.g.node:
            if id(n) in self.done or self._is_const(n):
                continue
            name, cls = self.scope(n) if self.has_meta else (None, None)
            if name is not None and cls not in (None,):
                nodes = self.groups.get(name, [n])
                self.done.update(id(x) for x in nodes)
                self._module(name, cls, nodes)
            else:
                self.done.add(id(n))
                self._op(n, None)
        for o in self.outputs:
            r = self.val.get(o, POISON)
            if isinstance(r, Ref):
                b.output(r, o)
            elif o in self.val:
                b.unsupported(o, "output", "this output is not a layer's result LayerLab can name")
            else:
                b.output(POISON, o)
        return b.finish(heads)

    def _input(self, i) -> None:
        b = self.b
        tt = i.type.tensor_type
        shape = self.vals[i.name].shape[1:]
        name = b.name(i.name, "input")
        self.input_names[i.name] = name
        if tt.elem_type in (6, 7):  # int32 / int64 token ids: the vocabulary is the table's size
            vocab = None
            for c in self.consumers.get(i.name, []):
                if c.op_type == "Gather" and c.input[0] in self.const:
                    vocab = self.shape(c.input[0])[0]
            if len(shape) != 1 or vocab is None:
                self.val[i.name] = b.unsupported(i.name, "input", "integer inputs are token ids for an Embedding only")
                return
            self.val[i.name] = b.input("input.tokens", i.name, steps=shape[0], vocab_size=vocab)
            return
        if tt.elem_type not in FLOAT_TYPES:
            self.val[i.name] = b.unsupported(i.name, "input", f"element type {tt.elem_type} is not supported")
            return
        rank = len(shape)
        if rank == 1:
            self.val[i.name] = b.input("input.vector", i.name, features=shape[0])
        elif rank == 2:
            spatial = any(c.op_type in SPATIAL_OPS for c in self.consumers.get(i.name, []))
            if spatial:
                self.val[i.name] = b.input("input.signal", i.name, channels=shape[0], length=shape[1])
            else:
                self.val[i.name] = b.input("input.sequence", i.name, steps=shape[0], features=shape[1])
        elif rank == 3:
            self.val[i.name] = b.input("input.image", i.name, channels=shape[0], height=shape[1], width=shape[2])
        elif rank == 4:
            c, d, h, w = shape
            self.val[i.name] = b.input("input.volume", i.name, channels=c, depth=d, height=h, width=w)
        else:
            self.val[i.name] = b.unsupported(i.name, "input", f"a rank-{rank + 1} input has no LayerLab layout")

    # ------------------------------------------------------------------ modules (metadata)
    def _module(self, name: str, cls: str, nodes: list) -> None:
        """The nodes of one PyTorch module, imported as one layer named after it."""
        b = self.b
        inside = {o for n in nodes for o in n.output}
        ext = []
        for n in nodes:
            for t in self.dyn_inputs(n):
                if t not in inside and t not in ext:
                    ext.append(t)
        outs = [
            o
            for n in nodes
            for o in n.output
            if o and (o in self.outputs or any(id(c) not in {id(x) for x in nodes} for c in self.consumers.get(o, [])))
        ]
        ops = [n.op_type for n in nodes]
        if not outs:
            return
        if cls in DROPOUT or set(ops) <= {"Identity"}:
            for o in outs:
                self.val[o] = self.ref(ext[0]) if ext else POISON
            return
        handler = getattr(self, f"_m_{cls}", None)
        if handler is not None:
            result = handler(name, nodes, ext, outs)
            if result is not NotImplemented:
                return
        if len(nodes) == 1 or len([n for n in nodes if n.op_type not in ("Identity",)]) == 1:
            main = next(n for n in nodes if n.op_type != "Identity")
            self._op(main, name)
            for o in outs:
                if o not in self.val:
                    self.val[o] = self.val.get(main.output[0], POISON)
            return
        for o in outs:
            self.val[o] = b.unsupported(name, cls, f"LayerLab has no layer for this module ({', '.join(ops)})")

    def _find(self, nodes, op):
        return next((n for n in nodes if n.op_type == op), None)

    def _m_Linear(self, name, nodes, ext, outs):
        return self._dense(nodes, name, ext[0], outs[0])

    def _m_Sequential(self, name, nodes, ext, outs):
        convs = [n for n in nodes if n.op_type == "Conv"]
        if len(convs) == 2 and len(nodes) == 2 and convs[1].input[0] == convs[0].output[0]:
            dw, pw = convs
            x = self.ref(dw.input[0])
            a = _attrs(dw)
            c = self.shape(dw.input[0])[1]
            w0, w1 = self.cval(dw.input[1]), self.cval(pw.input[1])
            if a.get("group", 1) == c and w1.shape[2:] == (1, 1) and len(w0.shape) == 4:
                bias = self.cval(pw.input[2]) if len(pw.input) > 2 and pw.input[2] else None
                use_bias = self._has_bias(pw, name, bias is not None)
                weights = {"0.weight": w0, "1.weight": w1}
                if use_bias:
                    weights["1.bias"] = bias if bias is not None else np.zeros(w1.shape[0], np.float32)
                self.val[outs[0]] = self.b.layer(
                    "separable_conv2d",
                    x,
                    name,
                    weights=weights,
                    filters=int(w1.shape[0]),
                    depth_multiplier=int(w0.shape[0] // c),
                    kernel_size=list(w0.shape[2:]),
                    strides=list(a.get("strides", [1, 1])),
                    padding=self._pads(a, 2),
                    dilation=list(a.get("dilations", [1, 1])),
                    use_bias=use_bias,
                )
                return None
        return NotImplemented

    def _m_BatchNorm(self, name, nodes, ext, outs):
        b = self.b
        bn = self._find(nodes, "BatchNormalization")
        conv = self._find(nodes, "Conv")
        eps, momentum = self._bn_args(nodes[0])
        if bn is None and conv is not None and len(nodes) == 1:
            # FuseBatchNormIntoConv: the convolution (named after its kernel) and an identity BatchNorm.
            wname = conv.input[1]
            conv_name = wname.rsplit(".", 1)[0] if wname.endswith(".weight") else None
            x = self._conv(conv, conv_name, fused=True)
            if not isinstance(x, Ref) or x.node is None:
                self.val[outs[0]] = POISON
                return None
            c = self.shape(conv.output[0])[1]
            weights = {
                "weight": np.ones(c),
                "bias": np.zeros(c),
                "running_mean": np.zeros(c),
                "running_var": np.full(c, 1.0 - eps),
            }
            self.val[outs[0]] = b.layer("batch_norm", x, name, weights=weights, epsilon=eps, momentum=momentum)
            return None
        if bn is None:
            return NotImplemented
        a = _attrs(bn)
        scale, bias, mean, var = (self.cval(t) for t in bn.input[1:5])
        weights = {"weight": scale, "bias": bias, "running_mean": mean, "running_var": var}
        eps = float(a.get("epsilon", eps)) if not self._fx_args(nodes[0]) else eps
        self.val[outs[0]] = b.layer(
            "batch_norm", self.ref(ext[0]), name, weights=weights, epsilon=_round(eps), momentum=momentum
        )
        return None

    _m_BatchNorm1d = _m_BatchNorm2d = _m_BatchNorm3d = _m_BatchNorm

    def _fx_args(self, n):
        m = re.search(r"args = \((.*)\), kwargs", self.fx(n))
        return m.group(1) if m else ""

    def _bn_args(self, n) -> tuple[float, float]:
        """(eps, momentum) from the exporter's fx_node text of aten batch_norm, else (1e-5, 0.1)."""
        args = [a.strip() for a in self._fx_args(n).split(",")]
        nums = []
        for a in args:
            with contextlib.suppress(ValueError):
                nums.append(float(a))
        if len(nums) >= 2:
            return _round(nums[-1]), _round(nums[-2])
        return 1e-5, 0.1

    def _m_LayerNorm(self, name, nodes, ext, outs):
        ln = self._find(nodes, "LayerNormalization")
        if ln is None:
            return NotImplemented
        a = _attrs(ln)
        w = self.cval(ln.input[1])
        bias = self.cval(ln.input[2]) if len(ln.input) > 2 and ln.input[2] else np.zeros_like(w)
        self.val[outs[0]] = self.b.layer(
            "layer_norm",
            self.ref(ext[0]),
            name,
            weights={"weight": w, "bias": bias},
            epsilon=_round(a.get("epsilon", 1e-5)),
        )
        return None

    def _m_Embedding(self, name, nodes, ext, outs):
        gather = self._find(nodes, "Gather")
        if gather is None or gather.input[0] not in self.const:
            return NotImplemented
        table = self.cval(gather.input[0])
        self.val[outs[0]] = self.b.layer(
            "embedding",
            self.ref(gather.input[1]),
            name,
            weights={"weight": table},
            input_dim=int(table.shape[0]),
            output_dim=int(table.shape[1]),
        )
        return None

    def _m_PositionalEmbedding(self, name, nodes, ext, outs):
        add = self._find(nodes, "Add")
        table = next((self.cval(t) for t in add.input if t in self.const), None) if add is not None else None
        if table is None:
            return NotImplemented
        self.val[outs[0]] = self.b.layer(
            "positional_embedding", self.ref(ext[0]), name, weights={"table": table.reshape(table.shape[-2:])}
        )
        return None

    def _m_SinusoidalPosition(self, name, nodes, ext, outs):
        self.val[outs[0]] = self.b.layer("sinusoidal_position", self.ref(ext[0]), name)
        return None

    def _m_LSTM(self, name, nodes, ext, outs):
        return self._recurrent("LSTM", "lstm", name, nodes, ext, outs)

    def _m_GRU(self, name, nodes, ext, outs):
        return self._recurrent("GRU", "gru", name, nodes, ext, outs)

    def _m_RNN(self, name, nodes, ext, outs):
        return self._recurrent("RNN", "simple_rnn", name, nodes, ext, outs)

    def _recurrent(self, op, type_id, name, nodes, ext, outs):
        b = self.b
        cells = [n for n in nodes if n.op_type == op]
        if not cells:
            return NotImplemented
        first = _attrs(cells[0])
        units = int(first["hidden_size"])
        bidir = first.get("direction", b"forward") in (b"bidirectional", "bidirectional")
        dirs = 2 if bidir else 1
        weights = {}
        for level, cell in enumerate(cells):
            a = _attrs(cell)
            if op == "GRU" and not a.get("linear_before_reset", 0):
                self.val[outs[0]] = b.unsupported(
                    name, op, "a GRU with linear_before_reset = 0 (Keras' reset_after=False)"
                )
                return None
            w, r = self.cval(cell.input[1]), self.cval(cell.input[2])
            bias = self.cval(cell.input[3]) if len(cell.input) > 3 and cell.input[3] else None
            if w is None or r is None:
                self.val[outs[0]] = b.unsupported(name, op, "its weights are computed at run time")
                return None
            gates = {"LSTM": 4, "GRU": 3, "RNN": 1}[op]
            if bias is None:
                bias = np.zeros((dirs, 2 * gates * units), np.float32)
            for d in range(dirs):
                sfx = f"_l{level}" + ("_reverse" if d else "")
                wi, wh = _gates(op, w[d], units), _gates(op, r[d], units)
                bi, bh = _gates(op, bias[d][: gates * units], units), _gates(op, bias[d][gates * units :], units)
                weights.update({f"weight_ih{sfx}": wi, f"weight_hh{sfx}": wh, f"bias_ih{sfx}": bi, f"bias_hh{sfx}": bh})
        params = {"units": units}
        if op == "RNN":
            acts = [x.decode() if isinstance(x, bytes) else x for x in first.get("activations", ["Tanh"])]
            params["activation"] = acts[0].lower()
        else:
            params.update(bidirectional=bidir, num_layers=len(cells))
        # return_sequences: the module's result is (N, T, units * dirs); else LayerLab takes h[-1] outside.
        x = self.ref(ext[0])
        seq_outs = [
            o
            for o in outs
            if len(self.shape(o)) == 3
            and self.shape(o)[0] == self.shape(ext[0])[0]
            and self.shape(o)[1] == self.shape(ext[0])[1]
            and self.shape(o)[2] == units * dirs
        ]
        ret = bool(seq_outs)
        ref = b.layer(type_id, x, name, weights=weights, return_sequences=ret, **params)
        for o in outs:
            if o in seq_outs:
                self.val[o] = ref
            else:
                self.val[o] = ("rnn_h", ref, dirs, ret)
        return None

    def _m_SiLU(self, name, nodes, ext, outs):
        self.val[outs[0]] = self.b.layer("silu", self.ref(ext[0]), name)
        return None

    def _m_Softplus(self, name, nodes, ext, outs):  # Softplus, and Where(x > 20, x, ·) for PyTorch's threshold
        self.val[outs[0]] = self.b.layer("softplus", self.ref(ext[0]), name)
        return None

    def _m_MultiheadAttention(self, name, nodes, ext, outs):
        """nn.MultiheadAttention (batch first) or LayerLab's MaskedAttention (its ``ids`` input is the mask
        port): one multi_head_attention layer. Weights in the module's state_dict layout: the initializers
        the exporter kept under the module's name, the rest (weights folded into a transposed MatMul
        constant) from the linear that reads them (``fx_node`` text). Dropout is 0 (inference)."""
        b = self.b
        masked = self.scope(nodes[0])[1] == "MaskedAttention"
        cls = "MaskedAttention" if masked else "MultiheadAttention"

        def refuse(why):
            for o in outs:
                self.val[o] = b.unsupported(name, cls, why)

        floats = [t for t in ext if self.vals[t].dtype.kind == "f"]
        ids = [t for t in ext if t not in floats]
        if len(floats) not in (1, 2) or len(ids) != (1 if masked else 0):
            return refuse(
                "attention over inputs LayerLab's layer does not take (keys and values from one tensor"
                + (", a mask of token ids" if masked else ", no key padding or attention mask tensor")
                + ")"
            )
        q_t, v_t = floats[0], floats[-1]
        if any(f"{name}.{k}" in self.inits for k in ("bias_k", "bias_v")):
            return refuse("add_bias_kv (LayerLab's attention has no extra key and value biases)")
        w, use_bias = self._attention_arrays(name, nodes)
        e, ev = self.shape(q_t)[-1], self.shape(v_t)[-1]
        need = ["in_proj_weight"] if ev == e else ["q_proj_weight", "k_proj_weight", "v_proj_weight"]
        if ev == e and "in_proj_weight" not in w and all(f"{k}_proj_weight" in w for k in "qkv"):
            w["in_proj_weight"] = np.concatenate([w.pop(f"{k}_proj_weight") for k in "qkv"])
        need.append("out_proj.weight")
        missing = [k for k in need if k not in w]
        if missing:
            return refuse(f"its weights {', '.join(missing)} are not constants LayerLab can read")
        weights = {k: w[k] for k in need}
        if use_bias:
            weights["in_proj_bias"] = w.get("in_proj_bias", np.zeros(3 * e, np.float32))
            weights["out_proj.bias"] = w.get("out_proj.bias", np.zeros(e, np.float32))
        soft = self._find(nodes, "Softmax")
        heads = self._attention_heads(soft, q_t)
        if soft is None or heads is None or e % heads:
            return refuse("the number of heads cannot be read from its scores (no Softmax over (N, heads, T, S))")
        scores = self._attention_scores(soft, nodes)
        uses_weights = any(o in scores for o in outs)
        if masked:
            even = not any(c.op_type == "Where" for c in self.consumers.get(soft.output[0], []))
            if even == uses_weights:  # LayerLab's choice: even exactly without dropout and attention weights
                return refuse(
                    "queries that may see no key attend to none although the attention weights are not used: "
                    "the source had attention dropout, which an ONNX file does not keep (set dropout to 0 "
                    "and export again)"
                )
        inputs = {"query": self.ref(q_t)}
        if v_t != q_t:
            inputs["value"] = self.ref(v_t)
        if ids:
            inputs["mask"] = self.ref(ids[0])
        ref = b.layer(
            "multi_head_attention",
            inputs,
            name,
            weights=weights,
            num_heads=heads,
            dropout=0.0,
            causal=self._causal(nodes, self.shape(q_t)[1], self.shape(v_t)[1]),
            use_bias=use_bias,
        )
        for o in outs:
            self.val[o] = ref
            if o in scores:
                self.val[o] = b.port(ref, "weights")
                batch, shape = self.shape(q_t)[0], self.shape(o)
                if len(shape) == 3 and shape[0] == batch * heads:
                    # (N * heads, T, S): the exporter merged PyTorch's view(N, heads, T, S) into the Reshape
                    # that follows (a Flatten); the port is (N, heads, T, S), and so is the tensor read now.
                    self.vals[o] = self.vals[o].reshape(batch, heads, *shape[1:])
        return None

    def _attention_scores(self, soft, nodes) -> set:
        """The tensors that are the attention weights: the Softmax's result and its views and masking."""
        inside = {id(n) for n in nodes}
        out, todo = set(), [soft.output[0]]
        while todo:
            t = todo.pop()
            out.add(t)
            for c in self.consumers.get(t, []):
                if id(c) in inside and c.op_type in ("Where", "Reshape", "Identity", "Dropout", "Squeeze", "Unsqueeze"):
                    todo.append(c.output[0])
        return out

    _m_MaskedAttention = _m_MultiheadAttention

    ATTENTION_KEYS = (
        "in_proj_weight",
        "q_proj_weight",
        "k_proj_weight",
        "v_proj_weight",
        "out_proj.weight",
        "in_proj_bias",
        "out_proj.bias",
    )

    def _attention_arrays(self, name, nodes) -> tuple[dict, bool]:
        """({state_dict key: array}, use_bias) of an attention module's scope."""
        w = {k: self.vals[f"{name}.{k}"] for k in self.ATTENTION_KEYS if f"{name}.{k}" in self.inits}
        use_bias = "in_proj_bias" in w or "out_proj.bias" in w
        for n in nodes:
            if n.op_type not in ("MatMul", "Gemm") or "aten.linear" not in self.fx(n):
                continue
            args = [a.strip().lstrip("%") for a in self._fx_args(n).split(",")]
            use_bias = use_bias or (len(args) > 2 and args[2] != "None")
            key = next((k for k in self.ATTENTION_KEYS if args[1:2] and args[1].endswith(k.replace(".", "_"))), None)
            m = self.cval(n.input[1])
            if key is None or key in w or m is None or m.ndim != 2:
                continue
            trans = n.op_type == "Gemm" and _attrs(n).get("transB", 0)
            w[key] = m if trans else m.T  # MatMul(x, Wᵀ); Gemm with transB reads W itself
        return w, use_bias

    def _attention_heads(self, soft, q_t) -> int | None:
        """Heads from the scores' shape: (N, heads, T, S), or (N * heads, T, S) in PyTorch's own path."""
        if soft is None:
            return None
        shape, batch = self.shape(soft.input[0]), self.shape(q_t)[0]
        if len(shape) == 4 and shape[0] == batch:
            return int(shape[1])
        if len(shape) == 3 and shape[0] % batch == 0:
            return int(shape[0] // batch)
        return None

    def _causal(self, nodes, steps, keys) -> bool:
        """Whether a constant (steps, keys) mask of the scope blocks exactly the future (above the diagonal)."""
        future = np.triu(np.ones((steps, keys), bool), 1)
        if not future.any():
            return False
        for n in nodes:
            for t in n.input:
                v = self.cval(t)
                if v is None or v.size != future.size or v.shape[-2:] != future.shape or v.dtype.kind not in "bf":
                    continue
                v = v.reshape(future.shape)
                blocked = v if v.dtype == bool else v < -1e4
                if np.array_equal(blocked, future) and (v.dtype == bool or not np.any(v[~future])):
                    return True
        return False

    # ------------------------------------------------------------------ single ops
    def _has_bias(self, n, name, present: bool) -> bool:
        """Whether the source layer had a bias: from the exporter's fx_node text (a zero bias is optimised
        away), else whether the file has one."""
        text = self.fx(n)
        if not text or not name:
            return present
        if "aten.linear" in text or "aten.conv" in text or "aten.convolution" in text:
            args = self._fx_args(n).split(",")
            return present or any(a.strip().endswith("_bias") for a in args)
        return present

    def _dense(self, nodes, name, x_t, out_t):
        b = self.b
        gemm = self._find(nodes, "Gemm")
        if gemm is not None:
            a = _attrs(gemm)
            w = self.cval(gemm.input[1])
            if w is None or a.get("transA", 0) or a.get("alpha", 1.0) != 1.0:
                return NotImplemented
            w = w if a.get("transB", 0) else w.T
            bias = self.cval(gemm.input[2]) if len(gemm.input) > 2 and gemm.input[2] else None
            main = gemm
        else:
            mm = self._find(nodes, "MatMul")
            if mm is None or mm.input[1] not in self.const:
                return NotImplemented
            w = self.cval(mm.input[1]).T
            add = self._find(nodes, "Add")
            bias = None
            if add is not None:
                bias = next((self.cval(t) for t in add.input if t in self.const), None)
            main = mm
        use_bias = self._has_bias(main, name, bias is not None)
        weights = {"weight": w}
        if use_bias:
            weights["bias"] = bias if bias is not None else np.zeros(w.shape[0], np.float32)
        activation, out = "linear", out_t
        nxt = self.only_consumer(out_t)
        if nxt is not None and nxt.op_type in ACTIVATION_OPS and self._foldable(nxt):
            activation = ACTIVATION_OPS[nxt.op_type]
            self.done.add(id(nxt))
            out = nxt.output[0]
        ref = b.layer(
            "dense",
            self.ref(x_t),
            name,
            weights=weights,
            units=int(w.shape[0]),
            use_bias=use_bias,
            activation=activation,
        )
        self.val[out_t] = ref
        self.val[out] = ref
        return None

    def _foldable(self, act) -> bool:
        """A functional activation right after a Dense: LayerLab's Dense(activation)."""
        if id(act) in self.done:
            return False
        a = _attrs(act)
        if act.op_type == "Softmax" and a.get("axis", -1) not in (-1, len(self.shape(act.input[0])) - 1):
            return False
        if act.op_type == "Elu" and abs(a.get("alpha", 1.0) - 1.0) > 1e-7:
            return False
        if act.op_type == "Gelu" and a.get("approximate", b"none") not in (b"none", "none"):
            return False
        if self.has_meta:
            return self.scope(act)[0] is None
        return True

    def _pads(self, a, dims):
        pads = list(a.get("pads", [0] * 2 * dims))
        out = []
        for i in range(dims):
            out += [int(pads[i]), int(pads[i + dims])]
        return out

    def _conv(self, n, name, fused=False):
        b = self.b
        a = _attrs(n)
        if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
            return b.unsupported(name or n.name, "Conv", "auto_pad (write explicit pads)")
        w = self.cval(n.input[1])
        if w is None:
            return b.unsupported(name or n.name, "Conv", "the kernel is not a constant")
        bias = self.cval(n.input[2]) if len(n.input) > 2 and n.input[2] else None
        dims = w.ndim - 2
        c = self.shape(n.input[0])[1]
        group = int(a.get("group", 1))
        use_bias = bias is not None if fused else self._has_bias(n, name, bias is not None)
        weights = {"weight": w}
        if use_bias:
            weights["bias"] = bias if bias is not None else np.zeros(w.shape[0], np.float32)
        x = self.ref(n.input[0])
        strides = [int(s) for s in a.get("strides", [1] * dims)]
        dil = [int(d) for d in a.get("dilations", [1] * dims)]
        pads = self._pads(a, dims)
        common = dict(weights=weights, use_bias=use_bias)
        if dims == 1:
            if group != 1:
                return b.unsupported(name or n.name, "Conv", "a grouped 1-D convolution")
            ref = b.layer(
                "conv1d",
                x,
                name,
                filters=int(w.shape[0]),
                kernel_size=int(w.shape[2]),
                stride=strides[0],
                padding=pads,
                dilation=dil[0],
                **common,
            )
        elif dims == 2:
            if group == c and c > 1:
                ref = b.layer(
                    "depthwise_conv2d",
                    x,
                    name,
                    depth_multiplier=int(w.shape[0] // c),
                    kernel_size=list(w.shape[2:]),
                    strides=strides,
                    padding=pads,
                    dilation=dil,
                    **common,
                )
            else:
                ref = b.layer(
                    "conv2d",
                    x,
                    name,
                    filters=int(w.shape[0]),
                    kernel_size=list(w.shape[2:]),
                    strides=strides,
                    padding=pads,
                    dilation=dil,
                    groups=group,
                    **common,
                )
        elif dims == 3:
            if group != 1:
                return b.unsupported(name or n.name, "Conv", "a grouped 3-D convolution")
            ref = b.layer(
                "conv3d",
                x,
                name,
                filters=int(w.shape[0]),
                kernel_size=list(w.shape[2:]),
                strides=strides,
                padding=pads,
                dilation=dil,
                **common,
            )
        else:
            return b.unsupported(name or n.name, "Conv", f"a {dims}-D convolution")
        self.val[n.output[0]] = ref
        return ref

    def _name_for(self, n, name):
        """A weighted layer's name: the module's, else its weight's ("conv1.weight" -> "conv1")."""
        if name:
            return name
        for t in n.input[1:]:
            if t in self.inits and "." in t:
                return t.rsplit(".", 1)[0]
        return None

    def _op(self, n, name) -> None:
        """One node by its op type (``name``: its module's, when the metadata names one)."""
        b = self.b
        op = n.op_type
        out = n.output[0]
        ins = self.dyn_inputs(n)
        x_t = ins[0] if ins else None
        x = self.ref(x_t) if x_t else POISON
        where = name or n.name or op
        if x_t and isinstance(self.val.get(x_t), tuple):
            self._special(n, name)
            return
        if op in ("Gemm", "MatMul") and len(ins) == 1:
            nodes = [n]
            if op == "MatMul":
                nxt = self.only_consumer(out)
                if nxt is not None and nxt.op_type == "Add" and any(t in self.const for t in nxt.input):
                    nodes.append(nxt)
                    self.done.add(id(nxt))
                    out = nxt.output[0]
            if self._dense(nodes, self._name_for(n, name), x_t, out) is NotImplemented:
                self.val[out] = b.unsupported(where, op, "not a fully connected layer LayerLab has")
            self.val[n.output[0]] = self.val[out]
            return
        if op == "Conv":
            self._conv(n, self._name_for(n, name))
            return
        if op == "ConvTranspose":
            self._conv_transpose(n, self._name_for(n, name))
            return
        if op == "BatchNormalization":
            self._m_BatchNorm(self._name_for(n, name), [n], ins, [out])
            return
        if op == "LayerNormalization":
            self._m_LayerNorm(self._name_for(n, name), [n], ins, [out])
            return
        if op == "Gather" and n.input[0] in self.const and len(self.shape(n.input[0])) == 2:
            self._m_Embedding(self._name_for(n, name) or name, [n], ins, [out])
            return
        if op in ("Identity", "Dropout"):
            self.val[out] = x
            return
        simple = {
            "Relu": "relu",
            "Sigmoid": "sigmoid",
            "Tanh": "tanh",
            "Softplus": "softplus",
            "HardSwish": "hard_swish",
        }
        if op in simple:
            self.val[out] = b.layer(simple[op], x, name)
            return
        a = _attrs(n)
        if op == "LeakyRelu":
            self.val[out] = b.layer("leaky_relu", x, name, negative_slope=_round(a.get("alpha", 0.01)))
            return
        if op == "Elu":
            self.val[out] = b.layer("elu", x, name, alpha=_round(a.get("alpha", 1.0)))
            return
        if op == "Gelu":
            approx = a.get("approximate", b"none")
            self.val[out] = b.layer(
                "gelu", x, name, approximate=approx.decode() if isinstance(approx, bytes) else approx
            )
            return
        if op == "Softmax":
            axis = int(a.get("axis", -1))
            rank = len(self.shape(x_t))
            self.val[out] = b.layer("softmax", x, name, axis=-1 if axis in (-1, rank - 1) else axis)
            return
        if op == "Clip":
            lo, hi = (self.cval(t) if t else None for t in (list(n.input) + ["", ""])[1:3])
            if lo is not None and hi is not None and float(lo) == 0.0 and float(hi) == 6.0:
                self.val[out] = b.layer("relu6", x, name)
            else:
                self.val[out] = b.unsupported(where, op, "only Clip(0, 6) (ReLU6) has a layer")
            return
        if op == "PRelu":
            slope = self.cval(n.input[1])
            self.val[out] = b.layer("prelu", x, name, weights={"weight": slope.reshape(-1)})
            return
        if op == "Mul" and len(ins) == 2 and self._is_silu(n):
            self.val[out] = b.layer("silu", self.ref(self._silu_x(n)), name)
            return
        if op in ("Add", "Mul", "Sub", "Max", "Min", "Sum") and len(ins) >= 2 and len(ins) == len(n.input):
            kind = {
                "Add": "add",
                "Sum": "add",
                "Mul": "multiply",
                "Sub": "subtract",
                "Max": "maximum",
                "Min": "minimum",
            }[op]
            refs = [self.ref(t) for t in ins]
            # a + b + c is a chain of Adds in ONNX: one Add layer with three inputs.
            if kind in ("add", "multiply") and len(refs) == 2:
                first = self.producer.get(ins[0])
                if (
                    first is not None
                    and first.op_type == n.op_type
                    and self.only_consumer(ins[0]) is n
                    and self._merged.get(ins[0]) is not None
                    and self.scope(first)[0] is None
                ):
                    refs = [*self._merged[ins[0]], refs[1]]
            if kind == "subtract":
                self.val[out] = b.layer("subtract", {"a": refs[0], "b": refs[1]}, name)
            else:
                self.val[out] = b.layer(kind, refs, name)
            self._merged[out] = refs
            if kind in ("add", "multiply") and len(refs) > 2:
                self._drop_partial(ins[0])
            return
        if op == "Div" and len(ins) == 1 and n.input[1] in self.const:
            src = self.producer.get(x_t)
            k = float(self.cval(n.input[1]))
            if (
                src is not None
                and src.op_type in ("Add", "Sum")
                and x_t in self._merged
                and len(self._merged[x_t]) == k
            ):
                refs = self._merged[x_t]
                self._drop_partial(x_t)
                self.val[out] = b.layer("average", refs, name)
                return
        if op == "Concat":
            axis = int(a["axis"])
            rank = len(self.shape(out))
            refs = [self.ref(t) for t in n.input]
            if any(t in self.const for t in n.input) or axis % rank == 0:
                self.val[out] = b.unsupported(where, op, "concatenating constants or along the batch axis")
            else:
                self.val[out] = b.layer("concatenate", refs, name, axis=axis % rank)
            return
        if op in ("Reshape", "Flatten"):
            in_shape, out_shape = self.shape(x_t), self.shape(out)
            if len(out_shape) == 2 and int(np.prod(in_shape[1:])) == out_shape[1]:
                if len(in_shape) == 2:
                    self.val[out] = x
                else:
                    self.val[out] = b.layer("flatten", x, name)
            else:
                self.val[out] = b.layer("reshape", x, name, target_shape=[int(d) for d in out_shape[1:]])
            return
        if op == "Transpose":
            perm = [int(p) for p in a["perm"]]
            if perm[0] != 0:
                self.val[out] = b.unsupported(where, op, "a transpose that moves the batch axis")
            else:
                self.val[out] = b.layer("permute", x, name, order=perm[1:])
            return
        if op in ("ReduceMean", "ReduceMax", "GlobalAveragePool", "GlobalMaxPool"):
            self._reduce(n, name, x, x_t, out)
            return
        if op in ("MaxPool", "AveragePool"):
            self._pool(n, name, x, x_t, out)
            return
        if op == "Pad":
            self._pad(n, name, x, x_t, out)
            return
        if op == "Resize":
            self._resize(n, name, x, x_t, out)
            return
        if op == "Slice":
            self._slice(n, name, x, x_t, out)
            return
        if op in ("InstanceNormalization", "GroupNormalization"):
            self._norm(n, name, x, x_t, out)
            return
        if op == "MatMul" and len(ins) == 2:
            self.val[out] = b.unsupported(
                where,
                op,
                "a product of two computed tensors, as in attention: LayerLab imports attention only from files "
                "whose nodes name their PyTorch module (torch.onnx's dynamo exporter metadata)",
            )
            return
        self.val[out] = b.unsupported(where, op, "LayerLab has no layer for this operation")

    def _drop_partial(self, t):
        """The partial sum a + b of a + b + c was made a layer: remove it (its only use is the longer sum)."""
        ref = self.val.get(t)
        if isinstance(ref, Ref) and ref.node is not None:
            self.b.graph.remove_node(ref.node)

    def _is_silu(self, n) -> bool:
        return self._silu_x(n) is not None

    def _silu_x(self, n):
        a, c = n.input[0], n.input[1]
        for x, s in ((a, c), (c, a)):
            p = self.producer.get(s)
            if p is not None and p.op_type == "Sigmoid" and p.input[0] == x:
                return x
        return None

    def _special(self, n, name):
        """Consumers of an RNN's final state h (num_layers * dirs, N, units): LayerLab's h[-1] (and h[-2])."""
        b = self.b
        x_t = self.dyn_inputs(n)[0]
        v = self.val[x_t]
        out = n.output[0]
        if v[0] == "rnn_h" and n.op_type == "Gather":
            idx = int(np.asarray(self.cval(n.input[1])).reshape(-1)[0])
            h = self.shape(x_t)[0]
            idx %= h
            if v[2] == 1 and idx == h - 1 and not v[3]:
                self.val[out] = v[1]
            else:
                self.val[out] = ("rnn_pick", v[1], idx, h)
            return
        if n.op_type == "Concat" and all(
            isinstance(self.val.get(t), tuple) and self.val[t][0] == "rnn_pick" for t in n.input
        ):
            picks = [self.val[t] for t in n.input]
            h = picks[0][3]
            if [p[2] for p in picks] == [h - 2, h - 1] and not isinstance(picks[0][1], tuple):
                self.val[out] = picks[0][1]
                return
        self.val[out] = b.unsupported(
            name or n.name, n.op_type, "uses a recurrent layer's state in a way LayerLab has no layer for"
        )

    def _reduce(self, n, name, x, x_t, out):
        b = self.b
        a = _attrs(n)
        rank = len(self.shape(x_t))
        op = n.op_type
        if op.startswith("Global"):
            axes, keep = list(range(2, rank)), 1
        else:
            axes = self.cval(n.input[1]) if len(n.input) > 1 and n.input[1] else a.get("axes")
            axes = (
                sorted(int(v) % rank for v in np.asarray(axes).reshape(-1)) if axes is not None else list(range(rank))
            )
            keep = int(a.get("keepdims", 1))
        kind = "avg" if op in ("ReduceMean", "GlobalAveragePool") else "max"
        t = self.layout(x)
        seq = t is not None and t.axes == ("N", "T", "F")
        if not keep and ((seq and axes == [1]) or (not seq and rank > 2 and axes == list(range(2, rank)))):
            self.val[out] = b.layer(f"global_{kind}_pool", x, name)
        elif len(axes) == 1 and axes[0] > 0:
            self.val[out] = b.layer(
                f"reduce_{'mean' if kind == 'avg' else 'max'}", x, name, axis=axes[0], keepdims=bool(keep)
            )
        else:
            self.val[out] = b.unsupported(name or n.name, op, f"a reduction over axes {axes}")

    def _pool(self, n, name, x, x_t, out):
        b = self.b
        a = _attrs(n)
        k = [int(v) for v in a["kernel_shape"]]
        dims = len(k)
        s = [int(v) for v in a.get("strides", [1] * dims)]
        if max(a.get("dilations", [1])) > 1 or a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
            self.val[out] = b.unsupported(name or n.name, n.op_type, "dilated or auto-padded pooling")
            return
        pads = self._pads(a, dims)
        ceil = bool(a.get("ceil_mode", 0))
        kind = "maxpool" if n.op_type == "MaxPool" else "avgpool"
        params = {"padding": pads, "ceil_mode": ceil}
        if kind == "avgpool":
            params["count_include_pad"] = bool(a.get("count_include_pad", 0))
        if dims == 1:
            params.update(pool_size=k[0], stride=s[0])
        else:
            params.update(pool_size=k, strides=s)
        self.val[out] = b.layer(f"{kind}{dims}d", x, name, **params)

    def _pad(self, n, name, x, x_t, out):
        b = self.b
        a = _attrs(n)
        pads = self.cval(n.input[1]) if len(n.input) > 1 else a.get("pads")
        value = self.cval(n.input[2]) if len(n.input) > 2 and n.input[2] else None
        mode = a.get("mode", b"constant")
        rank = len(self.shape(x_t))
        pads = [int(v) for v in np.asarray(pads).reshape(-1)]
        if (
            mode not in (b"constant", "constant")
            or (value is not None and float(value) != 0.0)
            or rank not in (3, 4)
            or any(pads[i] or pads[i + rank] for i in range(2))
            or min(pads) < 0
        ):
            self.val[out] = b.unsupported(name or n.name, "Pad", "only zero padding of a signal's or image's borders")
            return
        sides = []
        for i in range(2, rank):
            sides += [pads[i], pads[i + rank]]
        self.val[out] = b.layer(f"zero_padding{rank - 2}d", x, name, padding=sides)

    def _resize(self, n, name, x, x_t, out):
        b = self.b
        a = _attrs(n)
        ins, outs = self.shape(x_t), self.shape(out)
        rank = len(ins)
        mode = a.get("mode", b"nearest")
        mode = mode.decode() if isinstance(mode, bytes) else mode
        scale = [outs[i] // ins[i] for i in range(2, rank)]
        if any(outs[i] != ins[i] * scale[i - 2] for i in range(2, rank)) or rank not in (3, 4):
            self.val[out] = b.unsupported(
                name or n.name, "Resize", "only whole-factor up-sampling of a signal or image"
            )
            return
        if rank == 3 and mode == "nearest":
            self.val[out] = b.layer("upsampling1d", x, name, size=scale[0])
        elif rank == 4 and mode in ("nearest", "linear"):
            self.val[out] = b.layer(
                "upsampling2d", x, name, scale=scale, interpolation="nearest" if mode == "nearest" else "bilinear"
            )
        else:
            self.val[out] = b.unsupported(name or n.name, "Resize", f"mode {mode}")

    def _slice(self, n, name, x, x_t, out):
        b = self.b
        ins, outs = self.shape(x_t), self.shape(out)
        rank = len(ins)
        starts = self.cval(n.input[1])
        axes = self.cval(n.input[3]) if len(n.input) > 3 and n.input[3] else np.arange(len(starts))
        steps = self.cval(n.input[4]) if len(n.input) > 4 and n.input[4] else None
        if starts is None or (steps is not None and np.any(steps != 1)) or rank not in (3, 4):
            self.val[out] = b.unsupported(name or n.name, "Slice", "only cropping the borders of a signal or image")
            return
        crop = {}
        for st, ax in zip(np.asarray(starts).reshape(-1), np.asarray(axes).reshape(-1), strict=False):
            ax = int(ax) % rank
            lo = int(st) if st >= 0 else ins[ax] + int(st)
            crop[ax] = (lo, ins[ax] - outs[ax] - lo)
        if any(ax < 2 and c != (0, 0) for ax, c in crop.items()):
            self.val[out] = b.unsupported(name or n.name, "Slice", "slicing the batch or channel axis")
            return
        sides = [v for ax in range(2, rank) for v in crop.get(ax, (0, 0))]
        self.val[out] = b.layer(f"cropping{rank - 2}d", x, name, cropping=sides)

    def _norm(self, n, name, x, x_t, out):
        b = self.b
        a = _attrs(n)
        eps = _round(a.get("epsilon", 1e-5))
        scale, bias = self.cval(n.input[1]), self.cval(n.input[2])
        if n.op_type == "InstanceNormalization":
            self.val[out] = b.layer("instance_norm", x, name, weights={"weight": scale, "bias": bias}, epsilon=eps)
        else:
            self.val[out] = b.layer(
                "group_norm", x, name, weights={"weight": scale, "bias": bias}, groups=int(a["num_groups"]), epsilon=eps
            )

    def _conv_transpose(self, n, name):
        b = self.b
        a = _attrs(n)
        w = self.cval(n.input[1])
        out = n.output[0]
        if w is None or int(a.get("group", 1)) != 1 or w.ndim not in (3, 4) or a.get("output_shape"):
            self.val[out] = b.unsupported(
                name or n.name, "ConvTranspose", "only ungrouped 1-D/2-D transposed convolutions"
            )
            return
        bias = self.cval(n.input[2]) if len(n.input) > 2 and n.input[2] else None
        use_bias = self._has_bias(n, name, bias is not None)
        weights = {"weight": w}
        if use_bias:
            weights["bias"] = bias if bias is not None else np.zeros(w.shape[1], np.float32)
        dims = w.ndim - 2
        x = self.ref(n.input[0])
        pads = self._pads(a, dims)
        s = [int(v) for v in a.get("strides", [1] * dims)]
        d = [int(v) for v in a.get("dilations", [1] * dims)]
        op_ = [int(v) for v in a.get("output_padding", [0] * dims)]
        if dims == 1:
            ref = b.layer(
                "conv1d_transpose",
                x,
                name,
                weights=weights,
                filters=int(w.shape[1]),
                kernel_size=int(w.shape[2]),
                stride=s[0],
                padding=pads,
                output_padding=op_[0],
                dilation=d[0],
                use_bias=use_bias,
            )
        else:
            ref = b.layer(
                "conv2d_transpose",
                x,
                name,
                weights=weights,
                filters=int(w.shape[1]),
                kernel_size=list(w.shape[2:]),
                strides=s,
                padding=pads,
                output_padding=op_,
                dilation=d,
                use_bias=use_bias,
            )
        self.val[out] = ref


def _gates(op: str, w: np.ndarray, units: int) -> np.ndarray:
    """ONNX gate order -> PyTorch's: LSTM iofc -> ifco (i, f, g, o); GRU zrh -> rzn; RNN as it is."""
    if op == "LSTM":
        i, o, f, c = (w[k * units : (k + 1) * units] for k in range(4))
        return np.concatenate([i, f, c, o])
    if op == "GRU":
        z, r, h = (w[k * units : (k + 1) * units] for k in range(3))
        return np.concatenate([r, z, h])
    return w


def _round(v) -> float:
    """A float attribute stored as float32 (1e-5 -> 9.99999974e-06) back to its short decimal."""
    v = float(v)
    return float(f"{np.float32(v):.7g}") if v else 0.0
