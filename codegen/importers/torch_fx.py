"""Import a PyTorch ``nn.Module`` into a LayerLab graph by tracing it with ``torch.fx``.

Runs only in the import child (it imports torch and runs the user's code). The traced graph is walked in
order; leaf modules (``nn.Conv2d``, ``nn.LSTM``, …, and LayerLab's own helper modules) and functions
(``torch.relu``, ``+``, ``torch.cat``, ``x.view`` …) become catalog layers through ``GraphBuilder``.
Some source nodes are kept *pending* until their consumer is known, so that LayerLab's own PyTorch
lowering reads back as the layer it came from: a transpose around a BatchNorm of a sequence, a ZeroPad in
front of a convolution (asymmetric padding), a crop after a transposed convolution, an adaptive pool
whose (N, C, 1, 1) result is flattened. Everything the catalog cannot express is reported with
``unsupported`` (module path or fx node, the type or function, why), and the walk goes on so that the
user sees every such node at once.
"""

from __future__ import annotations

import inspect
import math
import operator
import os
import re
import runpy
import traceback
from collections.abc import Callable

import numpy as np

from codegen.importers.builder import POISON, GraphBuilder, Imported, ImportFailed, Ref, clean_name

Reference = Callable[[dict[str, np.ndarray]], list[np.ndarray]]

LAYERLAB_LEAVES = {"PositionalEmbedding", "SinusoidalPosition", "MaskedAttention"}  # codegen/lower_torch/attention.py
TRACE_BATCH = 2


# ----------------------------------------------------------------------------- loading


def load_module(path: str, class_name: str, args: list | dict | None = None):
    """Run the user's Python file and build ``class_name(*args)`` / ``(**args)`` (runs their code)."""
    import torch

    if not os.path.isfile(path):
        raise ValueError(f"{path}: no such file")
    try:
        namespace = runpy.run_path(path, run_name="layerlab_import")
    except Exception as err:  # the user's file itself fails
        raise ValueError(f"{path}: running the file failed: {type(err).__name__}: {err}") from None
    cls = namespace.get(class_name)
    if cls is None:
        found = sorted(
            k
            for k, v in namespace.items()
            if isinstance(v, type) and issubclass(v, torch.nn.Module) and v.__module__ == "layerlab_import"
        )
        hint = f" (modules in the file: {', '.join(found)})" if found else " (the file defines no nn.Module)"
        raise ValueError(f"{path}: no class {class_name!r}{hint}")
    if not (isinstance(cls, type) and issubclass(cls, torch.nn.Module)):
        raise ValueError(f"{path}: {class_name} is not a torch.nn.Module class")
    try:
        module = cls(**args) if isinstance(args, dict) else cls(*(args or []))
    except Exception as err:
        raise ValueError(f"{path}: {class_name}({_args_text(args)}) failed: {type(err).__name__}: {err}") from None
    return module


def _args_text(args) -> str:
    if isinstance(args, dict):
        return ", ".join(f"{k}={v!r}" for k, v in args.items())
    return ", ".join(repr(a) for a in args or [])


# ----------------------------------------------------------------------------- values in the walk


class _Refuse(Exception):
    """A source node LayerLab cannot express: the message says why."""


class _Batch:
    """The batch size (x.size(0), x.shape[0]) as a value in shape arithmetic."""

    def __repr__(self):
        return "N"


BATCH = _Batch()


class _Pending:
    """A tensor whose LayerLab layer waits for its consumer (see the module docstring)."""

    def __init__(self, imp: _Importer, name: str | None, src):
        self.imp, self.name, self.src, self._ref = imp, name, src, None

    def ref(self) -> Ref:
        if self._ref is None:
            self._ref = self.make()
        return self._ref

    def make(self) -> Ref:
        raise NotImplementedError


class _Permuted(_Pending):
    """x.permute / transpose / movedim, batch axis kept: ``perm`` over all axes."""

    def __init__(self, imp, name, src, perm):
        super().__init__(imp, name, src)
        self.perm = tuple(perm)

    def make(self):
        src = self.imp.ref(self.src)
        if self.perm == tuple(range(len(self.perm))):
            return src
        return self.imp.b.layer("permute", src, self.name, order=list(self.perm[1:]), where=self.name)


class _Padded(_Pending):
    """F.pad / nn.ZeroPad / nn.ConstantPad: ``pads`` (before, after) per spatial axis, ``value``."""

    def __init__(self, imp, name, src, pads, value):
        super().__init__(imp, name, src)
        self.pads, self.value = pads, value

    def make(self):
        src = self.imp.ref(self.src)
        flat = [v for pair in self.pads for v in pair]
        if self.value != 0:
            raise _Refuse(f"padding with the value {self.value} (LayerLab pads with zeros)")
        if len(self.pads) == 2:
            return self.imp.b.layer("zero_padding2d", src, self.name, padding=flat, where=self.name)
        if len(self.pads) == 1:
            return self.imp.b.layer("zero_padding1d", src, self.name, padding=flat, where=self.name)
        raise _Refuse("3-D zero padding on its own (LayerLab pads a volume only inside a convolution)")


class _Kept(_Pending):
    """A global pool kept with its size-1 axes (keepdim / adaptive pool to 1): ``shape`` per sample."""

    def __init__(self, imp, name, src, shape):
        super().__init__(imp, name, src)
        self.shape = tuple(shape)

    def make(self):
        return self.imp.b.layer("reshape", self.src, self.name, target_shape=list(self.shape), where=self.name)


class _Sum(_Pending):
    """a + b, kept so that ``(a + b) / 2`` reads back as one Average."""

    def __init__(self, imp, name, items):
        super().__init__(imp, name, None)
        self.items = items

    def make(self):
        refs = [self.imp.ref(v) for v in self.items]
        return self.imp.b.layer("add", refs, self.name, where=self.name or "add")

    def leaves(self) -> list:
        out = []
        for v in self.items:
            out += v.leaves() if isinstance(v, _Sum) and v._ref is None else [v]
        return out


class _Recurrent:
    """The output tuple of an RNN/LSTM/GRU (``part`` None), or a part of it (see ``_getitem``)."""

    def __init__(self, layer: Ref, kind: str, levels: int, bidirectional: bool, seq: bool, part=None):
        self.layer, self.kind, self.levels, self.bidi, self.seq, self.part = (
            layer,
            kind,
            levels,
            bidirectional,
            seq,
            part,
        )

    def with_part(self, part):
        return _Recurrent(self.layer, self.kind, self.levels, self.bidi, self.seq, part)

    def final(self, imp) -> Ref:
        """The top level's final hidden state (both directions concatenated)."""
        return imp.b.port(self.layer, "state") if self.seq else self.layer


class _Attention:
    """nn.MultiheadAttention's (output, weights) tuple."""

    def __init__(self, layer: Ref, weights_ok: bool):
        self.layer, self.weights_ok = layer, weights_ok


class _PadMask:
    """``ids == 0`` for a token input: a key padding mask LayerLab's attention takes as token ids."""

    def __init__(self, ids: Ref):
        self.ids = ids


class _Param:
    """A parameter or buffer of the module (a get_attr node)."""

    def __init__(self, name: str, tensor):
        self.name, self.tensor = name, tensor


TENSORISH = (Ref, _Pending)


# ----------------------------------------------------------------------------- the walk


