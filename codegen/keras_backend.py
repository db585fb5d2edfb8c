"""The Keras backend: one renderer per layer type, functional API, always channels-last.

The graph is channels-first; here images are stored (N, H, W, C) and signals (N, L, C), so axes are
remapped and a Permute restores PyTorch's order before Flatten/Reshape (docs/equivalence.md §1).
"""

from __future__ import annotations

from codegen.backend import Ctx, Rendered, Unsupported
from codegen.emitter import Step
from codegen.layout import keras_axis_literal, keras_padding, pool_pads, sides, stored_axes
from codegen.pyfmt import Call, call, lit
from graph.tensors import TensorType


def _layer(step: Step, cls: str, *args, name: str | None = None, inputs=None, var=None, **kw) -> tuple:
    kw["name"] = lit(name or step.name)
    target = var or step.var
    src = inputs if inputs is not None else step.x
    return (target, Call(call(f"layers.{cls}", *args, **kw), (src,)))


def _one(step: Step, cls: str, *args, **kw) -> Rendered:
    return Rendered(apply=[_layer(step, cls, *args, **kw)])


def _input(step: Step, ctx: Ctx) -> Rendered:
    t = step.out
    shape = tuple(t.dims[a] for a in stored_axes(t)[1:])
    kw = {"shape": lit(shape)}
    if t.dtype == "int64":
        kw["dtype"] = lit("int64")
    kw["name"] = lit(step.name)
    return Rendered(apply=[(step.var, call("keras.Input", **kw))])


