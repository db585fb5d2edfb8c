"""Import a Keras model (a ``.keras`` file or a model's JSON config) as a LayerLab graph.

The functional graph is walked in Keras' own execution order (``model._nodes_by_depth``), each Keras
tensor remembered as the LayerLab output it stands for and *how* it is stored: Keras keeps images,
volumes and signals channels-last, the graph channels-first (docs/equivalence.md §1), so every axis
parameter is mapped back through ``codegen.layout.stored_axes``. The auxiliary layers LayerLab's own
Keras lowerings add (``…_pad`` before a convolution, ``…_to_channels_first`` before Flatten, ``…_crop``
after a transposed convolution, the levels ``…_l1`` of a stacked LSTM…) are folded back into the node
they belong to, so that a LayerLab graph exported to Keras comes back identical.

Whatever the catalog cannot express is reported with ``GraphBuilder.unsupported`` (the walk goes on, so
the user sees every such layer at once). Runs where Keras is installed (the importer child).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from codegen.importers.builder import POISON, GraphBuilder, Imported, ImportFailed, Ref
from codegen.layout import same_pads, stored_axes
from graph.analysis import analyze
from graph.tensors import TensorType

# ----------------------------------------------------------------------------- small tables

# Keras activation name -> LayerLab layer type (a separate node), None = identity.
ACTIVATION_LAYERS = {
    "linear": None,
    "relu": "relu",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "softmax": "softmax",
    "gelu": "gelu",
    "elu": "elu",
    "silu": "silu",
    "swish": "silu",
    "softplus": "softplus",
    "relu6": "relu6",
    "hard_swish": "hard_swish",
    "hard_silu": "hard_swish",
}
DENSE_ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh", "softmax", "gelu", "elu")
MERGES = {
    "Add": "add",
    "Multiply": "multiply",
    "Subtract": "subtract",
    "Average": "average",
    "Maximum": "maximum",
    "Minimum": "minimum",
}
RECURRENT = {"SimpleRNN": "simple_rnn", "LSTM": "lstm", "GRU": "gru"}
# Layers that tell a rank-2 (steps, values) Keras input is a LayerLab signal (channels last) …
SIGNAL_USERS = {
    "Conv1D",
    "Conv1DTranspose",
    "MaxPooling1D",
    "AveragePooling1D",
    "UpSampling1D",
    "ZeroPadding1D",
    "Cropping1D",
}
# … or a sequence (time, features).
SEQUENCE_USERS = {
    "SimpleRNN",
    "LSTM",
    "GRU",
    "Bidirectional",
    "MultiHeadAttention",
    "Dense",
    "LayerNormalization",
    "PositionalEmbedding",
    "SinusoidalPosition",
}
PASS_THROUGH = {
    "ReLU",
    "LeakyReLU",
    "ELU",
    "PReLU",
    "Activation",
    "Softmax",
    "Dropout",
    "SpatialDropout1D",
    "BatchNormalization",
    "GroupNormalization",
    *MERGES,
    "Gelu",
}


@dataclass
class Entry:
    """What one Keras tensor stands for.

    ``mode``: "stored" (the LayerLab tensor ``t`` in Keras storage order), "logical" (permuted back to
    channels-first, waiting for a Flatten or Reshape), "hwc" (a plain Flatten of a channels-last map:
    only a Dense can take it, rows reordered), "padded" / "neg_padded" (an explicit padding waiting for
    its convolution or pool), "mask" (``ops.not_equal(tokens, 0)``), "scores" (attention scores waiting
    for their transpose), "part" (one direction's state of a bidirectional layer), "bad" (unusable)."""

    ref: Ref
    t: TensorType | None
    mode: str = "stored"
    extra: dict = field(default_factory=dict)


def _config_padding(value, dims: int) -> list[tuple[int, int]]:
    """Keras' ZeroPadding/Cropping argument as [(before, after)] per axis."""
    if isinstance(value, int):
        return [(value, value)] * dims
    value = list(value)
    if dims == 1:
        return [tuple(value)] if len(value) == 2 and not isinstance(value[0], list | tuple) else [tuple(value[0])]
    return [(v, v) if isinstance(v, int) else tuple(v) for v in value]


def _tup(value, dims: int) -> list[int]:
    return [int(value)] * dims if isinstance(value, int) else [int(v) for v in value]


def _flat(pairs) -> list[int]:
    return [int(v) for pair in pairs for v in pair]


def _activation_name(value) -> str:
    if value is None:
        return "linear"
    if isinstance(value, dict):
        return str(value.get("config", value.get("class_name", "?")))
    return str(value)


# ----------------------------------------------------------------------------- the walk


class KerasWalker:
    def __init__(self, model, b: GraphBuilder):
        import keras

        self.keras = keras
        self.model = model
        self.b = b
        self.entries: dict[int, Entry] = {}
        self.done: set[int] = set()  # id() of nodes already folded into an earlier one
        self.made_by: dict[str, object] = {}  # LayerLab node id -> the Keras layer it came from
        self.nodes = [n for d in sorted(model._nodes_by_depth, reverse=True) for n in model._nodes_by_depth[d]]
        self.users: dict[int, list] = {}
        for node in self.nodes:
            for kt in node.input_tensors:
                self.users.setdefault(id(kt), []).append(node)
        self.input_types: list[tuple[str, TensorType]] = []

    # ------------------------------------------------------------- helpers
    def type_of(self, ref: Ref) -> TensorType | None:
        if ref.node is None:
            return None
        return analyze(self.b.graph).output(ref.node, ref.port)

    def put(self, kt, ref: Ref, mode: str = "stored", **extra) -> Entry:
        e = Entry(ref, self.type_of(ref) if ref.node is not None else None, mode, extra)
        self.entries[id(kt)] = e
        return e

    def bad(self, kt, why: str, quiet: bool = False) -> None:
        """An unusable tensor; ``quiet`` when its cause was reported already (a refused layer)."""
        self.entries[id(kt)] = Entry(POISON, None, "bad", {"why": why, "quiet": quiet})

    def only_user(self, kt):
        users = [u for u in self.users.get(id(kt), [])]
        outputs = [o for o in self.model.outputs if o is kt]
        return users[0] if len(users) == 1 and not outputs else None

    def entry(self, node, i: int = 0) -> Entry | None:
        return self.entries.get(id(node.input_tensors[i]))

    def plain(self, node, where: str, op: str, e: Entry | None) -> Entry | None:
        """The entry when it is an ordinary tensor; else report why this layer cannot take it."""
        if e is None:
            return None
        if e.ref.node is None and e.mode != "bad":
            return None
        if e.mode == "stored":
            return e
        if e.mode == "bad" and e.extra.get("quiet"):
            return None
        why = {
            "bad": e.extra.get("why", "its input cannot be imported"),
            "hwc": "it takes a Flatten of a channels-last feature map; LayerLab's Flatten keeps the (C, H, W) "
            "order, which only a following Dense layer can make up for (its rows are reordered)",
            "logical": "it takes a tensor permuted to channels-first order; LayerLab only permutes like that "
            "for a Flatten or Reshape",
            "mask": "it takes ops.not_equal(tokens, 0), which LayerLab only knows as an attention mask",
            "scores": "it takes raw attention scores; LayerLab gives them as (N, T, S, heads) only",
            "part": "it takes one direction's final state of a bidirectional layer; LayerLab gives both, concatenated",
            "padded": "it takes an explicit padding meant for a convolution",
            "neg_padded": "it takes an explicit -inf padding meant for a max pooling",
        }[e.mode]
        self.b.unsupported(where, op, why)
        return None

    def layer(self, type_id, inputs, name, layer=None, **kw) -> Ref:
        ref = self.b.layer(type_id, inputs, _restore(name), where=name, **kw)
        if ref.node is not None and layer is not None:
            self.made_by[ref.node] = layer
        return ref

    # ------------------------------------------------------------- inputs
    def input_kind(self, layer) -> tuple[str, dict] | str:
        shape = tuple(layer.batch_shape[1:])
        dtype = str(layer.dtype)
        if any(d is None for d in shape):
            return f"input shape {shape} has a size that is not fixed; LayerLab needs every size"
        if "int" in dtype:
            if len(shape) != 1:
                return f"integer input of shape {shape}: LayerLab's token input is (steps,)"
            vocab = [
                self._config(u.operation).get("input_dim")
                for u in self.users.get(id(layer.output), [])
                if type(u.operation).__name__ == "Embedding"
            ]
            vocab = [v for v in vocab if v] or [64]
            return "input.tokens", {"steps": shape[0], "vocab_size": int(max(vocab))}
        if len(shape) == 1:
            return "input.vector", {"features": shape[0]}
        if len(shape) == 2:
            if self._looks_like_signal(layer):
                return "input.signal", {"channels": shape[1], "length": shape[0]}
            return "input.sequence", {"steps": shape[0], "features": shape[1]}
        if len(shape) == 3:
            return "input.image", {"channels": shape[2], "height": shape[0], "width": shape[1]}
        if len(shape) == 4:
            return "input.volume", {"channels": shape[3], "depth": shape[0], "height": shape[1], "width": shape[2]}
        return f"input of shape {shape}: LayerLab's inputs have 1 to 4 sample axes"

    def _looks_like_signal(self, layer) -> bool:
        """A (steps, values) input is a signal when it reaches a 1-D convolution family layer first."""
        seen, todo = set(), [layer.output]
        while todo:
            kt = todo.pop(0)
            for user in self.users.get(id(kt), []):
                cls = type(user.operation).__name__
                if cls in SIGNAL_USERS:
                    return True
                if cls in SEQUENCE_USERS:
                    return False
                if cls in PASS_THROUGH and id(user) not in seen:
                    seen.add(id(user))
                    todo.extend(user.outputs)
        name = layer.name.lower()
        return any(w in name for w in ("signal", "audio", "wave", "sensor"))

    # ------------------------------------------------------------- main
    def run(self) -> None:
        for node in self.nodes:
            if id(node) in self.done:
                continue
            op = node.operation
            cls = type(op).__name__
            if node.is_input or cls == "InputLayer":
                kind = self.input_kind(op)
                if isinstance(kind, str):
                    self.b.unsupported(op.name, "InputLayer", kind)
                    self.bad(node.outputs[0], "its input is refused", quiet=True)
                    continue
                ref = self.b.input(kind[0], _restore(op.name), **kind[1])
                e = self.put(node.outputs[0], ref)
                self.input_types.append((_restore(op.name), e.t))
                continue
            if any(id(kt) not in self.entries for kt in node.input_tensors):
                for kt in node.outputs:
                    self.bad(kt, "its input cannot be imported", quiet=True)
                continue
            handler = getattr(self, "on_" + cls, None)
            if handler is None:
                self.unknown(node, cls)
                continue
            try:
                handler(node, op, self._config(op))
            except _Refuse as r:
                self.b.unsupported(op.name, cls, str(r))
                for kt in node.outputs:
                    self.bad(kt, f"{op.name} is refused", quiet=True)
            except _Quiet:
                for kt in node.outputs:
                    self.bad(kt, f"{op.name} is refused", quiet=True)

    def unknown(self, node, cls: str) -> None:
        op = node.operation
        if isinstance(op, self.keras.Model):
            why = "a nested model; LayerLab imports one flat functional graph (call the inner layers directly)"
        elif cls == "Lambda":
            why = "a Lambda layer runs arbitrary Python code, which LayerLab cannot represent"
        elif isinstance(op, self.keras.layers.Layer):
            why = "LayerLab has no equivalent of this Keras layer"
        else:
            why = "LayerLab has no equivalent of this Keras operation"
        self.b.unsupported(op.name, cls, why)
        for kt in node.outputs:
            self.bad(kt, f"{op.name} is refused", quiet=True)

    @staticmethod
    def _config(op) -> dict:
        try:
            return dict(op.get_config())
        except Exception:  # an operation without a config
            return {}

    # ------------------------------------------------------------- one input, one output
    def _single(self, node, op, cls) -> Entry:
        e = self.plain(node, op.name, cls, self.entry(node))
        if e is None:
            raise _Quiet
        return e

    def _simple(self, node, op, cls, type_id, **params) -> Ref:
        e = self._single(node, op, cls)
        ref = self.layer(type_id, e.ref, op.name, op, **params)
        self.put(node.outputs[0], ref)
        return ref

    def _need(self, e: Entry, axes: tuple[tuple[str, ...], ...], what: str) -> None:
        if e.t is None or e.t.axes not in axes:
            got = e.t.label() if e.t is not None else "an unknown tensor"
            raise _Refuse(f"LayerLab's layer takes {what}, this input is {got}")

    # ------------------------------------------------------------- activations
    def with_activation(self, node, op, ref: Ref, act: str, kt=None) -> Ref:
        """A separate activation node after a layer that Keras gives an activation argument."""
        if act == "linear":
            return ref
        type_id = ACTIVATION_LAYERS.get(act)
        if type_id is None:
            raise _Refuse(f"activation {act!r} has no LayerLab layer")
        return self.layer(type_id, ref, f"{op.name}_{act}", op)

    def activation_node(self, node, op, cls, act: str) -> None:
        e = self._single(node, op, cls)
        if act == "linear":
            self.entries[id(node.outputs[0])] = e
            return
        type_id = ACTIVATION_LAYERS.get(act)
        if type_id is None:
            raise _Refuse(f"activation {act!r} has no LayerLab layer")
        params = {"axis": 1 if e.t.channels_first else -1} if type_id == "softmax" else {}
        self.put(node.outputs[0], self.layer(type_id, e.ref, op.name, op, **params))

    def on_Activation(self, node, op, c):
        self.activation_node(node, op, "Activation", _activation_name(c.get("activation")))

    def on_ReLU(self, node, op, c):
        mx, slope, thr = c.get("max_value"), c.get("negative_slope", 0.0), c.get("threshold", 0.0)
        if slope or thr:
            raise _Refuse("ReLU with a negative slope or threshold: use LeakyReLU")
        if mx is None:
            self._simple(node, op, "ReLU", "relu")
        elif float(mx) == 6.0:
            self._simple(node, op, "ReLU", "relu6")
        else:
            raise _Refuse(f"ReLU capped at {mx}: LayerLab only has ReLU6")

    def on_LeakyReLU(self, node, op, c):
        self._simple(node, op, "LeakyReLU", "leaky_relu", negative_slope=float(c.get("negative_slope", 0.3)))

    def on_ELU(self, node, op, c):
        self._simple(node, op, "ELU", "elu", alpha=float(c.get("alpha", 1.0)))

    def on_Softmax(self, node, op, c):
        e = self._single(node, op, "Softmax")
        axis = c.get("axis", -1)
        if isinstance(axis, list | tuple):
            if len(axis) != 1:
                raise _Refuse("softmax over several axes")
            axis = axis[0]
        logical = self.logical_axis(e.t, axis)
        self.put(
            node.outputs[0], self.layer("softmax", e.ref, op.name, op, axis=-1 if logical == e.t.rank - 1 else logical)
        )

    def on_Gelu(self, node, op, c):
        approximate = bool(getattr(op, "approximate", True))
        self._simple(node, op, "Gelu", "gelu", approximate="tanh" if approximate else "none")

    def on_PReLU(self, node, op, c):
        e = self._single(node, op, "PReLU")
        rank = e.t.rank
        want = list(range(1, rank - 1)) if rank > 2 else None
        shared = c.get("shared_axes")
        shared = sorted(shared) if isinstance(shared, list | tuple) else ([shared] if shared else None)
        if (shared or None) != want:
            raise _Refuse(f"PReLU shared_axes {shared}: LayerLab learns one slope per channel (shared_axes {want})")
        ref = self.layer("prelu", e.ref, op.name, op, keras_weights={"": op.get_weights()})
        self.put(node.outputs[0], ref)

    # ------------------------------------------------------------- core
    def logical_axis(self, t: TensorType, axis: int) -> int:
        axis = int(axis)
        k = axis % t.rank
        if k == 0:
            raise _Refuse("an axis parameter on the batch axis")
        return stored_axes(t)[k]

    def on_Dense(self, node, op, c):
        e = self.entry(node)
        act = _activation_name(c.get("activation"))
        weights = op.get_weights()
        if e is not None and e.mode == "hwc":
            shape = e.extra["stored"]  # (H, W, C): reorder the kernel's rows to (C, H, W)
            kernel = weights[0].reshape(*shape, -1)
            kernel = np.moveaxis(kernel, len(shape) - 1, 0).reshape(weights[0].shape)
            weights = [kernel, *weights[1:]]
            e = Entry(e.ref, e.t)
        e = self.plain(node, op.name, "Dense", e)
        if e is None:
            raise _Quiet
        if e.t.channels_first:
            raise _Refuse(
                f"Keras' Dense acts on the channels of this {e.t.label()} tensor, LayerLab's on its "
                "last (channels-first) axis; flatten or pool it first"
            )
        dense_act = act if act in DENSE_ACTIVATIONS else "linear"
        ref = self.layer(
            "dense",
            e.ref,
            op.name,
            op,
            units=int(c["units"]),
            use_bias=bool(c.get("use_bias", True)),
            activation=dense_act,
            keras_weights={"": weights},
        )
        if dense_act != act:
            ref = self.with_activation(node, op, ref, act)
        self.put(node.outputs[0], ref)

    def on_Flatten(self, node, op, c):
        e = self.entry(node)
        if e is not None and e.mode == "logical":
            self.put(node.outputs[0], self.layer("flatten", e.ref, op.name, op))
            return
        e = self._single(node, op, "Flatten")
        ref = self.layer("flatten", e.ref, op.name, op)
        if e.t.channels_first and e.t.dims[1] > 1:
            stored = tuple(e.t.dims[a] for a in stored_axes(e.t)[1:])
            self.put(node.outputs[0], ref, "hwc", stored=stored)
            for user in self.users.get(id(node.outputs[0]), []):
                if type(user.operation).__name__ not in ("Dense", "Dropout"):
                    self.b.unsupported(
                        op.name,
                        "Flatten",
                        "a Flatten of a channels-last feature map that feeds "
                        f"{user.operation.name} ({type(user.operation).__name__}): LayerLab flattens "
                        "in (C, H, W) order, which only a following Dense can make up for",
                    )
            return
        self.put(node.outputs[0], ref)

    def on_Dropout(self, node, op, c):
        e = self.entry(node)
        rate = float(c.get("rate", 0.5))
        if e is not None and e.mode == "hwc":
            ref = self.layer("dropout", e.ref, op.name, op, rate=rate)
            self.put(node.outputs[0], ref, "hwc", **e.extra)
            return
        self._simple(node, op, "Dropout", "dropout", rate=rate)

    def _spatial_dropout(self, node, op, c, cls, axes):
        e = self._single(node, op, cls)
        self._need(e, axes, "a " + " or ".join(",".join(a) for a in axes) + " tensor")
        self.put(
            node.outputs[0], self.layer("dropout", e.ref, op.name, op, rate=float(c.get("rate", 0.5)), spatial=True)
        )

    def on_SpatialDropout1D(self, node, op, c):
        self._spatial_dropout(node, op, c, "SpatialDropout1D", (("N", "C", "L"), ("N", "T", "F")))

    def on_SpatialDropout2D(self, node, op, c):
        self._spatial_dropout(node, op, c, "SpatialDropout2D", (("N", "C", "H", "W"),))

    def on_SpatialDropout3D(self, node, op, c):
        self._spatial_dropout(node, op, c, "SpatialDropout3D", (("N", "C", "D", "H", "W"),))

    def on_Embedding(self, node, op, c):
        e = self._single(node, op, "Embedding")
        if c.get("mask_zero"):
            raise _Refuse("mask_zero=True: LayerLab masks padding only in attention (connect the tokens to its mask)")
        self._need(e, (("N", "T"),), "token ids (N, T)")
        ref = self.layer(
            "embedding",
            e.ref,
            op.name,
            op,
            input_dim=int(c["input_dim"]),
            output_dim=int(c["output_dim"]),
            keras_weights={"": op.get_weights()},
        )
        self.put(node.outputs[0], ref)

    def _spec_out(self, type_id: str, params: dict, t: TensorType) -> TensorType | None:
        spec = self.b.graph.catalog.get(type_id)
        try:
            return spec.infer({**spec.defaults(), **params}, {"in": t})["out"]
        except Exception:
            return None

    def on_Permute(self, node, op, c):
        e = self.entry(node)
        dims = tuple(int(d) for d in c["dims"])
        out = node.outputs[0]
        if e is not None and e.mode == "stored" and e.t is not None and e.t.channels_first:
            rank = e.t.rank
            to_first = (rank - 1, *range(1, rank - 1))
            user = self.only_user(out)
            if dims == to_first and user is not None and type(user.operation).__name__ in ("Flatten", "Reshape"):
                self.entries[id(out)] = Entry(e.ref, e.t, "logical")
                return
        e = self._single(node, op, "Permute")
        t = e.t
        src_pos = stored_axes(t)
        for order in itertools.permutations(range(1, t.rank)):
            o = self._spec_out("permute", {"order": list(order)}, t)
            if o is None:
                continue
            logical = [0, *order]
            if tuple(src_pos.index(logical[a]) for a in stored_axes(o)[1:]) == dims:
                self.put(out, self.layer("permute", e.ref, op.name, op, order=list(order)))
                return
        raise _Refuse(f"Permute{dims} of a {t.label()} tensor (channels last in Keras) has no LayerLab equivalent")

    def on_Reshape(self, node, op, c):
        e = self.entry(node)
        target = [int(v) for v in c["target_shape"]]
        out = node.outputs[0]
        if e is None:
            raise _Quiet
        if e.mode == "stored" and e.t is not None and e.t.channels_first and e.t.dims[1] > 1:
            raise _Refuse(
                "Reshape of a channels-last feature map: Keras reshapes in (H, W, C) order, LayerLab in "
                "(C, H, W) order (permute it to channels-first first)"
            )
        if e.mode not in ("logical", "stored"):
            self.plain(node, op.name, "Reshape", e)
            raise _Quiet
        user = self.only_user(out)
        to_last = {4: (2, 3, 1), 3: (2, 1)}.get(len(target) + 1)
        if (
            user is not None
            and type(user.operation).__name__ == "Permute"
            and to_last is not None
            and tuple(self._config(user.operation).get("dims", ())) == to_last
        ):
            o = self._spec_out("reshape", {"target_shape": target}, e.t)
            if o is not None and o.channels_first:
                ref = self.layer("reshape", e.ref, op.name, op, target_shape=target)
                self.done.add(id(user))
                self.put(user.outputs[0], ref)
                return
        candidates = [target]
        if len(target) >= 2:
            candidates.append([target[-1], *target[:-1]])  # a channels-first result stored channels-last
        for cand in candidates:
            o = self._spec_out("reshape", {"target_shape": cand}, e.t)
            if o is None:
                continue
            if o.channels_first and o.dims[1] > 1:
                continue
            if [o.dims[a] for a in stored_axes(o)[1:]] == [d for d in target if d != -1] or -1 in target:
                if -1 in target and cand is not target:
                    continue
                self.put(out, self.layer("reshape", e.ref, op.name, op, target_shape=cand))
                return
        raise _Refuse(f"Reshape to {tuple(target)} has no LayerLab equivalent here")

    # ------------------------------------------------------------- convolutions
    def on_ZeroPadding1D(self, node, op, c):
        self._zero_padding(node, op, c, 1)

    def on_ZeroPadding2D(self, node, op, c):
        self._zero_padding(node, op, c, 2)

    def on_ZeroPadding3D(self, node, op, c):
        self._zero_padding(node, op, c, 3)

    def _zero_padding(self, node, op, c, dims):
        pads = _config_padding(c["padding"], dims)
        user = self.only_user(node.outputs[0])
        e = self._single(node, op, f"ZeroPadding{dims}D")
        if user is not None and user.operation.name + "_pad" == op.name:
            self.entries[id(node.outputs[0])] = Entry(e.ref, e.t, "padded", {"pads": pads, "layer": op})
            return
        if dims == 3:
            raise _Refuse("LayerLab has no ZeroPadding3D layer")
        axes = (("N", "C", "L"),) if dims == 1 else (("N", "C", "H", "W"),)
        self._need(e, axes, "a signal (N, C, L)" if dims == 1 else "an image (N, C, H, W)")
        ref = self.layer(f"zero_padding{dims}d", e.ref, op.name, op, padding=_flat(pads))
        self.put(node.outputs[0], ref)

    def _conv_input(self, node, op, cls, dims, c, mode_ok=("padded",)) -> tuple[Entry, list[tuple[int, int]]]:
        """The input of a convolution and its padding per axis (a folded ZeroPadding or 'same')."""
        e = self.entry(node)
        pre = None
        if e is not None and e.mode in mode_ok:
            pre = e.extra["pads"]
            e = Entry(e.ref, e.t)
        e = self.plain(node, op.name, cls, e)
        if e is None:
            raise _Quiet
        axes = {1: ("N", "C", "L"), 2: ("N", "C", "H", "W"), 3: ("N", "C", "D", "H", "W")}[dims]
        self._need(
            e, (axes,), {1: "a signal (N, C, L) (a (steps, channels) Keras tensor)", 2: "an image", 3: "a volume"}[dims]
        )
        k = _tup(c.get("kernel_size", c.get("pool_size")), dims)
        s = _tup(c.get("strides") or k, dims)
        d = _tup(c.get("dilation_rate", 1), dims)
        padding = c.get("padding", "valid")
        sizes = e.t.dims[2:]
        if padding == "valid":
            pads = [(0, 0)] * dims
        elif padding == "same":
            pads = [same_pads(n, kk, ss, dd) for n, kk, ss, dd in zip(sizes, k, s, d, strict=True)]
        elif padding == "causal" and dims == 1:
            pads = [((k[0] - 1) * d[0], 0)]
        else:
            raise _Refuse(f"padding {padding!r}")
        if pre is not None:
            if any(p != (0, 0) for p in pads):
                raise _Refuse("explicit padding before a 'same' layer")
            pads = [tuple(p) for p in pre]
        if c.get("data_format", "channels_last") not in (None, "channels_last"):
            raise _Refuse("data_format='channels_first' (LayerLab's Keras code is channels-last)")
        return e, [tuple(int(v) for v in p) for p in pads]

    def _conv_common(self, c, op) -> None:
        if c.get("data_format", "channels_last") not in (None, "channels_last"):
            raise _Refuse("data_format='channels_first' (LayerLab's Keras code is channels-last)")

    def on_Conv2D(self, node, op, c):
        e, pads = self._conv_input(node, op, "Conv2D", 2, c)
        ref = self.layer(
            "conv2d",
            e.ref,
            op.name,
            op,
            filters=int(c["filters"]),
            kernel_size=_tup(c["kernel_size"], 2),
            strides=_tup(c["strides"], 2),
            padding=_flat(pads),
            dilation=_tup(c["dilation_rate"], 2),
            groups=int(c.get("groups", 1)),
            use_bias=bool(c["use_bias"]),
            keras_weights={"": op.get_weights()},
        )
        self.put(node.outputs[0], self.with_activation(node, op, ref, _activation_name(c.get("activation"))))

    def on_Conv1D(self, node, op, c):
        e, pads = self._conv_input(node, op, "Conv1D", 1, c)
        if int(c.get("groups", 1)) != 1:
            raise _Refuse("grouped Conv1D")
        ref = self.layer(
            "conv1d",
            e.ref,
            op.name,
            op,
            filters=int(c["filters"]),
            kernel_size=_tup(c["kernel_size"], 1)[0],
            stride=_tup(c["strides"], 1)[0],
            padding=_flat(pads),
            dilation=_tup(c["dilation_rate"], 1)[0],
            use_bias=bool(c["use_bias"]),
            keras_weights={"": op.get_weights()},
        )
        self.put(node.outputs[0], self.with_activation(node, op, ref, _activation_name(c.get("activation"))))

    def on_Conv3D(self, node, op, c):
        e, pads = self._conv_input(node, op, "Conv3D", 3, c)
        if int(c.get("groups", 1)) != 1:
            raise _Refuse("grouped Conv3D")
        ref = self.layer(
            "conv3d",
            e.ref,
            op.name,
            op,
            filters=int(c["filters"]),
            kernel_size=_tup(c["kernel_size"], 3),
            strides=_tup(c["strides"], 3),
            padding=_flat(pads),
            dilation=_tup(c["dilation_rate"], 3),
            use_bias=bool(c["use_bias"]),
            keras_weights={"": op.get_weights()},
        )
        self.put(node.outputs[0], self.with_activation(node, op, ref, _activation_name(c.get("activation"))))

    def on_DepthwiseConv2D(self, node, op, c):
        e, pads = self._conv_input(node, op, "DepthwiseConv2D", 2, c)
        ref = self.layer(
            "depthwise_conv2d",
            e.ref,
            op.name,
            op,
            depth_multiplier=int(c.get("depth_multiplier", 1)),
            kernel_size=_tup(c["kernel_size"], 2),
            strides=_tup(c["strides"], 2),
            padding=_flat(pads),
            dilation=_tup(c["dilation_rate"], 2),
            use_bias=bool(c["use_bias"]),
            keras_weights={"": op.get_weights()},
        )
        self.put(node.outputs[0], self.with_activation(node, op, ref, _activation_name(c.get("activation"))))

    def on_SeparableConv2D(self, node, op, c):
        e, pads = self._conv_input(node, op, "SeparableConv2D", 2, c)
        ref = self.layer(
            "separable_conv2d",
            e.ref,
            op.name,
            op,
            filters=int(c["filters"]),
            depth_multiplier=int(c.get("depth_multiplier", 1)),
            kernel_size=_tup(c["kernel_size"], 2),
            strides=_tup(c["strides"], 2),
            padding=_flat(pads),
            dilation=_tup(c["dilation_rate"], 2),
            use_bias=bool(c["use_bias"]),
            keras_weights={"": op.get_weights()},
        )
        self.put(node.outputs[0], self.with_activation(node, op, ref, _activation_name(c.get("activation"))))

    def _transpose(self, node, op, c, dims):
        cls = f"Conv{dims}DTranspose"
        e = self._single(node, op, cls)
        self._conv_common(c, op)
        self._need(e, ({1: ("N", "C", "L"), 2: ("N", "C", "H", "W")}[dims],), "a signal" if dims == 1 else "an image")
        if c.get("padding", "valid") != "valid":
            raise _Refuse("padding 'same' on a transposed convolution (use 'valid' and a Cropping layer)")
        k, s, d = _tup(c["kernel_size"], dims), _tup(c["strides"], dims), _tup(c["dilation_rate"], dims)
        op_pad = c.get("output_padding")
        op_pad = [max(ss - kk, 0) for kk, ss in zip(k, s, strict=True)] if op_pad is None else _tup(op_pad, dims)
        out, crop = node.outputs[0], [(0, 0)] * dims
        user = self.only_user(out)
        if (
            user is not None
            and type(user.operation).__name__ == f"Cropping{dims}D"
            and user.operation.name == op.name + "_crop"
        ):
            crop = _config_padding(self._config(user.operation)["cropping"], dims)
            self.done.add(id(user))
            out = user.outputs[0]
        if dims == 2:
            params = dict(
                filters=int(c["filters"]),
                kernel_size=k,
                strides=s,
                padding=_flat(crop),
                output_padding=op_pad,
                dilation=d,
            )
        else:
            params = dict(
                filters=int(c["filters"]),
                kernel_size=k[0],
                stride=s[0],
                padding=_flat(crop),
                output_padding=op_pad[0],
                dilation=d[0],
            )
        ref = self.layer(
            f"conv{dims}d_transpose",
            e.ref,
            op.name,
            op,
            use_bias=bool(c["use_bias"]),
            keras_weights={"": op.get_weights()},
            **params,
        )
        self.put(out, self.with_activation(node, op, ref, _activation_name(c.get("activation"))))

    def on_Conv2DTranspose(self, node, op, c):
        self._transpose(node, op, c, 2)

    def on_Conv1DTranspose(self, node, op, c):
        self._transpose(node, op, c, 1)

    def _resize(self, node, op, c, cls, type_id, axes, **params):
        e = self._single(node, op, cls)
        self._need(e, (axes,), ",".join(axes))
        self.put(node.outputs[0], self.layer(type_id, e.ref, op.name, op, **params))

    def on_UpSampling2D(self, node, op, c):
        if c.get("interpolation", "nearest") not in ("nearest", "bilinear"):
            raise _Refuse(f"interpolation {c.get('interpolation')!r}")
        self._resize(
            node,
            op,
            c,
            "UpSampling2D",
            "upsampling2d",
            ("N", "C", "H", "W"),
            scale=_tup(c["size"], 2),
            interpolation=c.get("interpolation", "nearest"),
        )

    def on_UpSampling1D(self, node, op, c):
        self._resize(node, op, c, "UpSampling1D", "upsampling1d", ("N", "C", "L"), size=int(c["size"]))

    def on_Cropping1D(self, node, op, c):
        self._resize(
            node, op, c, "Cropping1D", "cropping1d", ("N", "C", "L"), cropping=_flat(_config_padding(c["cropping"], 1))
        )

    def on_Cropping2D(self, node, op, c):
        self._resize(
            node,
            op,
            c,
            "Cropping2D",
            "cropping2d",
            ("N", "C", "H", "W"),
            cropping=_flat(_config_padding(c["cropping"], 2)),
        )

    # ------------------------------------------------------------- pooling
    def on_Pad(self, node, op, c):
        """``ops.pad(x, …, constant_values=-inf)`` before a max pooling (LayerLab's own export)."""
        e = self._single(node, op, "Pad")
        args = node.arguments
        value = args.kwargs.get("constant_values", args.args[1] if len(args.args) > 1 else 0)
        widths = [tuple(int(v) for v in w) for w in op.pad_width]
        user = self.only_user(node.outputs[0])
        if (
            value is not None
            and float(value) == -np.inf
            and user is not None
            and e.t.channels_first
            and type(user.operation).__name__.startswith("MaxPooling")
            and widths[0] == (0, 0)
            and widths[-1] == (0, 0)
        ):
            self.entries[id(node.outputs[0])] = Entry(e.ref, e.t, "neg_padded", {"pads": widths[1:-1]})
            return
        raise _Refuse("ops.pad is only imported as a max pooling's -inf padding")

    def _pool(self, node, op, c, dims, kind):
        cls = f"{'Max' if kind == 'max' else 'Average'}Pooling{dims}D"
        e = self.entry(node)
        explicit = e is not None and e.mode in ("neg_padded", "padded")
        if e is not None and e.mode == "padded" and kind == "max":
            explicit = False  # zeros before a max pool are a layer of their own
        e, pads = self._conv_input(node, op, cls, dims, c, mode_ok=("neg_padded",) if kind == "max" else ("padded",))
        k = _tup(c["pool_size"], dims)
        s = _tup(c.get("strides") or c["pool_size"], dims)
        sizes = e.t.dims[2:]
        pads, ceil = self._pool_pads(sizes, k, s, pads)
        if dims == 1:
            params = {"pool_size": k[0], "stride": s[0]}
        else:
            params = {"pool_size": k, "strides": s}
        params.update(padding=_flat(pads), ceil_mode=ceil)
        if kind == "avg":
            if ceil:
                raise _Refuse("this average pooling has no exact LayerLab equivalent")
            params["count_include_pad"] = explicit or not any(b or a for b, a in pads)
        type_id = f"{kind}pool{dims}d"
        self.put(node.outputs[0], self.layer(type_id, e.ref, op.name, op, **params))

    @staticmethod
    def _pool_pads(sizes, k, s, pads) -> tuple[list[tuple[int, int]], bool]:
        """LayerLab's (padding, ceil_mode) for explicit per-side pads: ceil_mode when symmetric pads plus
        ceil mode give exactly these (LayerLab's export of ceil_mode), else the pads as they are."""
        from codegen.layout import pool_pads

        if all(b == a for b, a in pads):
            return pads, False
        sym = [(b, b) for b, _ in pads]
        if all(pool_pads(n, kk, ss, b, b, True) == (b, a) for n, kk, ss, (b, a) in zip(sizes, k, s, pads, strict=True)):
            return sym, True
        return pads, False

    def on_MaxPooling1D(self, node, op, c):
        self._pool(node, op, c, 1, "max")

    def on_MaxPooling2D(self, node, op, c):
        self._pool(node, op, c, 2, "max")

    def on_MaxPooling3D(self, node, op, c):
        self._pool(node, op, c, 3, "max")

    def on_AveragePooling1D(self, node, op, c):
        self._pool(node, op, c, 1, "avg")

    def on_AveragePooling2D(self, node, op, c):
        self._pool(node, op, c, 2, "avg")

    def on_AveragePooling3D(self, node, op, c):
        self._pool(node, op, c, 3, "avg")

    def _global(self, node, op, c, cls, type_id, dims):
        e = self._single(node, op, cls)
        if c.get("keepdims"):
            raise _Refuse("keepdims=True (LayerLab's global pooling gives (N, C))")
        self._conv_common(c, op)
        want = {1: (("N", "C", "L"), ("N", "T", "F")), 2: (("N", "C", "H", "W"),), 3: (("N", "C", "D", "H", "W"),)}
        self._need(e, want[dims], " or ".join(",".join(a) for a in want[dims]))
        self.put(node.outputs[0], self.layer(type_id, e.ref, op.name, op))

    def on_GlobalAveragePooling1D(self, node, op, c):
        self._global(node, op, c, "GlobalAveragePooling1D", "global_avg_pool", 1)

    def on_GlobalAveragePooling2D(self, node, op, c):
        self._global(node, op, c, "GlobalAveragePooling2D", "global_avg_pool", 2)

    def on_GlobalAveragePooling3D(self, node, op, c):
        self._global(node, op, c, "GlobalAveragePooling3D", "global_avg_pool", 3)

    def on_GlobalMaxPooling1D(self, node, op, c):
        self._global(node, op, c, "GlobalMaxPooling1D", "global_max_pool", 1)

    def on_GlobalMaxPooling2D(self, node, op, c):
        self._global(node, op, c, "GlobalMaxPooling2D", "global_max_pool", 2)

    def on_GlobalMaxPooling3D(self, node, op, c):
        self._global(node, op, c, "GlobalMaxPooling3D", "global_max_pool", 3)

    def _reduce(self, node, op, type_id):
        e = self._single(node, op, type(op).__name__)
        axis = op.axis
        if isinstance(axis, list | tuple):
            if len(axis) != 1:
                raise _Refuse("a reduction over several axes")
            axis = axis[0]
        if axis is None:
            raise _Refuse("a reduction over every axis")
        logical = self.logical_axis(e.t, axis)
        param = -1 if logical == e.t.rank - 1 else logical
        self.put(node.outputs[0], self.layer(type_id, e.ref, op.name, op, axis=param, keepdims=bool(op.keepdims)))

    def on_Mean(self, node, op, c):
        self._reduce(node, op, "reduce_mean")

    def on_Max(self, node, op, c):
        self._reduce(node, op, "reduce_max")

    # ------------------------------------------------------------- normalisation
    def _channel_axis_ok(self, t: TensorType, axis) -> bool:
        axes = axis if isinstance(axis, list | tuple) else [axis]
        return [a % t.rank for a in axes] == [t.rank - 1]

    def on_BatchNormalization(self, node, op, c):
        e = self._single(node, op, "BatchNormalization")
        if not self._channel_axis_ok(e.t, c.get("axis", -1)):
            raise _Refuse(f"axis {c.get('axis')}: LayerLab normalises the channels (the last Keras axis)")
        if c.get("renorm") or c.get("synchronized"):
            raise _Refuse("batch renormalisation")
        w = op.get_weights()
        ch = int(op.moving_mean.shape[-1])
        gamma = w.pop(0) if c.get("scale", True) else np.ones(ch, np.float32)
        beta = w.pop(0) if c.get("center", True) else np.zeros(ch, np.float32)
        ref = self.layer(
            "batch_norm",
            e.ref,
            op.name,
            op,
            epsilon=float(c.get("epsilon", 1e-3)),
            momentum=round(1.0 - float(c.get("momentum", 0.99)), 10),
            keras_weights={"": [gamma, beta, *w]},
        )
        self.put(node.outputs[0], ref)

    def on_LayerNormalization(self, node, op, c):
        e = self._single(node, op, "LayerNormalization")
        t = e.t
        axes = c.get("axis", -1)
        axes = sorted(a % t.rank for a in (axes if isinstance(axes, list | tuple) else [axes]))
        want = list(range(1, t.rank)) if t.channels_first else [t.rank - 1]
        if axes != want:
            raise _Refuse(
                f"axis {c.get('axis')}: LayerLab normalises "
                + ("every axis of a feature map" if t.channels_first else "the last axis")
            )
        if c.get("rms_scaling"):
            raise _Refuse("rms_scaling=True (RMS normalisation)")
        w = op.get_weights()
        shape = tuple(t.dims[a] for a in stored_axes(t)[1:]) if t.channels_first else (t.last,)
        gamma = w.pop(0) if c.get("scale", True) else np.ones(shape, np.float32)
        beta = w.pop(0) if c.get("center", True) else np.zeros(shape, np.float32)
        ref = self.layer(
            "layer_norm", e.ref, op.name, op, epsilon=float(c.get("epsilon", 1e-3)), keras_weights={"": [gamma, beta]}
        )
        self.put(node.outputs[0], ref)

    def on_GroupNormalization(self, node, op, c):
        from graph.layers.norm import norm_channel_axis

        e = self._single(node, op, "GroupNormalization")
        if not self._channel_axis_ok(e.t, c.get("axis", -1)):
            raise _Refuse(f"axis {c.get('axis')}: LayerLab normalises groups of channels (the last Keras axis)")
        w = op.get_weights()
        ch = e.t.dims[norm_channel_axis(e.t)]
        gamma = w.pop(0) if c.get("scale", True) else np.ones(ch, np.float32)
        beta = w.pop(0) if c.get("center", True) else np.zeros(ch, np.float32)
        groups, eps = int(c["groups"]), float(c.get("epsilon", 1e-3))
        kw = {"keras_weights": {"": [gamma, beta]}, "epsilon": eps}
        if groups == ch and ch > 1:
            ref = self.layer("instance_norm", e.ref, op.name, op, **kw)
        else:
            ref = self.layer("group_norm", e.ref, op.name, op, groups=groups, **kw)
        self.put(node.outputs[0], ref)

    # ------------------------------------------------------------- merges
    def _merge_inputs(self, node, op, cls) -> list[Entry]:
        out = []
        for i in range(len(node.input_tensors)):
            e = self.plain(node, op.name, cls, self.entry(node, i))
            if e is None:
                raise _Quiet
            out.append(e)
        return out

    def _merge(self, node, op, c, cls):
        es = self._merge_inputs(node, op, cls)
        type_id = MERGES[cls]
        if type_id == "subtract":
            ref = self.layer(type_id, {"a": es[0].ref, "b": es[1].ref}, op.name, op)
        else:
            ref = self.layer(type_id, [e.ref for e in es], op.name, op)
        self.put(node.outputs[0], ref)

    def on_Add(self, node, op, c):
        self._merge(node, op, c, "Add")

    def on_Multiply(self, node, op, c):
        self._merge(node, op, c, "Multiply")

    def on_Subtract(self, node, op, c):
        self._merge(node, op, c, "Subtract")

    def on_Average(self, node, op, c):
        self._merge(node, op, c, "Average")

    def on_Maximum(self, node, op, c):
        self._merge(node, op, c, "Maximum")

    def on_Minimum(self, node, op, c):
        self._merge(node, op, c, "Minimum")

    def on_Concatenate(self, node, op, c):
        parts = [self.entry(node, i) for i in range(len(node.input_tensors))]
        if parts and all(p is not None and p.mode == "part" for p in parts):  # a bidirectional layer's state
            owners = {p.extra["node"] for p in parts}
            if len(owners) == 1 and [p.extra["direction"] for p in parts] == [0, 1] and c.get("axis", -1) in (-1, 1):
                self.put(node.outputs[0], Ref(owners.pop(), "state"))
                return
        es = self._merge_inputs(node, op, "Concatenate")
        t = es[0].t
        logical = self.logical_axis(t, c.get("axis", -1))
        axis = -1 if logical == t.rank - 1 else logical  # Keras' -1: "the last axis"
        self.put(node.outputs[0], self.layer("concatenate", [e.ref for e in es], op.name, op, axis=axis))

    # ------------------------------------------------------------- recurrent
    def _rnn_params(self, cls: str, c: dict, where: str) -> dict:
        type_id = RECURRENT[cls]
        if c.get("go_backwards") or c.get("stateful"):
            raise _Refuse("go_backwards / stateful recurrent layers")
        if c.get("dropout") or c.get("recurrent_dropout"):
            raise _Refuse("dropout inside the recurrent cell (LayerLab drops out between stacked levels only)")
        if not c.get("use_bias", True):
            raise _Refuse("a recurrent layer without bias")
        act = _activation_name(c.get("activation", "tanh"))
        params = {"units": int(c["units"])}
        if type_id == "simple_rnn":
            if act not in ("tanh", "relu"):
                raise _Refuse(f"activation {act!r}")
            params["activation"] = act
        elif act != "tanh" or _activation_name(c.get("recurrent_activation", "sigmoid")) != "sigmoid":
            raise _Refuse("activations other than tanh / sigmoid gates")
        if type_id == "gru" and not c.get("reset_after", True):
            raise _Refuse("GRU(reset_after=False) (PyTorch's GRU is reset_after=True)")
        return params

    def _rnn_layer(self, op):
        """(class name, config, bidirectional) of a recurrent layer, or of the one a Bidirectional wraps."""
        cls = type(op).__name__
        c = self._config(op)
        if cls == "Bidirectional":
            inner = op.forward_layer
            icls = type(inner).__name__
            if icls not in RECURRENT:
                raise _Refuse(f"Bidirectional {icls}")
            if c.get("merge_mode", "concat") != "concat":
                raise _Refuse(f"merge_mode {c.get('merge_mode')!r} (LayerLab concatenates the two directions)")
            return icls, self._config(inner), True
        return cls, c, False

    def on_Bidirectional(self, node, op, c):
        self.on_LSTM(node, op, c)

    def on_GRU(self, node, op, c):
        self.on_LSTM(node, op, c)

    def on_SimpleRNN(self, node, op, c):
        self.on_LSTM(node, op, c)

    def on_LSTM(self, node, op, c):
        cls, c, bidi = self._rnn_layer(op)
        type_id = RECURRENT[cls]
        if bidi and type_id == "simple_rnn":
            raise _Refuse("a bidirectional SimpleRNN (LayerLab's SimpleRNN is one direction)")
        e = self._single(node, op, type(op).__name__)
        self._need(e, (("N", "T", "F"),), "a sequence (N, T, F)")
        params = self._rnn_params(cls, c, op.name)
        weights = {"": op.get_weights()}
        levels, dropout = [node], 0.0
        cur_node, cur_c = node, c
        while type_id != "simple_rnn":  # the stacked levels LayerLab's export names …_l1, …_l2
            if not cur_c.get("return_sequences") or cur_c.get("return_state"):
                break
            nxt = self.only_user(cur_node.outputs[0])
            drop = None
            level = len(levels)
            if (
                nxt is not None
                and type(nxt.operation).__name__ == "Dropout"
                and nxt.operation.name == f"{op.name}_dropout{level}"
            ):
                drop = nxt
                nxt = self.only_user(nxt.outputs[0])
            if nxt is None or nxt.operation.name != f"{op.name}_l{level}" or type(nxt.operation) is not type(op):
                break
            try:
                ncls, nc, nbidi = self._rnn_layer(nxt.operation)
                if ncls != cls or nbidi != bidi or self._rnn_params(ncls, nc, nxt.operation.name) != params:
                    break
            except _Refuse:
                break
            rate = float(self._config(drop.operation)["rate"]) if drop is not None else 0.0
            if level > 1 and rate != dropout:
                break
            dropout = rate
            if drop is not None:
                self.done.add(id(drop))
            self.done.add(id(nxt))
            weights[f"l{level}"] = nxt.operation.get_weights()
            levels.append(nxt)
            cur_node, cur_c = nxt, nc
        if type_id != "simple_rnn":
            params.update(bidirectional=bidi, num_layers=len(levels), dropout=dropout)
        params["return_sequences"] = bool(cur_c.get("return_sequences"))
        ref = self.layer(type_id, e.ref, op.name, op, keras_weights=weights, **params)
        outs = cur_node.outputs
        self.put(outs[0], ref)
        if not cur_c.get("return_state"):
            return
        per = 2 if cls == "LSTM" else 1
        if not bidi:
            self.put(outs[1], self.b.port(ref, "state"))
            for kt in outs[2:]:
                self.bad(kt, "LayerLab's LSTM gives its final hidden state, not its cell state")
            return
        for i, kt in enumerate(outs[1:]):
            if i % per == 0:
                self.entries[id(kt)] = Entry(ref, None, "part", {"node": ref.node, "direction": i // per})
            else:
                self.bad(kt, "LayerLab's LSTM gives its final hidden state, not its cell state")

    # ------------------------------------------------------------- attention
    def on_NotEqual(self, node, op, c):
        args = node.arguments.args
        e = self._single(node, op, "NotEqual")
        other = args[1] if len(args) > 1 else None
        if (
            e.t is None
            or e.t.axes != ("N", "T")
            or other is None
            or self.keras.backend.is_keras_tensor(other)
            or np.any(np.asarray(other) != 0)
        ):
            raise _Refuse("ops.not_equal is only imported as an attention padding mask (tokens != 0)")
        self.entries[id(node.outputs[0])] = Entry(e.ref, e.t, "mask")

    def on_MultiHeadAttention(self, node, op, c):
        args, kwargs = node.arguments.args, dict(node.arguments.kwargs)
        names = [
            "query",
            "value",
            "key",
            "query_mask",
            "value_mask",
            "key_mask",
            "attention_mask",
            "return_attention_scores",
            "training",
            "use_causal_mask",
        ]
        bound = dict(zip(names, args, strict=False)) | kwargs
        tensors = {k: v for k, v in bound.items() if self.keras.backend.is_keras_tensor(v)}
        for k in ("query_mask", "key_mask", "attention_mask"):
            if k in tensors:
                raise _Refuse(f"{k}: LayerLab only takes a padding mask on the value (token ids)")
        q = self.plain(node, op.name, "MultiHeadAttention", self.entries.get(id(tensors["query"])))
        if q is None:
            raise _Quiet
        self._need(q, (("N", "T", "F"),), "sequences (N, T, F)")
        v_kt = tensors.get("value", tensors["query"])
        if "key" in tensors and tensors["key"] is not v_kt:
            raise _Refuse("a key different from the value")
        heads, e = int(c["num_heads"]), q.t.last
        if int(c["key_dim"]) * heads != e or c.get("value_dim") not in (None, c["key_dim"]):
            raise _Refuse(f"key_dim {c['key_dim']} × {heads} heads ≠ the query's {e} features")
        if c.get("output_shape") not in (None, [e], (e,), e):
            raise _Refuse("an output_shape other than the query's features")
        if c.get("attention_axes") not in (None, [1], (1,)):
            raise _Refuse("attention over axes other than time")
        inputs = {"query": q.ref}
        if v_kt is not tensors["query"]:
            v = self.plain(node, op.name, "MultiHeadAttention", self.entries.get(id(v_kt)))
            if v is None:
                raise _Quiet
            inputs["value"] = v.ref
        if "value_mask" in tensors:
            m = self.entries.get(id(tensors["value_mask"]))
            if m is None or m.mode != "mask":
                raise _Refuse("a value_mask other than ops.not_equal(tokens, 0)")
            inputs["mask"] = m.ref
        ref = self.layer(
            "multi_head_attention",
            inputs,
            op.name,
            op,
            num_heads=heads,
            dropout=float(c.get("dropout", 0.0)),
            causal=bool(bound.get("use_causal_mask", False)),
            use_bias=bool(c.get("use_bias", True)),
            keras_weights={"": op.get_weights()},
        )
        outs = node.outputs
        self.put(outs[0], ref)
        if len(outs) > 1:
            self.entries[id(outs[1])] = Entry(ref, None, "scores", {"node": ref.node})

    def on_Transpose(self, node, op, c):
        e = self.entry(node)
        if e is not None and e.mode == "scores" and tuple(op.axes or ()) == (0, 2, 3, 1):
            self.put(node.outputs[0], self.b.port(e.ref, "weights"))
            return
        self.plain(node, op.name, "Transpose", e)
        raise _Refuse("ops.transpose is only imported on attention scores (use a Permute layer)")

    # ------------------------------------------------------------- LayerLab's position layers
    def on_PositionalEmbedding(self, node, op, c):
        e = self._single(node, op, "PositionalEmbedding")
        self._need(e, (("N", "T", "F"),), "a sequence (N, T, F)")
        self.put(
            node.outputs[0],
            self.layer("positional_embedding", e.ref, op.name, op, keras_weights={"": op.get_weights()}),
        )

    def on_SinusoidalPosition(self, node, op, c):
        self._simple(node, op, "SinusoidalPosition", "sinusoidal_position")


def _restore(name: str) -> str:
    """The LayerLab name behind a Keras name: LayerLab's export renames a layer whose name is reserved in
    the generated code (``inputs``, ``input``, ``model``…) with a suffix ``_1``; that is undone."""
    from codegen.naming import Namespace

    if name.endswith("_1"):
        base = name[:-2]
        if base and Namespace()._taken(base):
            return base
    return name


class _Refuse(Exception):
    """This layer cannot be imported (the message says why)."""


class _Quiet(Exception):
    """This layer cannot be imported and the reason was already reported."""


# ----------------------------------------------------------------------------- entry points


def _register_layerlab_layers() -> None:
    """LayerLab's own position layers (registered "layerlab>…") so that its exports load with safe_mode."""
    import keras

    from codegen.lower_keras.attention import POSITIONAL_EMBEDDING, SINUSOID

    for name, source in (("PositionalEmbedding", POSITIONAL_EMBEDDING), ("SinusoidalPosition", SINUSOID)):
        if keras.saving.get_registered_object(f"layerlab>{name}") is None:
            exec(
                compile(
                    "import numpy as np\nimport keras\nfrom keras import layers\n" + source,
                    f"<layerlab {name}>",
                    "exec",
                ),
                {},
            )


def _refused_class(message: str) -> str | None:
    import re

    for pattern in (
        r"Could not locate class '([^']+)'",
        r"Unknown layer: '([^']+)'",
        r"class_name['\"]?: ['\"]([^'\"]+)",
    ):
        m = re.search(pattern, message)
        if m:
            return m.group(1)
    return None


def import_keras(path: str, *, heads=None, title=None) -> tuple[Imported, object | None]:
    """A ``.keras`` file (loaded with safe_mode=True, compile=False) or a model's JSON config (``.json``:
    no weights, reference None). Functional and Sequential models."""
    import keras

    _register_layerlab_layers()
    p = Path(path)
    title = title or p.stem
    try:
        if p.suffix.lower() == ".json":
            text = p.read_text()
            data = json.loads(text)
            _check_config(data)
            model = keras.models.model_from_json(text)
            imported, _ = import_keras_model(model, heads=heads, title=title, source=p.name, weights=False)
            return imported, None
        model = keras.saving.load_model(str(p), safe_mode=True, compile=False)
    except ImportFailed:
        raise
    except Exception as err:
        message = str(err)
        if "Lambda" in message or "safe_mode" in message:
            raise ImportFailed(
                [
                    f"a Lambda layer: it runs arbitrary Python code, which LayerLab cannot represent "
                    f"(and does not load with safe_mode) — {message.splitlines()[0]}"
                ]
            ) from None
        cls = _refused_class(message)
        what = f"{cls}: a custom or unknown Keras layer class" if cls else message.splitlines()[0]
        raise ImportFailed([what], "the Keras model cannot be loaded") from None
    return import_keras_model(model, heads=heads, title=title, source=p.name)


def _check_config(data) -> None:
    """Name every Lambda or unknown layer class in a JSON config before Keras tries to build it."""
    import keras

    problems = []

    def visit(obj):
        if isinstance(obj, dict):
            cls = obj.get("class_name")
            if cls == "Lambda":
                name = obj.get("config", {}).get("name", "?")
                problems.append(
                    f"{name} (Lambda): a Lambda layer runs arbitrary Python code, which LayerLab cannot represent"
                )
            elif (
                isinstance(cls, str)
                and "config" in obj
                and obj.get("module", "").startswith("keras.layers")
                and not hasattr(keras.layers, cls)
            ):
                problems.append(f"{obj['config'].get('name', '?')} ({cls}): an unknown Keras layer class")
            for v in obj.values():
                visit(v)
        elif isinstance(obj, list):
            for v in obj:
                visit(v)

    visit(data)
    if problems:
        raise ImportFailed(problems)


def import_keras_model(model, *, heads=None, title="Imported model", source="", weights=True):
    """Import a Keras model object; returns (Imported, reference or None)."""
    import keras

    if isinstance(model, keras.Sequential):
        inner = getattr(model, "_functional", None)
        if inner is None:
            raise ImportFailed(["the Sequential model has no input shape (start it with keras.Input)"])
        graph_model = inner
    elif hasattr(model, "_nodes_by_depth"):
        graph_model = model
    else:
        raise ImportFailed(
            [f"{type(model).__name__}: a subclassed model has no graph to import; rebuild it with the functional API"]
        )
    b = GraphBuilder(title, source)
    w = KerasWalker(graph_model, b)
    w.run()
    out_types = []
    for kt in graph_model.outputs:
        e = w.entries.get(id(kt))
        if e is None:
            b.outputs.append((POISON, None))
            continue
        if e.mode != "stored":
            if not e.extra.get("quiet"):
                why = e.extra.get("why") if e.mode == "bad" else f"a {e.mode} tensor, which LayerLab cannot output"
                b.unsupported(
                    kt._keras_history.operation.name, "output", f"this model output cannot be imported: {why}"
                )
            continue
        b.output(e.ref)
        out_types.append(e.t)
    imported = b.finish(heads)
    if not weights:
        imported.keras_weights.clear()
        return imported, None
    reference = _reference(model, graph_model, w, imported, out_types)
    return imported, reference


def _reference(model, graph_model, walker: KerasWalker, imported: Imported, out_types):
    """The Keras model as a function of channels-first inputs; an output whose softmax/sigmoid LayerLab's
    head folds into its loss is given before that activation, as LayerLab's model gives it."""
    import keras

    from codegen.emitter import _folded
    from codegen.verify import from_keras_layout, to_keras_layout

    g = imported.project.graph
    analysis = analyze(g)
    heads = [n for n in g.nodes() if not g.spec(n.id).outputs]
    outputs, swaps = list(graph_model.outputs), []
    for i, head in enumerate(heads):
        fold = g.spec(head.id).head.fold if g.spec(head.id).head else None
        src = g.in_edges(head.id)[0].src
        nid = _folded(g, analysis, fold, src)
        if nid is None:
            continue
        layer = walker.made_by.get(nid)
        kt = graph_model.outputs[i]
        producer = kt._keras_history.operation
        if layer is producer and type(layer).__name__ in ("Softmax", "Activation"):
            outputs[i] = kt._keras_history.operation._inbound_nodes[kt._keras_history.node_index].input_tensors[0]
        elif layer is not None and getattr(layer, "activation", None) is not None:
            swaps.append(layer)  # a Dense/Conv with its activation (its own node or a separate one)
    fn = graph_model if outputs == list(graph_model.outputs) else keras.Model(graph_model.inputs, outputs)
    types = dict(walker.input_types)
    names = [_restore(kt._keras_history.operation.name) for kt in graph_model.inputs]

    def reference(inputs: dict) -> list:
        feed = [to_keras_layout(np.asarray(inputs[n]), types[n]) for n in names]
        saved = [(layer, layer.activation) for layer in swaps]
        try:
            for layer in swaps:
                layer.activation = keras.activations.linear
            if fn is graph_model:
                args = keras.tree.pack_sequence_as(graph_model._inputs_struct, feed)
            else:
                args = feed if len(feed) > 1 else feed[0]
            result = keras.tree.flatten(fn(args, training=False))
        finally:
            for layer, act in saved:
                layer.activation = act
        return [from_keras_layout(np.asarray(r), t) for r, t in zip(result, out_types, strict=True)]

    return reference