class _Importer:
    def __init__(self, module, inputs, title, source):
        import torch
        import torch.fx as fx
        from torch.fx.passes.shape_prop import ShapeProp

        self.torch, self.fx = torch, fx
        self.module = module
        self.b = GraphBuilder(title, source)
        self.env: dict = {}
        self.done: set = set()
        self._analysis = None
        self._analysis_key = None
        self.user_files = _source_files(module)
        self.inputs = _resolve_inputs(module, inputs)
        self.gm = self._trace()
        sample = [_sample(shape, dtype) for _, shape, dtype in self.inputs]
        was_training = module.training
        module.eval()
        try:
            with torch.no_grad():
                ShapeProp(self.gm).propagate(*sample)
        except Exception as err:
            raise ImportFailed(
                [
                    f"running the traced model on inputs of shape "
                    f"{', '.join(str(tuple(s.shape)) for s in sample)} failed: {type(err).__name__}: {err}"
                    + self._user_line(err)
                ]
            ) from None
        finally:
            module.train(was_training)

    # ------------------------------------------------------------------ tracing
    def _trace(self):
        fx = self.fx

        class Tracer(fx.Tracer):
            def is_leaf_module(self, m, qualified_name):
                if type(m).__name__ in LAYERLAB_LEAVES or _separable(m) is not None:
                    return True
                return super().is_leaf_module(m, qualified_name)

        tracer = Tracer()
        tracer.record_stack_traces = True
        try:
            graph = tracer.trace(self.module)
        except Exception as err:
            what = (
                "the forward pass depends on the data (Python control flow on a tensor), which torch.fx cannot trace"
                if isinstance(err, fx.proxy.TraceError)
                else "torch.fx cannot trace the model"
            )
            raise ImportFailed([f"{what}: {type(err).__name__}: {err}{self._user_line(err)}"]) from None
        return fx.GraphModule(tracer.root, graph)

    def _user_line(self, err) -> str:
        frames = [f for f in traceback.extract_tb(err.__traceback__) if os.path.abspath(f.filename) in self.user_files]
        if not frames:
            return ""
        f = frames[-1]
        return f" (at {f.filename}, line {f.lineno}: {(f.line or '').strip()})"

    # ------------------------------------------------------------------ helpers
    def ref(self, value) -> Ref:
        if isinstance(value, Ref):
            return value
        if isinstance(value, _Pending):
            return value.ref()
        if isinstance(value, _Recurrent):
            raise _Refuse("uses a recurrent layer's output tuple as a tensor")
        if isinstance(value, _Param):
            raise _Refuse(f"uses the module's tensor {value.name} directly (LayerLab has no constant tensors)")
        raise _Refuse(f"a constant ({type(value).__name__}) where LayerLab needs a layer's output")

    def ttype(self, value):
        from graph.analysis import analyze

        r = self.ref(value)
        key = (len(self.b.graph), len(list(self.b.graph.edges())))
        if self._analysis is None or self._analysis_key != key:
            self._analysis, self._analysis_key = analyze(self.b.graph), key
        t = self._analysis.output(r.node, r.port)
        if t is None:
            raise _Refuse("its input's shape is unknown to LayerLab")
        return t

    def shape(self, node) -> tuple:
        meta = node.meta.get("tensor_meta")
        if meta is None or not hasattr(meta, "shape"):
            raise _Refuse("no tensor shape recorded for this node")
        return tuple(meta.shape)

    def lay(self, type_id, inputs, name, where, **kw) -> Ref:
        if name is None:  # a function node: the name the editor gives a new layer of this type
            name = self.b.graph.catalog.get(type_id).extra.get("base_name") if type_id in self.b.graph.catalog else None
        return self.b.layer(type_id, inputs, name, where=where, **kw)

    def val(self, a):
        """The walk's value of an fx argument (nested lists/tuples/dicts kept)."""
        fx = self.fx
        if isinstance(a, fx.Node):
            return self.env[a]
        if isinstance(a, list | tuple):
            return type(a)(self.val(x) for x in a) if not hasattr(a, "_fields") else a
        if isinstance(a, dict):
            return {k: self.val(v) for k, v in a.items()}
        if isinstance(a, slice):
            return slice(self.val(a.start), self.val(a.stop), self.val(a.step))
        return a

    @staticmethod
    def poisoned(v) -> bool:
        if v is POISON:
            return True
        if isinstance(v, list | tuple):
            return any(_Importer.poisoned(x) for x in v)
        if isinstance(v, dict):
            return any(_Importer.poisoned(x) for x in v.values())
        if isinstance(v, _Pending):
            return _Importer.poisoned(v.src) or (isinstance(v, _Sum) and _Importer.poisoned(v.items))
        return False

    @staticmethod
    def tensorish(v) -> bool:
        if isinstance(v, TENSORISH + (_Recurrent, _Attention, _PadMask)):
            return True
        if isinstance(v, list | tuple):
            return any(_Importer.tensorish(x) for x in v)
        if isinstance(v, dict):
            return any(_Importer.tensorish(x) for x in v.values())
        return False

    # ------------------------------------------------------------------ main loop
    def run(self, heads) -> Imported:
        nodes = list(self.gm.graph.nodes)
        placeholders = [n for n in nodes if n.op == "placeholder"]
        for node, (name, shape, dtype) in zip(placeholders, self.inputs, strict=True):
            self.env[node] = self._input(node, name, shape, dtype)
        for node in nodes:
            if node.op == "placeholder" or node in self.done:
                continue
            if _item(node) is not None and not node.users:  # `out, _ = …`: the part left unused
                continue
            if node.op == "output":
                self._output(node)
                continue
            self.b.scope = self._container(node)
            try:
                args, kwargs = self.val(node.args), self.val(node.kwargs)
                if self.poisoned(args) or self.poisoned(kwargs):
                    # after a refused node: still say when this one could not be mapped either
                    why = self._unknown(node, args)
                    self.env[node] = (
                        POISON if why is None else self.b.unsupported(self._where(node), self._op(node), why)
                    )
                    continue
                self.env[node] = self._node(node, args, kwargs)
            except _Refuse as why:
                self.env[node] = self.b.unsupported(self._where(node), self._op(node), str(why))
        return self.b.finish(heads)

    def _container(self, node) -> tuple[str, str] | None:
        """(path, class) of the outermost user module (not torch.nn's, not a LayerLab leaf) that this
        node runs inside: the block it belongs to."""
        for path, entry in (node.meta.get("nn_module_stack") or {}).items():
            cls = entry[1] if isinstance(entry, tuple) else entry
            if not isinstance(cls, type) or not path:
                continue
            if not cls.__module__.startswith("torch.") and cls.__name__ not in LAYERLAB_LEAVES:
                return (str(entry[0] if isinstance(entry, tuple) else path), cls.__name__)
        return None

    def _unknown(self, node, args) -> str | None:
        """Why a node fed by a refused one would be refused too (its own operation), or None."""
        nn = self.torch.nn
        if node.op == "call_module":
            m = self.gm.get_submodule(node.target)
            if isinstance(m, KNOWN_MODULES(nn)) or type(m).__name__ in LAYERLAB_LEAVES or _separable(m) is not None:
                return None
            return f"LayerLab has no layer for {type(m).__name__}"
        if node.op in ("call_function", "call_method"):
            name = node.target if isinstance(node.target, str) else getattr(node.target, "__name__", "")
            if name not in KNOWN_FUNCTIONS:
                return "LayerLab has no layer for this operation"
            if name in MERGES and any(isinstance(a, int | float) and not isinstance(a, bool) for a in args[:2]):
                return f"{name} with a constant (LayerLab merges the outputs of layers only)"
        return None

    def _where(self, node) -> str:
        if node.op == "call_module":
            return f"self.{node.target}"
        lines = (node.meta.get("stack_trace") or "").strip().splitlines()
        found = ""
        for i, chunk in enumerate(lines):
            hit = re.match(r'\s*File "(.+?)", line (\d+)', chunk)
            if hit and os.path.abspath(hit.group(1)) in self.user_files:
                code = (
                    lines[i + 1].strip() if i + 1 < len(lines) and not lines[i + 1].strip().startswith("File ") else ""
                )
                found = f" at {hit.group(1)}, line {hit.group(2)}" + (f": {code}" if code else "")
        return f"fx node {node.name}{found}"

    def _op(self, node) -> str:
        if node.op == "call_module":
            m = self.gm.get_submodule(node.target)
            return f"{type(m).__module__}.{type(m).__name__}"
        if node.op == "call_function":
            t = node.target
            return f"{getattr(t, '__module__', None) or ''}.{getattr(t, '__name__', str(t))}".lstrip(".")
        if node.op == "call_method":
            return f"Tensor.{node.target}"
        return f"{node.op} {node.target}"

    def _node(self, node, args, kwargs):
        if node.op == "get_attr":
            obj = self.gm
            for part in node.target.split("."):
                obj = getattr(obj, part)
            return obj if isinstance(obj, self.torch.nn.Module) else _Param(node.target, obj)
        if node.op == "call_module":
            return self._module(node, self.gm.get_submodule(node.target), args, kwargs)
        if node.op == "call_function":
            return self._function(node, node.target, args, kwargs)
        if node.op == "call_method":
            return self._method(node, node.target, args, kwargs)
        raise _Refuse(f"fx node kind {node.op}")

    # ------------------------------------------------------------------ inputs / outputs
    def _input(self, node, name, shape, dtype):
        shape = tuple(int(s) for s in shape)
        if dtype == "int64":
            if len(shape) != 1:
                raise ImportFailed([f"input {name}: integer inputs must be token ids (steps,), got {shape}"])
            vocab = self._vocab(node)
            if vocab is None:
                raise ImportFailed([f"input {name}: integer token ids must feed an nn.Embedding first"])
            return self.b.input("input.tokens", name, steps=shape[0], vocab_size=vocab)
        if dtype != "float32":
            raise ImportFailed([f"input {name}: dtype {dtype} (float32 or int64)"])
        if len(shape) == 1:
            return self.b.input("input.vector", name, features=shape[0])
        if len(shape) == 2:
            if self._signal(node):
                return self.b.input("input.signal", name, channels=shape[0], length=shape[1])
            return self.b.input("input.sequence", name, steps=shape[0], features=shape[1])
        if len(shape) == 3:
            return self.b.input("input.image", name, channels=shape[0], height=shape[1], width=shape[2])
        if len(shape) == 4:
            return self.b.input(
                "input.volume", name, channels=shape[0], depth=shape[1], height=shape[2], width=shape[3]
            )
        raise ImportFailed([f"input {name}: per-sample shape {shape} has no LayerLab input layer (1 to 4 axes)"])

    def _vocab(self, node):
        nn = self.torch.nn
        for u in node.users:
            if u.op == "call_module":
                m = self.gm.get_submodule(u.target)
                if isinstance(m, nn.Embedding):
                    return m.num_embeddings
        return None

    def _signal(self, node) -> bool:
        """Is this rank-2 float input a channels-first signal? Decided by the first consumer that cares."""
        nn = self.torch.nn
        seen, todo = set(), list(node.users)
        channel_mods = (
            nn.Conv1d,
            nn.ConvTranspose1d,
            nn.MaxPool1d,
            nn.AvgPool1d,
            nn.AdaptiveAvgPool1d,
            nn.AdaptiveMaxPool1d,
            nn.BatchNorm1d,
            nn.InstanceNorm1d,
            nn.GroupNorm,
            nn.Dropout1d,
            nn.ZeroPad1d,
            nn.ConstantPad1d,
            nn.Upsample,
        )
        seq_mods = (nn.Linear, nn.RNNBase, nn.MultiheadAttention, nn.LayerNorm)
        while todo:
            u = todo.pop(0)
            if u in seen:
                continue
            seen.add(u)
            if u.op == "call_module":
                m = self.gm.get_submodule(u.target)
                if isinstance(m, channel_mods):
                    return True
                if isinstance(m, nn.PReLU) and m.num_parameters > 1:
                    return m.num_parameters == self.shape(node)[1]
                if isinstance(m, seq_mods) or type(m).__name__ in LAYERLAB_LEAVES:
                    return False
            elif u.op in ("call_function", "call_method"):
                name = getattr(u.target, "__name__", str(u.target))
                if name in ("mean", "amax"):
                    dims = u.kwargs.get("dim", u.args[1] if len(u.args) > 1 else None)
                    dims = dims if isinstance(dims, list | tuple) else [dims]
                    keep = "keepdim" in u.kwargs or len(u.args) > 2
                    return not keep and (2 in dims or -1 in dims)
                if (
                    name == "getitem"
                    and isinstance(u.args[1], tuple)
                    and len(u.args[1]) == 3
                    and all(isinstance(i, slice) for i in u.args[1])
                ):
                    return u.args[1][2] != slice(None)
                if name in ("transpose", "permute", "movedim", "linear", "pad", "interpolate"):
                    return name in ("pad", "interpolate")
            todo += list(u.users)
        return False

    def _output(self, node):
        flat: list[tuple[object, str | None]] = []

        def walk(v, name=None):
            if isinstance(v, dict):
                for k, x in v.items():
                    walk(x, str(k))
            elif isinstance(v, list | tuple):
                for x in v:
                    walk(x, name)
            else:
                flat.append((v, name))

        walk(self.val(node.args[0]))
        for v, name in flat:
            if v is POISON:
                self.b.output(POISON, name)
                continue
            try:
                self.b.output(self.ref(v), name)
            except _Refuse as why:
                self.b.unsupported(f"output {name or ''}".strip(), "return", str(why))

    # ------------------------------------------------------------------ modules
    def _module(self, node, m, args, kwargs):
        nn = self.torch.nn
        name = clean_name(node.target)
        where = f"self.{node.target}"
        cls = type(m).__name__
        if cls == "MaskedAttention" and isinstance(m, nn.MultiheadAttention):
            return self._masked_attention(node, m, args, kwargs, name, where)
        if cls in LAYERLAB_LEAVES:
            return self._position(node, m, args, name, where)
        sep = _separable(m)
        if sep is not None:
            return self._conv(node, sep, args[0], name, where, separable=m)
        if (kwargs or len(args) != 1) and not isinstance(m, nn.MultiheadAttention | nn.RNNBase):
            raise _Refuse("called with more than one argument")
        if isinstance(m, nn.Identity):
            return args[0]
        if isinstance(m, nn.Linear):
            return self._linear(node, m, args[0], name, where)
        if isinstance(m, nn.Conv1d | nn.Conv2d | nn.Conv3d):
            return self._conv(node, m, args[0], name, where)
        if isinstance(m, nn.ConvTranspose1d | nn.ConvTranspose2d):
            return self._conv_transpose(node, m, args[0], name, where)
        if isinstance(m, nn.MaxPool1d | nn.MaxPool2d | nn.MaxPool3d | nn.AvgPool1d | nn.AvgPool2d | nn.AvgPool3d):
            return self._pool(node, m, args[0], name, where)
        if isinstance(
            m,
            nn.AdaptiveAvgPool1d
            | nn.AdaptiveAvgPool2d
            | nn.AdaptiveAvgPool3d
            | nn.AdaptiveMaxPool1d
            | nn.AdaptiveMaxPool2d
            | nn.AdaptiveMaxPool3d,
        ):
            size = m.output_size if isinstance(m.output_size, tuple) else (m.output_size,)
            if any(s != 1 for s in size) or getattr(m, "return_indices", False):
                raise _Refuse(f"adaptive pooling to {m.output_size} (LayerLab pools to 1: global pooling)")
            kind = "global_avg_pool" if "Avg" in cls else "global_max_pool"
            x = args[0]
            self._channels_first(x, cls)
            g = self.lay(kind, self.ref(x), name, where)
            return _Kept(self, None, g, self.shape(node)[1:])
        if isinstance(m, nn.Flatten):
            if m.start_dim != 1 or m.end_dim != -1:
                raise _Refuse(f"Flatten(start_dim={m.start_dim}, end_dim={m.end_dim}) (LayerLab flattens from axis 1)")
            return self._flatten(args[0], name, where)
        if isinstance(m, nn.Dropout | nn.Dropout1d | nn.Dropout2d | nn.Dropout3d):
            return self._dropout(node, m, args[0], name, where)
        if isinstance(m, nn.Embedding):
            if m.max_norm is not None:
                raise _Refuse("max_norm (LayerLab's Embedding does not renormalise)")
            if m.padding_idx is not None:
                self.b.notes.append(f"{where}: padding_idx={m.padding_idx} dropped (its vector is trained too)")
            return self.lay(
                "embedding",
                self.ref(args[0]),
                name,
                where,
                input_dim=m.num_embeddings,
                output_dim=m.embedding_dim,
                weights={"weight": _np(m.weight)},
            )
        if isinstance(m, nn.RNNBase):
            return self._recurrent(node, m, args, kwargs, name, where)
        if isinstance(m, nn.MultiheadAttention):
            return self._mha(node, m, args, kwargs, name, where)
        if isinstance(
            m,
            nn.BatchNorm1d
            | nn.BatchNorm2d
            | nn.BatchNorm3d
            | nn.LayerNorm
            | nn.GroupNorm
            | nn.InstanceNorm1d
            | nn.InstanceNorm2d
            | nn.InstanceNorm3d,
        ):
            return self._norm(node, m, args[0], name, where)
        if isinstance(
            m, nn.ZeroPad1d | nn.ZeroPad2d | nn.ZeroPad3d | nn.ConstantPad1d | nn.ConstantPad2d | nn.ConstantPad3d
        ):
            return self._pad(node, list(m.padding), float(m.value), args[0], name)
        if isinstance(m, nn.Upsample):
            if m.size is not None:
                raise _Refuse("Upsample to a fixed size (LayerLab upsamples by whole factors)")
            return self._upsample(m.scale_factor, m.mode, m.align_corners, args[0], name, where)
        if isinstance(m, nn.PReLU):
            return self._prelu(node, m, args[0], name, where)
        if isinstance(m, nn.Softmax):
            if m.dim is None:
                raise _Refuse("Softmax without dim")
            return self.lay("softmax", self.ref(args[0]), name, where, axis=int(m.dim))
        simple = {
            nn.ReLU: "relu",
            nn.Sigmoid: "sigmoid",
            nn.Tanh: "tanh",
            nn.SiLU: "silu",
            nn.ReLU6: "relu6",
            nn.Hardswish: "hard_swish",
        }
        for k, v in simple.items():
            if type(m) is k:
                return self.lay(v, self.ref(args[0]), name, where)
        if isinstance(m, nn.LeakyReLU):
            return self.lay("leaky_relu", self.ref(args[0]), name, where, negative_slope=float(m.negative_slope))
        if isinstance(m, nn.GELU):
            return self.lay("gelu", self.ref(args[0]), name, where, approximate=m.approximate)
        if isinstance(m, nn.ELU):
            return self.lay("elu", self.ref(args[0]), name, where, alpha=float(m.alpha))
        if isinstance(m, nn.Softplus):
            if m.beta != 1 or m.threshold != 20:
                raise _Refuse("Softplus with beta/threshold other than 1/20")
            return self.lay("softplus", self.ref(args[0]), name, where)
        if isinstance(
            m,
            nn.TransformerEncoderLayer
            | nn.TransformerDecoderLayer
            | nn.TransformerEncoder
            | nn.TransformerDecoder
            | nn.Transformer,
        ):
            raise _Refuse(
                f"{cls} is not a LayerLab layer; write it out of nn.MultiheadAttention, nn.LayerNorm "
                "and nn.Linear (as LayerLab's Transformer example does)"
            )
        raise _Refuse(f"LayerLab has no layer for {cls}")

    def _channels_first(self, x, what):
        t = self.ttype(x)
        if not t.channels_first:
            raise _Refuse(f"{what} on a {','.join(t.axes)} tensor (LayerLab expects channels first here)")
        return t

    def _linear(self, node, m, x, name, where):
        act, alias = "linear", None
        users = list(node.users)
        if len(users) == 1:
            act_of = _dense_activation(users[0], node)
            if act_of is not None:
                act, alias = act_of, users[0]
        weights = {"weight": _np(m.weight)}
        if m.bias is not None:
            weights["bias"] = _np(m.bias)
        r = self.lay(
            "dense",
            self.ref(x),
            name,
            where,
            units=m.out_features,
            use_bias=m.bias is not None,
            activation=act,
            weights=weights,
        )
        if alias is not None:
            self.env[alias] = r
            self.done.add(alias)
        return r

    def _conv(self, node, m, x, name, where, separable=None):
        dims = len(m.kernel_size)
        if m.padding_mode != "zeros":
            raise _Refuse(f"padding_mode={m.padding_mode!r} (LayerLab pads with zeros)")
        rev = list(m._reversed_padding_repeated_twice)
        pads = [(rev[2 * i], rev[2 * i + 1]) for i in range(dims)][::-1]
        x = self._fold_pad(x, pads, 0.0)
        t = self._channels_first(x, type(m).__name__)
        if t.rank != dims + 2:
            raise _Refuse(f"a {dims}-D convolution of a {t.rank - 2}-D tensor")
        padding = [v for pair in pads for v in pair]
        weights = {k: v for k, v in _arrays(separable if separable is not None else m).items()}
        c_in = m.in_channels
        if separable is not None:
            point = separable[1]
            return self.lay(
                "separable_conv2d",
                self.ref(x),
                name,
                where,
                filters=point.out_channels,
                depth_multiplier=m.out_channels // c_in,
                kernel_size=list(m.kernel_size),
                strides=list(m.stride),
                padding=padding,
                dilation=list(m.dilation),
                use_bias=point.bias is not None,
                weights=weights,
            )
        bias = m.bias is not None
        if dims == 1:
            if m.groups != 1:
                raise _Refuse("grouped 1-D convolution")
            return self.lay(
                "conv1d",
                self.ref(x),
                name,
                where,
                filters=m.out_channels,
                kernel_size=m.kernel_size[0],
                stride=m.stride[0],
                padding=padding,
                dilation=m.dilation[0],
                use_bias=bias,
                weights=weights,
            )
        if dims == 3:
            if m.groups != 1:
                raise _Refuse("grouped 3-D convolution")
            return self.lay(
                "conv3d",
                self.ref(x),
                name,
                where,
                filters=m.out_channels,
                kernel_size=list(m.kernel_size),
                strides=list(m.stride),
                padding=padding,
                dilation=list(m.dilation),
                use_bias=bias,
                weights=weights,
            )
        common = dict(
            kernel_size=list(m.kernel_size),
            strides=list(m.stride),
            padding=padding,
            dilation=list(m.dilation),
            use_bias=bias,
            weights=weights,
        )
        if m.groups > 1 and m.groups == c_in:
            return self.lay(
                "depthwise_conv2d", self.ref(x), name, where, depth_multiplier=m.out_channels // c_in, **common
            )
        return self.lay("conv2d", self.ref(x), name, where, filters=m.out_channels, groups=m.groups, **common)

    def _fold_pad(self, x, pads, value):
        """A pending zero pad in front of a convolution / pool (its only consumer) goes into its padding."""
        if isinstance(x, _Padded) and x._ref is None and x.value == value and len(x.pads) == len(pads) and x.single:
            for i, (b, a) in enumerate(x.pads):
                pads[i] = (pads[i][0] + b, pads[i][1] + a)
            return x.src
        return x

    def _conv_transpose(self, node, m, x, name, where):
        dims = len(m.kernel_size)
        if m.groups != 1 or m.padding_mode != "zeros":
            raise _Refuse("grouped transposed convolution or a padding mode other than zeros")
        self._channels_first(x, type(m).__name__)
        pads = [(p, p) for p in m.padding]
        users = list(node.users)
        crop = None
        if all(p == 0 for p in m.padding) and len(users) == 1:
            crop = _crop_slices(users[0], node, dims)
            if crop is not None:
                full = self.shape(node)[2:]
                pads = [(lo, full[i] - hi) for i, (lo, hi) in enumerate(_slice_bounds(crop, full))]
                self.done.add(users[0])
        padding = [v for pair in pads for v in pair]
        weights = _arrays(m)
        bias = m.bias is not None
        if dims == 1:
            r = self.lay(
                "conv1d_transpose",
                self.ref(x),
                name,
                where,
                filters=m.out_channels,
                kernel_size=m.kernel_size[0],
                stride=m.stride[0],
                padding=padding,
                output_padding=m.output_padding[0],
                dilation=m.dilation[0],
                use_bias=bias,
                weights=weights,
            )
        else:
            r = self.lay(
                "conv2d_transpose",
                self.ref(x),
                name,
                where,
                filters=m.out_channels,
                kernel_size=list(m.kernel_size),
                strides=list(m.stride),
                padding=padding,
                output_padding=list(m.output_padding),
                dilation=list(m.dilation),
                use_bias=bias,
                weights=weights,
            )
        if crop is not None:
            self.env[users[0]] = r
        return r

    def _pool(self, node, m, x, name, where):
        cls = type(m).__name__
        dims = int(cls[-2])
        k = _tuple(m.kernel_size, dims)
        s = _tuple(m.stride if m.stride is not None else m.kernel_size, dims)
        p = _tuple(m.padding, dims)
        pads = [(v, v) for v in p]
        is_max = cls.startswith("Max")
        if is_max:
            if any(d != 1 for d in _tuple(m.dilation, dims)) or m.return_indices:
                raise _Refuse("dilated max pooling or return_indices")
            x = self._fold_pad(x, pads, -math.inf)
        else:
            if getattr(m, "divisor_override", None) is not None:
                raise _Refuse("divisor_override")
            if m.count_include_pad and not m.ceil_mode:
                x = self._fold_pad(x, pads, 0.0)
        t = self._channels_first(x, cls)
        if t.rank != dims + 2:
            raise _Refuse(f"{cls} of a {t.rank - 2}-D tensor")
        padding = [v for pair in pads for v in pair]
        kind = ("maxpool" if is_max else "avgpool") + f"{dims}d"
        kw = {"padding": padding, "ceil_mode": bool(m.ceil_mode)}
        if not is_max:
            kw["count_include_pad"] = bool(m.count_include_pad)
        if dims == 1:
            kw.update(pool_size=k[0], stride=s[0])
        else:
            kw.update(pool_size=list(k), strides=list(s))
        return self.lay(kind, self.ref(x), name, where, **kw)

    def _flatten(self, x, name, where):
        if isinstance(x, _Kept) and x._ref is None:
            return x.src
        return self.lay("flatten", self.ref(x), name, where)

    def _sandwich(self, node, x, back: tuple):
        """(the tensor before a transpose, the transpose back) when ``node`` sits between a transpose of a
        sequence and the transpose back, as LayerLab writes a channels-last layer; else None."""
        if not (isinstance(x, _Permuted) and x._ref is None and x.perm == (0, 2, 1)):
            return None
        users = list(node.users)
        if len(users) != 1 or _perm_of(users[0], 3) != back:
            return None
        src_t = self.ttype(x.src)
        if src_t.axes != ("N", "T", "F"):
            return None
        return x.src, users[0]

    def _alias(self, fx_node, value):
        self.env[fx_node] = value
        self.done.add(fx_node)

    def _dropout(self, node, m, x, name, where):
        rate = float(m.p)
        if type(m).__name__ == "Dropout":
            return self.lay("dropout", self.ref(x), name, where, rate=rate, spatial=False)
        wrap = self._sandwich(node, x, (0, 2, 1)) if isinstance(m, self.torch.nn.Dropout1d) else None
        if wrap is not None:
            r = self.lay("dropout", self.ref(wrap[0]), name, where, rate=rate, spatial=True)
            self._alias(wrap[1], r)
            return r
        t = self._channels_first(x, type(m).__name__)
        if t.rank != int(type(m).__name__[-2]) + 2:
            raise _Refuse(f"{type(m).__name__} of a {t.rank - 2}-D tensor")
        return self.lay("dropout", self.ref(x), name, where, rate=rate, spatial=True)

    def _norm(self, node, m, x, name, where):
        nn = self.torch.nn
        cls = type(m).__name__
        wrap = None
        if isinstance(m, nn.BatchNorm1d | nn.GroupNorm | nn.InstanceNorm1d):
            wrap = self._sandwich(node, x, (0, 2, 1))
        if wrap is not None:
            x = wrap[0]
        t = self.ttype(x)
        if isinstance(m, nn.LayerNorm):
            shape = tuple(m.normalized_shape)
            want = tuple(t.features) if t.channels_first else (t.last,)
            if shape != want:
                raise _Refuse(f"LayerNorm over {shape}: LayerLab normalises {want} for a {','.join(t.axes)} tensor")
            w = _np(m.weight) if m.weight is not None else np.ones(shape, np.float32)
            bias = _np(m.bias) if getattr(m, "bias", None) is not None else np.zeros(shape, np.float32)
            return self.lay(
                "layer_norm", self.ref(x), name, where, epsilon=float(m.eps), weights={"weight": w, "bias": bias}
            )
        if isinstance(m, nn.BatchNorm1d | nn.BatchNorm2d | nn.BatchNorm3d):
            if not m.track_running_stats or m.momentum is None:
                raise _Refuse("BatchNorm without running statistics or with momentum=None")
            c = m.num_features
            weights = {
                "weight": _np(m.weight) if m.affine else np.ones(c, np.float32),
                "bias": _np(m.bias) if m.affine else np.zeros(c, np.float32),
                "running_mean": _np(m.running_mean),
                "running_var": _np(m.running_var),
            }
            if wrap is None and t.axes == ("N", "T", "F"):
                raise _Refuse("BatchNorm1d of a sequence normalises its time steps (LayerLab: its features)")
            r = self.lay(
                "batch_norm",
                self.ref(x),
                name,
                where,
                epsilon=float(m.eps),
                momentum=float(m.momentum),
                weights=weights,
            )
        else:
            if wrap is None and not t.channels_first and t.rank > 2:
                raise _Refuse(f"{cls} of a {','.join(t.axes)} tensor normalises axis 1 (LayerLab: the last axis)")
            c = m.num_channels if isinstance(m, nn.GroupNorm) else m.num_features
            affine = m.affine
            weights = {
                "weight": _np(m.weight) if affine else np.ones(c, np.float32),
                "bias": _np(m.bias) if affine else np.zeros(c, np.float32),
            }
            if isinstance(m, nn.GroupNorm):
                r = self.lay(
                    "group_norm", self.ref(x), name, where, groups=m.num_groups, epsilon=float(m.eps), weights=weights
                )
            else:
                if m.track_running_stats:
                    raise _Refuse("InstanceNorm with track_running_stats (LayerLab always uses the sample's own)")
                r = self.lay("instance_norm", self.ref(x), name, where, epsilon=float(m.eps), weights=weights)
        if wrap is not None:
            self._alias(wrap[1], r)
        return r

    def _prelu(self, node, m, x, name, where):
        from graph.layers.activations import channel_axis

        wrap = self._sandwich(node, x, (0, 2, 1))
        if wrap is not None:
            x = wrap[0]
        t = self.ttype(x)
        c = t.dims[channel_axis(t)]
        w = _np(m.weight)
        if w.size == 1:
            w = np.full(c, float(w.reshape(-1)[0]), np.float32)
        elif wrap is None and not t.channels_first and t.rank > 2:
            raise _Refuse("PReLU with one slope per axis-1 entry of a sequence (LayerLab: per feature)")
        if w.shape != (c,):
            raise _Refuse(f"PReLU with {w.size} slopes for {c} channels")
        r = self.lay("prelu", self.ref(x), name, where, weights={"weight": w})
        if wrap is not None:
            self._alias(wrap[1], r)
        return r

    def _pad(self, node, torch_pads, value, x, name):
        t = self.ttype(x)
        spatial = t.rank - 2 if t.channels_first else 0
        if len(torch_pads) % 2 or len(torch_pads) // 2 > spatial:
            raise _Refuse(
                f"padding {tuple(torch_pads)} of a {','.join(t.axes)} tensor (LayerLab pads the "
                "positions of a channels-first tensor)"
            )
        pairs = [(int(torch_pads[2 * i]), int(torch_pads[2 * i + 1])) for i in range(len(torch_pads) // 2)]
        pairs += [(0, 0)] * (spatial - len(pairs))
        p = _Padded(self, name, x, pairs[::-1], value)
        p.single = len(node.users) == 1
        return p

    def _upsample(self, scale, mode, align_corners, x, name, where):
        t = self._channels_first(x, "Upsample")
        dims = t.rank - 2
        factors = _tuple(scale, dims)
        if any(float(f) != int(f) for f in factors):
            raise _Refuse(f"scale factor {scale} (LayerLab upsamples by whole factors)")
        factors = [int(f) for f in factors]
        if dims == 1:
            if mode != "nearest":
                raise _Refuse(f"1-D upsampling with mode {mode!r} (LayerLab: nearest)")
            return self.lay("upsampling1d", self.ref(x), name, where, size=factors[0])
        if dims != 2 or mode not in ("nearest", "bilinear") or (mode == "bilinear" and align_corners):
            raise _Refuse(
                f"upsampling mode {mode!r}, align_corners={align_corners} of a {dims}-D tensor "
                "(LayerLab: 2-D nearest or bilinear without align_corners, 1-D nearest)"
            )
        return self.lay("upsampling2d", self.ref(x), name, where, scale=factors, interpolation=mode)

    def _position(self, node, m, args, name, where):
        x = args[0]
        t = self.ttype(x)
        if t.axes != ("N", "T", "F") or tuple(m.table.shape) != (t.dims[1], t.last):
            raise _Refuse(f"a position table of shape {tuple(m.table.shape)} for a {','.join(t.axes)} tensor")
        if type(m).__name__ == "SinusoidalPosition":
            return self.lay("sinusoidal_position", self.ref(x), name, where)
        return self.lay("positional_embedding", self.ref(x), name, where, weights={"table": _np(m.table)})

    # ------------------------------------------------------------------ recurrent and attention
    def _recurrent(self, node, m, args, kwargs, name, where):
        nn = self.torch.nn
        kind = {nn.LSTM: "lstm", nn.GRU: "gru", nn.RNN: "simple_rnn"}.get(type(m))
        if kind is None:
            raise _Refuse(f"LayerLab has no layer for {type(m).__name__}")
        if len(args) > 1 or kwargs:
            raise _Refuse("an initial hidden state is passed (LayerLab's recurrent layers start from zeros)")
        if not m.batch_first:
            raise _Refuse("batch_first=False (LayerLab's sequences are batch first, (N, T, F))")
        if not m.bias or getattr(m, "proj_size", 0):
            raise _Refuse("bias=False or proj_size (not in LayerLab's recurrent layers)")
        t = self.ttype(args[0])
        if t.axes != ("N", "T", "F"):
            raise _Refuse(f"a recurrent layer over a {','.join(t.axes)} tensor (LayerLab: a sequence)")
        params = {"units": m.hidden_size}
        if kind == "simple_rnn":
            if m.num_layers != 1 or m.bidirectional:
                raise _Refuse("a stacked or bidirectional nn.RNN (LayerLab's SimpleRNN has one direction, one level)")
            params["activation"] = m.nonlinearity
        else:
            params.update(
                num_layers=m.num_layers,
                bidirectional=m.bidirectional,
                dropout=float(m.dropout) if m.num_layers > 1 else 0.0,
            )
        # Is the whole output sequence used, or only its last step / the final hidden state?
        seq_users = [u for g in node.users if _item(g) == 0 for u in g.users]
        last_only = bool(seq_users) and not m.bidirectional and all(_last_step(u) for u in seq_users)
        params["return_sequences"] = bool(seq_users) and not last_only
        weights = _arrays(m)
        if kind in ("lstm", "simple_rnn"):  # one recurrent bias in LayerLab (Keras): the sum, bias_hh at zero
            for key in list(weights):
                if key.startswith("bias_hh"):
                    ih = "bias_ih" + key[len("bias_hh") :]
                    weights[ih] = weights[ih] + weights[key]
                    weights[key] = np.zeros_like(weights[key])
        r = self.lay(kind, self.ref(args[0]), name, where, weights=weights, **params)
        if r.node is None:
            return POISON
        return _Recurrent(r, kind, m.num_layers, m.bidirectional, params["return_sequences"])

    def _recurrent_item(self, v: _Recurrent, index):
        part = v.part
        if part is None:
            if index == 0:
                return v.layer if v.seq else v.with_part("seq")
            if index == 1:
                return v.with_part("h" if v.kind != "lstm" else "hc")
        elif part == "seq":
            if _is_last_step(index) and not v.seq:
                return v.layer
            raise _Refuse("indexes the output sequence (LayerLab: the whole sequence or its last step)")
        elif part == "hc":
            if index == 0:
                return v.with_part("h")
            if index == 1:
                return v.with_part("c")
        elif part == "h":
            stack = v.levels * (2 if v.bidi else 1)
            i = index + stack if isinstance(index, int) and index < 0 else index
            if not v.bidi and i == stack - 1:
                return v.final(self)
            if v.bidi and i in (stack - 2, stack - 1):
                return v.with_part(("top", i - stack + 2))
            raise _Refuse("uses the hidden state of a lower level (LayerLab gives the top level's)")
        raise _Refuse(f"index {index!r} into a recurrent layer's output")

    def _mha(self, node, m, args, kwargs, name, where):
        try:
            bound = inspect.signature(m.forward).bind(*args, **kwargs).arguments
        except TypeError as err:
            raise _Refuse(str(err)) from None
        if not m.batch_first:
            raise _Refuse("batch_first=False (LayerLab's sequences are batch first, (N, T, F))")
        if m.bias_k is not None or m.add_zero_attn:
            raise _Refuse("add_bias_kv or add_zero_attn")
        q, k, v = bound["query"], bound["key"], bound["value"]
        if k is not v:
            raise _Refuse("different key and value tensors (LayerLab's attention reads keys and values from one)")
        mask = bound.get("key_padding_mask")
        ids = None
        if mask is not None:
            if not isinstance(mask, _PadMask):
                raise _Refuse("a key_padding_mask other than (token ids == 0)")
            ids = mask.ids
        causal = self._causal(bound.get("attn_mask"), self.shape(node.args[0])[1] if node.args else None)
        if bound.get("is_causal") and not causal:
            raise _Refuse("is_causal without a causal attn_mask")
        weights_ok = bound.get("need_weights", True) and not bound.get("average_attn_weights", True)
        return self._attention(m, q, v, ids, causal, weights_ok, name, where)

    def _causal(self, mask, steps) -> bool:
        torch = self.torch
        if mask is None:
            return False
        if isinstance(mask, _Param):
            mask = mask.tensor
        if not isinstance(mask, torch.Tensor) or mask.dim() != 2:
            raise _Refuse("an attn_mask that is not a constant (steps, steps) causal mask")
        future = torch.ones(mask.shape, dtype=torch.bool).triu(1)
        blocked = mask if mask.dtype == torch.bool else torch.isneginf(mask)
        if mask.dtype != torch.bool and bool((mask[~future] != 0).any()):
            raise _Refuse("an additive attn_mask other than -inf above the diagonal")
        if not bool((blocked == future).all()):
            raise _Refuse("an attn_mask other than the causal one (True above the diagonal)")
        return True

    def _attention(self, m, q, v, ids, causal, weights_ok, name, where):
        inputs = {"query": self.ref(q)}
        if v is not q:
            inputs["value"] = self.ref(v)
        if ids is not None:
            inputs["mask"] = ids
        r = self.lay(
            "multi_head_attention",
            inputs,
            name,
            where,
            num_heads=m.num_heads,
            dropout=float(m.dropout),
            causal=bool(causal),
            use_bias=m.in_proj_bias is not None,
            weights=_arrays(m),
        )
        if r.node is None:
            return POISON
        return _Attention(r, weights_ok)

    def _masked_attention(self, node, m, args, kwargs, name, where):
        """LayerLab's MaskedAttention (codegen/lower_torch/attention.py): the ids input is the mask port."""
        try:
            bound = inspect.signature(m.forward).bind(*args, **kwargs).arguments
        except TypeError as err:
            raise _Refuse(str(err)) from None
        if set(bound) != {"query", "value", "ids"}:
            raise _Refuse("a MaskedAttention whose forward is not LayerLab's (query, value, ids)")
        if not m.batch_first:
            raise _Refuse("batch_first=False (LayerLab's sequences are batch first, (N, T, F))")
        if m.bias_k is not None or m.add_zero_attn:
            raise _Refuse("add_bias_kv or add_zero_attn")
        uses_weights = any(_item(u) == 1 and u.users for u in node.users)
        even = getattr(m, "empty_rows_even", None)
        if even is None or bool(even) != (not m.dropout and not uses_weights):
            raise _Refuse("MaskedAttention with empty_rows_even other than LayerLab's choice")
        causal = getattr(m, "causal", None)
        if not isinstance(causal, bool):
            raise _Refuse("MaskedAttention without a causal attribute (True or False)")
        return self._attention(m, bound["query"], bound["value"], self.ref(bound["ids"]), causal, True, name, where)

    def _position_param(self, x, p: _Param, name):
        t = self.ttype(x)
        table = _np(p.tensor)
        if t.axes == ("N", "T", "F") and table.shape in ((t.dims[1], t.last), (1, t.dims[1], t.last)):
            return self.lay(
                "positional_embedding",
                self.ref(x),
                clean_name(p.name),
                f"self.{p.name}",
                weights={"table": table.reshape(t.dims[1], t.last)},
            )
        raise _Refuse(
            f"adds the tensor {p.name} {table.shape} (LayerLab adds a learned (steps, features) table "
            "to a sequence only)"
        )

    # ------------------------------------------------------------------ functions and methods
    def _function(self, node, fn, args, kwargs):
        torch, F = self.torch, self.torch.nn.functional
        fname = getattr(fn, "__name__", "")
        if fn is operator.getitem:
            return self._getitem(node, args[0], args[1])
        if fn is getattr:
            obj, attr = args[0], args[1]
            if isinstance(obj, TENSORISH):
                if attr == "shape":
                    return (BATCH, *self.shape(node.args[0])[1:])
                if attr == "device":
                    return torch.device("cpu")
                if attr == "dtype":
                    return torch.int64 if self.ttype(obj).dtype == "int64" else torch.float32
                raise _Refuse(f"reads the tensor attribute {attr!r}")
        if not self.tensorish(args) and not self.tensorish(kwargs):
            return _constant(fn, args, kwargs)  # shape arithmetic, torch.ones(...) for a mask …
        return self._tensor_op(node, fname, fn, args, kwargs, F, torch)

    def _method(self, node, name, args, kwargs):
        x = args[0]
        if not self.tensorish(x):
            return _constant(lambda o, *a, **k: getattr(o, name)(*a, **k), args, kwargs)
        if isinstance(x, _Param):
            raise _Refuse(f"calls .{name}() on the module's tensor")
        return self._tensor_op(node, name, None, args, kwargs, self.torch.nn.functional, self.torch)

    def _tensor_op(self, node, fname, fn, args, kwargs, F, torch):
        x = args[0] if args else None
        rest = list(args[1:])
        # -- activations
        acts = {
            "relu": "relu",
            "sigmoid": "sigmoid",
            "tanh": "tanh",
            "silu": "silu",
            "relu6": "relu6",
            "hardswish": "hard_swish",
            "relu_": "relu",
            "softplus": "softplus",
        }
        if fname in acts and (fn is None or fn in _ACT_FUNCS(torch, F)):
            if fname == "softplus" and (rest or kwargs.get("beta", 1) != 1 or kwargs.get("threshold", 20) != 20):
                raise _Refuse("softplus with beta/threshold other than 1/20")
            return self.lay(acts[fname], self.ref(x), None, self._where(node))
        if fname == "leaky_relu":
            slope = rest[0] if rest else kwargs.get("negative_slope", 0.01)
            return self.lay("leaky_relu", self.ref(x), None, self._where(node), negative_slope=float(slope))
        if fname == "gelu":
            return self.lay("gelu", self.ref(x), None, self._where(node), approximate=kwargs.get("approximate", "none"))
        if fname == "elu":
            alpha = rest[0] if rest else kwargs.get("alpha", 1.0)
            return self.lay("elu", self.ref(x), None, self._where(node), alpha=float(alpha))
        if fname in ("softmax", "log_softmax"):
            if fname == "log_softmax":
                raise _Refuse("log_softmax (LayerLab's heads take the scores; drop it)")
            dim = rest[0] if rest else kwargs.get("dim")
            if dim is None:
                raise _Refuse("softmax without dim")
            return self.lay("softmax", self.ref(x), None, self._where(node), axis=int(dim))
        if fname == "dropout" and fn is not None:
            p = rest[0] if rest else kwargs.get("p", 0.5)
            return self.lay("dropout", self.ref(x), None, self._where(node), rate=float(p), spatial=False)
        # -- merges
        binary = {
            operator.add: "add",
            torch.add: "add",
            operator.mul: "multiply",
            torch.mul: "multiply",
            operator.sub: "subtract",
            torch.sub: "subtract",
            torch.maximum: "maximum",
            torch.minimum: "minimum",
            operator.iadd: "add",
            operator.imul: "multiply",
        }
        kind = (
            binary.get(fn)
            if fn is not None
            else {"add": "add", "mul": "multiply", "sub": "subtract", "maximum": "maximum", "minimum": "minimum"}.get(
                fname
            )
        )
        if kind is not None:
            a, b = (args[0], args[1]) if len(args) > 1 else (args[0], kwargs.get("other"))
            if kwargs.get("alpha", 1) != 1:
                raise _Refuse("add/sub with alpha")
            if kind == "add" and isinstance(b, _Param) and isinstance(a, TENSORISH):
                return self._position_param(a, b, None)
            if kind == "add" and isinstance(a, _Param) and isinstance(b, TENSORISH):
                return self._position_param(b, a, None)
            if not (isinstance(a, TENSORISH) and isinstance(b, TENSORISH)):
                raise _Refuse(f"{kind} with a constant (LayerLab merges the outputs of layers only)")
            if kind == "add":
                return _Sum(self, None, [a, b])
            if kind == "subtract":
                return self.lay("subtract", {"a": self.ref(a), "b": self.ref(b)}, None, self._where(node))
            return self.lay(kind, [self.ref(a), self.ref(b)], None, self._where(node))
        if fn in (operator.truediv, torch.div) or fname == "div":
            a, n = args[0], args[1] if len(args) > 1 else kwargs.get("other")
            if isinstance(a, _Sum) and a._ref is None and not self.tensorish(n):
                leaves = a.leaves()
                if len(leaves) == n:
                    return self.lay("average", [self.ref(v) for v in leaves], None, self._where(node))
            raise _Refuse("division (LayerLab divides only in Average: (a + b) / 2)")
        if fn is torch.cat or fname in ("cat", "concat", "concatenate"):
            items = args[0]
            dim = args[1] if len(args) > 1 else kwargs.get("dim", kwargs.get("axis", 0))
            tops = [v.part for v in items if isinstance(v, _Recurrent)]
            if tops:
                if (
                    len(items) == 2
                    and tops == [("top", 0), ("top", 1)]
                    and dim in (1, -1)
                    and items[0].layer == items[1].layer
                ):
                    return items[0].final(self)
                raise _Refuse("joins hidden states other than the top level's two directions, in order")
            if dim == 0:
                raise _Refuse("concatenation along the batch axis")
            return self.lay("concatenate", [self.ref(v) for v in items], None, self._where(node), axis=int(dim))
        # -- shapes
        if fname == "flatten":
            start = rest[0] if rest else kwargs.get("start_dim", 0)
            end = rest[1] if len(rest) > 1 else kwargs.get("end_dim", -1)
            if start != 1 or end != -1:
                raise _Refuse(f"flatten(start_dim={start}, end_dim={end}) (LayerLab flattens from axis 1)")
            return self._flatten(x, None, self._where(node))
        if fname in ("view", "reshape"):
            shape = rest[0] if len(rest) == 1 and isinstance(rest[0], list | tuple) else rest
            shape = list(shape if shape else kwargs.get("shape", ()))
            return self._reshape(node, x, shape)
        if fname in ("squeeze", "unsqueeze"):
            out = self.shape(node)
            if isinstance(x, _Kept) and x._ref is None and len(out) == 2:
                return x.src
            if out[0] != TRACE_BATCH:
                raise _Refuse(f"{fname} of the batch axis")
            return self.lay("reshape", self.ref(x), None, self._where(node), target_shape=list(out[1:]))
        if fname in ("permute", "transpose", "movedim", "swapaxes", "t"):
            rank = len(self.shape(node))
            perm = _perm_of(node, rank)
            if perm is None or perm[0] != 0:
                raise _Refuse("moves the batch axis (LayerLab keeps it first)")
            if isinstance(x, _Permuted) and x._ref is None:
                return _Permuted(self, None, x.src, tuple(x.perm[i] for i in perm))
            return _Permuted(self, None, x, perm)
        if fname in ("contiguous", "clone", "float", "detach"):
            return x
        if fname == "to":
            return x
        if fname == "size":
            dim = rest[0] if rest else kwargs.get("dim")
            full = (BATCH, *self.shape(node.args[0])[1:])
            return full if dim is None else full[dim]
        if fname in ("dim", "ndimension"):
            return len(self.shape(node.args[0]))
        if fname in ("mean", "amax"):
            return self._reduce(node, fname, x, rest, kwargs)
        if fname in ("pad",) and fn is not None:
            pads = rest[0] if rest else kwargs.get("pad")
            mode = rest[1] if len(rest) > 1 else kwargs.get("mode", "constant")
            value = rest[2] if len(rest) > 2 else kwargs.get("value", 0.0)
            if mode != "constant":
                raise _Refuse(f"padding mode {mode!r} (LayerLab pads with zeros)")
            return self._pad(node, list(pads), float(value or 0.0), x, None)
        if fname in ("interpolate", "upsample"):
            if kwargs.get("size") is not None or (len(rest) > 0 and rest[0] is not None):
                raise _Refuse("interpolation to a fixed size (LayerLab upsamples by whole factors)")
            scale = rest[1] if len(rest) > 1 else kwargs.get("scale_factor")
            return self._upsample(
                scale, kwargs.get("mode", "nearest"), kwargs.get("align_corners"), x, None, self._where(node)
            )
        if fname == "eq":
            a, b = args[0], args[1] if len(args) > 1 else kwargs.get("other")
            if isinstance(a, Ref) and b == 0 and self.ttype(a).dtype == "int64":
                return _PadMask(a)
        raise _Refuse("LayerLab has no layer for this operation")

    def _reduce(self, node, fname, x, rest, kwargs):
        t = self.ttype(x)
        dims = rest[0] if rest else kwargs.get("dim")
        if dims is None:
            raise _Refuse(f"{fname} over every axis, the batch included")
        has_keep = len(rest) > 1 or "keepdim" in kwargs
        keep = bool(rest[1] if len(rest) > 1 else kwargs.get("keepdim", False))
        dims = sorted({d % t.rank for d in (dims if isinstance(dims, list | tuple) else [dims])})
        if 0 in dims:
            raise _Refuse(f"{fname} over the batch axis")
        positions = [1] if t.axes == ("N", "T", "F") else (list(range(2, t.rank)) if t.channels_first else [])
        glob = "global_avg_pool" if fname == "mean" else "global_max_pool"
        if dims == positions and positions and (not has_keep or (keep and t.channels_first)):
            g = self.lay(glob, self.ref(x), None, self._where(node))
            return _Kept(self, None, g, self.shape(node)[1:]) if keep else g
        if len(dims) == 1:
            axis = -1 if dims[0] == t.rank - 1 else dims[0]
            kind = "reduce_mean" if fname == "mean" else "reduce_max"
            return self.lay(kind, self.ref(x), None, self._where(node), axis=axis, keepdims=keep)
        raise _Refuse(
            f"{fname} over axes {tuple(dims)} of a {','.join(t.axes)} tensor (LayerLab: one axis, or "
            "every position as a global pool)"
        )

    def _reshape(self, node, x, shape):
        if not shape:
            raise _Refuse("reshape without a shape")
        first, rest = shape[0], [int(d) if not isinstance(d, _Batch) else d for d in shape[1:]]
        if any(isinstance(d, _Batch) for d in rest):
            raise _Refuse("moves the batch axis")
        if not (isinstance(first, _Batch) or first == -1):
            raise _Refuse(f"a reshape whose first size is {first} (LayerLab keeps the batch axis: x.size(0) or -1)")
        if isinstance(x, _Kept) and x._ref is None:
            if list(self.shape(node)[1:]) == list(x.shape[:1]):
                return x.src
            if list(self.shape(node)[1:]) == list(x.shape):
                return x
        if isinstance(first, _Batch) and (rest == [-1] or (len(rest) == 1 and rest[0] == self.ttype(x).size())):
            return self._flatten(x, None, self._where(node))
        if first == -1 and -1 in rest:
            raise _Refuse("a reshape with two unknown sizes")
        return self.lay("reshape", self.ref(x), None, self._where(node), target_shape=rest)

    def _getitem(self, node, obj, index):
        if isinstance(obj, _Recurrent):
            return self._recurrent_item(obj, index)
        if isinstance(obj, _Attention):
            if index == 0:
                return obj.layer
            if index == 1:
                if not obj.weights_ok:
                    raise _Refuse(
                        "uses attention weights averaged over the heads (LayerLab gives them per head: "
                        "need_weights=True, average_attn_weights=False)"
                    )
                return self.b.port(obj.layer, "weights")
            raise _Refuse(f"index {index!r} into the attention output")
        if isinstance(obj, list | tuple) and not self.tensorish(index):
            return obj[index]
        if isinstance(obj, TENSORISH):
            return self._slice(node, obj, index)
        if not self.tensorish(obj) and not self.tensorish(index):
            return obj[index]
        raise _Refuse(f"index {index!r}")

    def _slice(self, node, x, index):
        t = self.ttype(x)
        idx = index if isinstance(index, tuple) else (index,)
        if not t.channels_first or not all(isinstance(i, slice) for i in idx) or len(idx) > t.rank:
            raise _Refuse(
                f"indexing {_index_text(idx)} of a {','.join(t.axes)} tensor (LayerLab crops the "
                "positions of a 1-D or 2-D channels-first tensor)"
            )
        idx = list(idx) + [slice(None)] * (t.rank - len(idx))
        if any(s != slice(None) for s in idx[:2]) or any(s.step not in (None, 1) for s in idx):
            raise _Refuse(f"indexing {_index_text(idx)} (LayerLab crops positions only, step 1)")
        bounds = _slice_bounds(idx[2:], t.dims[2:])
        crop = []
        for (lo, hi), size in zip(bounds, t.dims[2:], strict=True):
            crop += [lo, size - hi]
        kind = {3: "cropping1d", 4: "cropping2d"}.get(t.rank)
        if kind is None:
            raise _Refuse("cropping a volume")
        return self.lay(kind, self.ref(x), None, self._where(node), cropping=crop)


# ----------------------------------------------------------------------------- small helpers

MERGES = {"add", "iadd", "mul", "imul", "sub", "maximum", "minimum"}
KNOWN_FUNCTIONS = MERGES | {
    "getitem",
    "getattr",
    "relu",
    "relu_",
    "sigmoid",
    "tanh",
    "silu",
    "relu6",
    "hardswish",
    "softplus",
    "leaky_relu",
    "gelu",
    "elu",
    "softmax",
    "dropout",
    "truediv",
    "div",
    "cat",
    "concat",
    "concatenate",
    "flatten",
    "view",
    "reshape",
    "squeeze",
    "unsqueeze",
    "permute",
    "transpose",
    "movedim",
    "swapaxes",
    "contiguous",
    "clone",
    "float",
    "detach",
    "to",
    "size",
    "dim",
    "mean",
    "amax",
    "pad",
    "interpolate",
    "eq",
}


def KNOWN_MODULES(nn) -> tuple:
    return (
        nn.Identity,
        nn.Linear,
        nn.Conv1d,
        nn.Conv2d,
        nn.Conv3d,
        nn.ConvTranspose1d,
        nn.ConvTranspose2d,
        nn.MaxPool1d,
        nn.MaxPool2d,
        nn.MaxPool3d,
        nn.AvgPool1d,
        nn.AvgPool2d,
        nn.AvgPool3d,
        nn.AdaptiveAvgPool1d,
        nn.AdaptiveAvgPool2d,
        nn.AdaptiveAvgPool3d,
        nn.AdaptiveMaxPool1d,
        nn.AdaptiveMaxPool2d,
        nn.AdaptiveMaxPool3d,
        nn.Flatten,
        nn.Dropout,
        nn.Dropout1d,
        nn.Dropout2d,
        nn.Dropout3d,
        nn.Embedding,
        nn.LSTM,
        nn.GRU,
        nn.RNN,
        nn.MultiheadAttention,
        nn.BatchNorm1d,
        nn.BatchNorm2d,
        nn.BatchNorm3d,
        nn.LayerNorm,
        nn.GroupNorm,
        nn.InstanceNorm1d,
        nn.InstanceNorm2d,
        nn.InstanceNorm3d,
        nn.ZeroPad1d,
        nn.ZeroPad2d,
        nn.ZeroPad3d,
        nn.ConstantPad1d,
        nn.ConstantPad2d,
        nn.ConstantPad3d,
        nn.Upsample,
        nn.PReLU,
        nn.Softmax,
        nn.ReLU,
        nn.Sigmoid,
        nn.Tanh,
        nn.SiLU,
        nn.ReLU6,
        nn.Hardswish,
        nn.LeakyReLU,
        nn.GELU,
        nn.ELU,
        nn.Softplus,
    )


def _np(t) -> np.ndarray:
    return t.detach().cpu().numpy().astype(np.float32)


def _arrays(m) -> dict[str, np.ndarray]:
    return {
        k: v.detach().cpu().numpy().astype(np.float32)
        for k, v in m.state_dict().items()
        if not k.endswith("num_batches_tracked")
    }


def _tuple(v, n) -> tuple:
    return tuple(v) if isinstance(v, list | tuple) else (v,) * n


def _ACT_FUNCS(torch, F):
    return {
        torch.relu,
        F.relu,
        torch.sigmoid,
        F.sigmoid,
        torch.tanh,
        F.tanh,
        F.silu,
        F.relu6,
        F.hardswish,
        torch.relu_,
        F.softplus,
        torch.nn.functional.relu_,
    }


def _dense_activation(user, node) -> str | None:
    """The Dense activation ``user`` (the Linear's only consumer) applies, as LayerLab writes it."""
    import torch
    import torch.nn.functional as F

    if user.op not in ("call_function", "call_method") or not user.args or user.args[0] is not node:
        return None
    fn, rest, kw = user.target, user.args[1:], dict(user.kwargs)
    name = fn if isinstance(fn, str) else getattr(fn, "__name__", "")
    if user.op == "call_function" and fn not in {
        torch.relu,
        F.relu,
        torch.sigmoid,
        torch.tanh,
        F.tanh,
        F.sigmoid,
        F.gelu,
        F.elu,
        torch.softmax,
        F.softmax,
    }:
        return None
    kw.pop("inplace", None)
    if name in ("relu", "sigmoid", "tanh") and not rest and not kw:
        return name
    if name == "gelu" and not rest and kw.get("approximate", "none") == "none":
        return "gelu"
    if name == "elu" and (rest or [kw.get("alpha", 1.0)])[0] == 1.0:
        return "elu"
    if name == "softmax":
        dim = rest[0] if rest else kw.get("dim")
        meta = node.meta.get("tensor_meta")
        rank = len(meta.shape) if meta is not None else None
        if dim == -1 or (rank is not None and dim == rank - 1):
            return "softmax"
    return None


def _item(node):
    import operator as op

    if node.op == "call_function" and node.target is op.getitem:
        return node.args[1]
    return None


def _is_last_step(index) -> bool:
    idx = index if isinstance(index, tuple) else (index,)
    return len(idx) in (2, 3) and idx[0] == slice(None) and idx[1] == -1 and all(i == slice(None) for i in idx[2:])


def _last_step(user) -> bool:
    return _item(user) is not None and _is_last_step(user.args[1])


def _perm_of(node, rank) -> tuple | None:
    """The full permutation a permute / transpose / movedim node applies, or None."""
    if node.op not in ("call_method", "call_function"):
        return None
    name = node.target if isinstance(node.target, str) else getattr(node.target, "__name__", "")
    args = list(node.args[1:])
    try:
        if name == "permute":
            dims = args[0] if len(args) == 1 and isinstance(args[0], list | tuple) else args
            dims = dims or node.kwargs.get("dims")
            return tuple(int(d) % rank for d in dims)
        if name in ("transpose", "swapaxes"):
            a, b = (args + [node.kwargs.get("dim0"), node.kwargs.get("dim1")])[:2]
            perm = list(range(rank))
            a, b = a % rank, b % rank
            perm[a], perm[b] = perm[b], perm[a]
            return tuple(perm)
        if name == "movedim":
            src, dst = (args + [node.kwargs.get("source"), node.kwargs.get("destination")])[:2]
            src, dst = src % rank, dst % rank
            perm = [i for i in range(rank) if i != src]
            perm.insert(dst, src)
            return tuple(perm)
    except (TypeError, ValueError):
        return None
    return None


def _crop_slices(user, node, dims):
    """The spatial slices of ``x[:, :, a:b, c:d]`` applied to ``node``, or None."""
    if _item(user) is None or user.args[0] is not node:
        return None
    idx = user.args[1]
    if not isinstance(idx, tuple) or len(idx) != dims + 2 or not all(isinstance(s, slice) for s in idx):
        return None
    if idx[0] != slice(None) or idx[1] != slice(None) or any(s.step not in (None, 1) for s in idx):
        return None
    if any(not isinstance(v, int | type(None)) for s in idx for v in (s.start, s.stop)):
        return None
    return list(idx[2:])


def _slice_bounds(slices, sizes) -> list[tuple[int, int]]:
    """(start, stop) of each slice over its axis."""
    out = []
    for s, n in zip(slices, sizes, strict=True):
        lo, hi, _ = s.indices(n)
        if hi < lo:
            raise _Refuse("an empty slice")
        out.append((lo, hi))
    return out


def _index_text(idx) -> str:
    def one(i):
        if isinstance(i, slice):
            return ":".join("" if v is None else str(v) for v in (i.start, i.stop)) if i.step is None else str(i)
        return repr(i)

    return "[" + ", ".join(one(i) for i in idx) + "]"


def _constant(fn, args, kwargs):
    """A node computed from constants only (sizes, a mask built with torch.ones …): evaluated now."""
    if any(isinstance(a, _Batch) for a in _flat(args) + _flat(kwargs)):
        raise _Refuse("computes with the batch size (LayerLab's layers work per sample)")
    try:
        return fn(
            *[a.tensor if isinstance(a, _Param) else a for a in args],
            **{k: v.tensor if isinstance(v, _Param) else v for k, v in kwargs.items()},
        )
    except Exception as err:
        raise _Refuse(f"evaluating it failed: {type(err).__name__}: {err}") from None


def _flat(v) -> list:
    if isinstance(v, list | tuple):
        return [y for x in v for y in _flat(x)]
    if isinstance(v, dict):
        return [y for x in v.values() for y in _flat(x)]
    return [v]


def _separable(m):
    """The depthwise Conv2d of a LayerLab separable convolution (nn.Sequential(depthwise, 1×1)), or None."""
    import torch.nn as nn

    if type(m) is not nn.Sequential or len(m) != 2:
        return None
    d, p = m[0], m[1]
    if not (isinstance(d, nn.Conv2d) and isinstance(p, nn.Conv2d)):
        return None
    if d.groups != d.in_channels or d.groups < 1 or d.bias is not None or p.kernel_size != (1, 1) or p.groups != 1:
        return None
    if p.stride != (1, 1) or p.padding != (0, 0) or p.in_channels != d.out_channels or p.dilation != (1, 1):
        return None
    return d


def _source_files(module) -> set[str]:
    """The files that define the forward of the model's own (not torch's) module classes."""
    out = set()
    for m in module.modules():
        code = getattr(getattr(type(m), "forward", None), "__code__", None)
        if code is not None and not type(m).__module__.startswith("torch."):
            out.add(os.path.abspath(code.co_filename))
    return out


def _resolve_inputs(module, inputs):
    params = [
        p
        for p in inspect.signature(module.forward).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    names = [p.name for p in params]
    if inputs is None:
        raise ImportFailed([f"give the per-sample shape of each forward argument ({', '.join(names)})"])
    inputs = [(str(n), tuple(int(s) for s in shape), str(dtype)) for n, shape, dtype in inputs]
    required = [p.name for p in params if p.default is inspect.Parameter.empty]
    if {n for n, _, _ in inputs} == set(names[: len(inputs)]):
        by_name = {n: i for i, n in enumerate(names)}
        inputs.sort(key=lambda x: by_name[x[0]])
    if len(inputs) < len(required):
        raise ImportFailed([f"forward takes {', '.join(required)}: {len(inputs)} input shapes given"])
    if len(inputs) > len(names):
        raise ImportFailed([f"forward takes {len(names)} arguments ({', '.join(names)}): {len(inputs)} inputs given"])
    return inputs


def _sample(shape, dtype):
    import torch

    g = torch.Generator().manual_seed(0)
    if dtype == "int64":
        return torch.randint(0, 2, (TRACE_BATCH, *shape), generator=g)
    return torch.randn((TRACE_BATCH, *shape), generator=g)


def _flatten_outputs(out) -> list:
    if isinstance(out, dict):
        return [y for v in out.values() for y in _flatten_outputs(v)]
    if isinstance(out, list | tuple):
        return [y for v in out for y in _flatten_outputs(v)]
    return [out]


# ----------------------------------------------------------------------------- the entry point


def import_module(
    module,
    inputs: list[tuple[str, tuple[int, ...], str]] | None = None,
    *,
    title="Imported model",
    source="",
    heads=None,
) -> tuple[Imported, Reference]:
    """Trace ``module`` with torch.fx and map it onto catalog layers (see the module docstring).

    ``inputs``: (name, per-sample shape, dtype "float32"/"int64") per forward argument. Returns the import
    and a reference function {input name: array} -> [outputs] running ``module`` (eval, no_grad)."""
    import torch

    if inputs is None:
        _resolve_inputs(module, None)
    imp = _Importer(module, inputs, title, source)
    imported = imp.run(heads)
    order = [name for name, _, _ in imp.inputs]

    def reference(arrays: dict[str, np.ndarray]) -> list[np.ndarray]:
        was = module.training
        module.eval()
        try:
            with torch.no_grad():
                out = module(*[torch.as_tensor(np.asarray(arrays[n])) for n in order])
        finally:
            module.train(was)
        return [o.detach().cpu().numpy() for o in _flatten_outputs(out)]

    return imported, reference