def _dense(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    kw = {}
    if p["activation"] != "linear" and not step.fold:
        kw["activation"] = lit(p["activation"])
    if not p["use_bias"]:
        kw["use_bias"] = "False"
    return _one(step, "Dense", lit(p["units"]), **kw)


def _to_logical(step: Step, ctx: Ctx, t: TensorType, r: Rendered) -> str:
    """Permute a channels-last tensor back to PyTorch's channels-first order (only needed when C > 1)."""
    if not t.channels_first or t.dims[1] == 1:
        return step.x
    order = (3, 1, 2) if t.rank == 4 else (2, 1)
    aux = ctx.aux(step, "to_channels_first")
    r.comments.append("# Back to channels-first order, so the flattened values match PyTorch's.")
    r.apply.append(_layer(step, "Permute", lit(order), name=aux, var="x"))
    return "x"


def _flatten(step: Step, ctx: Ctx) -> Rendered:
    r = Rendered()
    src = _to_logical(step, ctx, step.t, r)
    r.apply.append(_layer(step, "Flatten", inputs=src))
    return r


def _reshape(step: Step, ctx: Ctx) -> Rendered:
    r = Rendered()
    src = _to_logical(step, ctx, step.t, r)
    out = step.out
    if out.channels_first and out.dims[1] > 1:
        r.apply.append(_layer(step, "Reshape", lit(tuple(out.features)), inputs=src, var="x"))
        order = (2, 3, 1) if out.rank == 4 else (2, 1)
        r.apply.append(_layer(step, "Permute", lit(order), name=ctx.aux(step, "to_channels_last"), inputs="x"))
    else:
        dims = tuple(out.dims[a] for a in stored_axes(out)[1:])
        r.apply.append(_layer(step, "Reshape", lit(dims), inputs=src))
    return r


def _permute(step: Step, ctx: Ctx) -> Rendered:
    t, out = step.t, step.out
    logical = [0, *step.params["order"]]
    src_pos = stored_axes(t)
    dims = tuple(src_pos.index(logical[a]) for a in stored_axes(out)[1:])
    return _one(step, "Permute", lit(dims))


def _dropout(step: Step, ctx: Ctx) -> Rendered:
    rate, axes = lit(step.params["rate"]), step.t.axes
    if step.params["spatial"] and axes == ("N", "C", "H", "W"):
        return _one(step, "SpatialDropout2D", rate)
    if step.params["spatial"] and axes in (("N", "C", "L"), ("N", "T", "F")):
        return _one(step, "SpatialDropout1D", rate)
    return _one(step, "Dropout", rate)


def _activation(name: str):
    return lambda step, ctx: _one(step, "Activation", lit(name))


def _gelu(step: Step, ctx: Ctx) -> Rendered:
    if step.params["approximate"] == "tanh":
        ctx.imports.add("ops")
        return Rendered(apply=[(step.var, call("ops.gelu", step.x, approximate="True"))])
    return _one(step, "Activation", lit("gelu"))


def _softmax(step: Step, ctx: Ctx) -> Rendered:
    return _one(step, "Softmax", axis=lit(keras_axis_literal(step.t, step.params["axis"])))


# ----------------------------------------------------------------------------- convolution


def _pads_or_layer(step: Step, ctx: Ctx, r: Rendered, sizes, kernel, strides, dilation, pads, dims: int) -> tuple:
    """Keras 'valid'/'same' when TF's rule gives exactly these pads, else an explicit ZeroPadding layer."""
    per_axis = sides(pads)
    mode = keras_padding(sizes, kernel, strides, dilation, per_axis)
    if mode is not None:
        return lit(mode), step.x
    value = lit(tuple(per_axis)) if dims == 2 else lit(per_axis[0])
    r.apply.append(_layer(step, f"ZeroPadding{dims}D", value, name=ctx.aux(step, "pad"), var="x"))
    return lit("valid"), "x"


def _tuple(values) -> str:
    return lit(tuple(values))


def _conv2d(step: Step, ctx: Ctx) -> Rendered:
    p, r = step.params, Rendered()
    sizes = step.t.dims[2:]
    padding, src = _pads_or_layer(step, ctx, r, sizes, p["kernel_size"], p["strides"], p["dilation"], p["padding"], 2)
    kw = {"strides": _tuple(p["strides"]), "padding": padding}
    if max(p["dilation"]) > 1:
        kw["dilation_rate"] = _tuple(p["dilation"])
    if p["groups"] > 1:
        kw["groups"] = lit(p["groups"])
    if not p["use_bias"]:
        kw["use_bias"] = "False"
    r.apply.append(_layer(step, "Conv2D", lit(p["filters"]), _tuple(p["kernel_size"]), inputs=src, **kw))
    return r


def _conv1d(step: Step, ctx: Ctx) -> Rendered:
    p, r = step.params, Rendered()
    sizes = step.t.dims[2:]
    k, s, d = [p["kernel_size"]], [p["stride"]], [p["dilation"]]
    padding, src = _pads_or_layer(step, ctx, r, sizes, k, s, d, p["padding"], 1)
    kw = {"strides": lit(p["stride"]), "padding": padding}
    if p["dilation"] > 1:
        kw["dilation_rate"] = lit(p["dilation"])
    if not p["use_bias"]:
        kw["use_bias"] = "False"
    r.apply.append(_layer(step, "Conv1D", lit(p["filters"]), lit(p["kernel_size"]), inputs=src, **kw))
    return r


def _conv2d_transpose(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    kw = {"strides": _tuple(p["strides"]), "padding": lit("valid"), "output_padding": _tuple(p["output_padding"])}
    if max(p["dilation"]) > 1:
        raise Unsupported("TensorFlow has no CPU kernel for a dilated Conv2DTranspose; use dilation 1")
    if not p["use_bias"]:
        kw["use_bias"] = "False"
    per_axis = sides(p["padding"])
    if not any(b or a for b, a in per_axis):
        return _one(step, "Conv2DTranspose", lit(p["filters"]), _tuple(p["kernel_size"]), **kw)
    r = Rendered(comments=["# PyTorch's padding crops the transposed convolution's output."])
    r.apply.append(_layer(step, "Conv2DTranspose", lit(p["filters"]), _tuple(p["kernel_size"]), var="x", **kw))
    r.apply.append(_layer(step, "Cropping2D", lit(tuple(per_axis)), name=ctx.aux(step, "crop"), inputs="x"))
    return r


def _upsampling2d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _one(step, "UpSampling2D", size=_tuple(p["scale"]), interpolation=lit(p["interpolation"]))


def _zero_padding2d(step: Step, ctx: Ctx) -> Rendered:
    return _one(step, "ZeroPadding2D", lit(tuple(sides(step.params["padding"]))))


# ----------------------------------------------------------------------------- pooling


def _maxpool(step: Step, ctx: Ctx, dims: int, k, s, pads) -> Rendered:
    sizes = step.t.dims[2:]
    explicit = [
        pool_pads(n, kk, ss, b, a, step.params["ceil_mode"])
        for n, kk, ss, (b, a) in zip(sizes, k, s, sides(pads), strict=True)
    ]
    mode = keras_padding(sizes, k, s, [1] * dims, explicit)
    size = _tuple(k) if dims == 2 else lit(k[0])
    stride = _tuple(s) if dims == 2 else lit(s[0])
    if mode is not None:
        return _one(step, f"MaxPooling{dims}D", size, strides=stride, padding=lit(mode))
    ctx.imports.update({"ops", "math"})
    r = Rendered(comments=["# Max pooling pads with -inf (never with zeros)."])
    widths = lit([[0, 0], *[list(e) for e in explicit], [0, 0]])
    r.apply.append(("x", call("ops.pad", step.x, widths, constant_values="-math.inf")))
    r.apply.append(_layer(step, f"MaxPooling{dims}D", size, strides=stride, padding=lit("valid"), inputs="x"))
    return r


def _maxpool2d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _maxpool(step, ctx, 2, p["pool_size"], p["strides"], p["padding"])


def _maxpool1d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _maxpool(step, ctx, 1, [p["pool_size"]], [p["stride"]], p["padding"])


def _avgpool2d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    sizes, k, s = step.t.dims[2:], p["pool_size"], p["strides"]
    per_axis = sides(p["padding"])
    explicit = [
        pool_pads(n, kk, ss, b, a, p["ceil_mode"]) for n, kk, ss, (b, a) in zip(sizes, k, s, per_axis, strict=True)
    ]
    if explicit != per_axis:
        raise Unsupported("average pooling whose ceil_mode adds a partial window has no exact Keras equivalent")
    kw = {"strides": _tuple(s)}
    if not any(b or a for b, a in per_axis):
        return _one(step, "AveragePooling2D", _tuple(k), padding=lit("valid"), **kw)
    if p["count_include_pad"]:
        r = Rendered()
        r.apply.append(_layer(step, "ZeroPadding2D", lit(tuple(per_axis)), name=ctx.aux(step, "pad"), var="x"))
        r.apply.append(_layer(step, "AveragePooling2D", _tuple(k), padding=lit("valid"), inputs="x", **kw))
        return r
    if keras_padding(sizes, k, s, [1, 1], per_axis) == "same":
        return _one(step, "AveragePooling2D", _tuple(k), padding=lit("same"), **kw)
    raise Unsupported("average pooling that excludes padding needs TensorFlow's 'same' padding in Keras")


def _global(cls: str):
    def render(step: Step, ctx: Ctx) -> Rendered:
        return _one(step, f"{cls}{'2D' if step.t.rank == 4 else '1D'}")

    return render


# ----------------------------------------------------------------------------- normalisation


def _batch_norm(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    momentum = round(1.0 - p["momentum"], 10)  # Keras keeps `momentum` of the old statistics
    return _one(step, "BatchNormalization", axis="-1", momentum=lit(momentum), epsilon=lit(p["epsilon"]))


def _layer_norm(step: Step, ctx: Ctx) -> Rendered:
    t = step.t
    axis = "-1" if not t.channels_first else lit(list(range(1, t.rank)))
    return _one(step, "LayerNormalization", axis=axis, epsilon=lit(step.params["epsilon"]))


def _embedding(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _one(step, "Embedding", lit(p["input_dim"]), lit(p["output_dim"]))


def _recurrent(cls: str, **fixed):
    def render(step: Step, ctx: Ctx) -> Rendered:
        p = step.params
        kw = dict(fixed)
        if "activation" in p:
            kw["activation"] = lit(p["activation"])
        kw["return_sequences"] = lit(bool(p["return_sequences"]))
        if not p.get("bidirectional"):
            return _one(step, cls, lit(p["units"]), **kw)
        inner = call(f"layers.{cls}", lit(p["units"]), **kw)
        return _one(step, "Bidirectional", inner, merge_mode=lit("concat"))

    return render


def _merge(cls: str):
    def render(step: Step, ctx: Ctx) -> Rendered:
        return Rendered(apply=[_layer(step, cls, inputs="[" + ", ".join(step.inputs) + "]")])

    return render


def _concatenate(step: Step, ctx: Ctx) -> Rendered:
    axis = lit(keras_axis_literal(step.t, step.params["axis"]))
    return Rendered(apply=[_layer(step, "Concatenate", axis=axis, inputs="[" + ", ".join(step.inputs) + "]")])


RENDERERS = {
    "input.vector": _input,
    "input.image": _input,
    "input.sequence": _input,
    "input.signal": _input,
    "input.tokens": _input,
    "dense": _dense,
    "flatten": _flatten,
    "reshape": _reshape,
    "permute": _permute,
    "dropout": _dropout,
    "relu": lambda step, ctx: _one(step, "ReLU"),
    "leaky_relu": lambda step, ctx: _one(step, "LeakyReLU", negative_slope=lit(step.params["negative_slope"])),
    "sigmoid": _activation("sigmoid"),
    "tanh": _activation("tanh"),
    "softmax": _softmax,
    "gelu": _gelu,
    "elu": lambda step, ctx: _one(step, "ELU", alpha=lit(step.params["alpha"])),
    "silu": _activation("silu"),
    "softplus": _activation("softplus"),
    "conv1d": _conv1d,
    "conv2d": _conv2d,
    "conv2d_transpose": _conv2d_transpose,
    "upsampling2d": _upsampling2d,
    "zero_padding2d": _zero_padding2d,
    "maxpool1d": _maxpool1d,
    "maxpool2d": _maxpool2d,
    "avgpool2d": _avgpool2d,
    "global_avg_pool": _global("GlobalAveragePooling"),
    "global_max_pool": _global("GlobalMaxPooling"),
    "batch_norm": _batch_norm,
    "layer_norm": _layer_norm,
    "embedding": _embedding,
    "simple_rnn": _recurrent("SimpleRNN"),
    "lstm": _recurrent("LSTM"),
    "gru": _recurrent("GRU", reset_after="True"),
    "add": _merge("Add"),
    "multiply": _merge("Multiply"),
    "concatenate": _concatenate,
}
