"""Keras lowerings of the convolution family."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered, Unsupported
from codegen.emitter import Step
from codegen.layout import keras_padding, sides
from codegen.lower_keras._common import _layer, _one, _tuple, lower
from codegen.pyfmt import lit


def _pads_or_layer(step: Step, ctx: Ctx, r: Rendered, sizes, kernel, strides, dilation, pads, dims: int) -> tuple:
    """Keras 'valid'/'same' when TF's rule gives exactly these pads, else an explicit ZeroPadding layer."""
    per_axis = sides(pads)
    mode = keras_padding(sizes, kernel, strides, dilation, per_axis)
    if mode is not None:
        return lit(mode), step.x
    value = lit(tuple(per_axis)) if dims > 1 else lit(per_axis[0])
    r.apply.append(_layer(step, f"ZeroPadding{dims}D", value, name=ctx.aux(step, "pad"), var="x"))
    return lit("valid"), "x"


def _conv_weights(step: Step, w: dict) -> list:
    kernel = w["weight"]
    # (O, I/g, kh, kw) -> (kh, kw, I/g, O); 1-D (O, I, k) -> (k, I, O); 3-D (O, I, kd, kh, kw) -> (kd, kh, kw, I, O).
    axes = (*range(2, kernel.ndim), 1, 0)  # no flip
    return [kernel.transpose(axes)] + ([w["bias"]] if "bias" in w else [])


def depthwise_kernel(weight, multiplier: int):
    """PyTorch's grouped kernel (C·m, 1, kh, kw) as Keras' depthwise kernel (kh, kw, C, m).

    PyTorch's output channel c·m + j is the j-th kernel of input channel c, as in Keras.
    """
    out_channels, _, kh, kw = weight.shape
    return weight.reshape(out_channels // multiplier, multiplier, kh, kw).transpose(2, 3, 0, 1)


def _depthwise_weights(step: Step, w: dict) -> list:
    kernel = depthwise_kernel(w["weight"], step.params["depth_multiplier"])
    return [kernel] + ([w["bias"]] if "bias" in w else [])


def _separable_weights(step: Step, w: dict) -> list:
    # nn.Sequential(depthwise, pointwise): [0] (C·m, 1, kh, kw), [1] (F, C·m, 1, 1) -> (1, 1, C·m, F)
    out = [depthwise_kernel(w["0.weight"], step.params["depth_multiplier"]), w["1.weight"].transpose(2, 3, 1, 0)]
    return out + ([w["1.bias"]] if "1.bias" in w else [])


def _conv_call(step: Step, ctx: Ctx, cls: str, *args, **extra) -> Rendered:
    """A 2-D/3-D convolution whose padding is 'valid'/'same' or an explicit ZeroPadding layer before it."""
    p, r = step.params, Rendered()
    dims = len(p["kernel_size"])
    sizes = step.t.dims[2:]
    padding, src = _pads_or_layer(
        step, ctx, r, sizes, p["kernel_size"], p["strides"], p["dilation"], p["padding"], dims
    )
    kw = {"strides": _tuple(p["strides"]), "padding": padding, **extra}
    if max(p["dilation"]) > 1:
        kw["dilation_rate"] = _tuple(p["dilation"])
    if not p["use_bias"]:
        kw["use_bias"] = "False"
    r.apply.append(_layer(step, cls, *args, _tuple(p["kernel_size"]), inputs=src, **kw))
    return r


@lower("conv2d", weights=_conv_weights)
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


@lower("conv3d", weights=_conv_weights)
def _conv3d(step: Step, ctx: Ctx) -> Rendered:
    return _conv_call(step, ctx, "Conv3D", lit(step.params["filters"]))


@lower("depthwise_conv2d", weights=_depthwise_weights)
def _depthwise_conv2d(step: Step, ctx: Ctx) -> Rendered:
    m = step.params["depth_multiplier"]
    return _conv_call(step, ctx, "DepthwiseConv2D", **({"depth_multiplier": lit(m)} if m > 1 else {}))


@lower("separable_conv2d", weights=_separable_weights)
def _separable_conv2d(step: Step, ctx: Ctx) -> Rendered:
    m = step.params["depth_multiplier"]
    extra = {"depth_multiplier": lit(m)} if m > 1 else {}
    return _conv_call(step, ctx, "SeparableConv2D", lit(step.params["filters"]), **extra)


@lower("conv1d", weights=_conv_weights)
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


def _conv_transpose_weights(step: Step, w: dict) -> list:
    # torch (in, out, kh, kw) -> Keras (kh, kw, out, in); 1-D (in, out, k) -> (k, out, in)
    kernel = w["weight"]
    return [kernel.transpose(*range(2, kernel.ndim), 1, 0)] + ([w["bias"]] if "bias" in w else [])


@lower("conv2d_transpose", weights=_conv_transpose_weights)
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


@lower("conv1d_transpose", weights=_conv_transpose_weights)
def _conv1d_transpose(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    # output_padding is always given: without it Keras sizes a 'valid' output differently when k < stride.
    kw = {"strides": lit(p["stride"]), "padding": lit("valid"), "output_padding": lit(p["output_padding"])}
    if p["dilation"] > 1:
        kw["dilation_rate"] = lit(p["dilation"])
    if not p["use_bias"]:
        kw["use_bias"] = "False"
    left, right = p["padding"]
    if not (left or right):
        return _one(step, "Conv1DTranspose", lit(p["filters"]), lit(p["kernel_size"]), **kw)
    r = Rendered(comments=["# PyTorch's padding crops the transposed convolution's output."])
    r.apply.append(_layer(step, "Conv1DTranspose", lit(p["filters"]), lit(p["kernel_size"]), var="x", **kw))
    r.apply.append(_layer(step, "Cropping1D", lit((left, right)), name=ctx.aux(step, "crop"), inputs="x"))
    return r


@lower("upsampling2d")
def _upsampling2d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _one(step, "UpSampling2D", size=_tuple(p["scale"]), interpolation=lit(p["interpolation"]))


@lower("zero_padding2d")
def _zero_padding2d(step: Step, ctx: Ctx) -> Rendered:
    return _one(step, "ZeroPadding2D", lit(tuple(sides(step.params["padding"]))))


@lower("upsampling1d")
def _upsampling1d(step: Step, ctx: Ctx) -> Rendered:
    return _one(step, "UpSampling1D", size=lit(step.params["size"]))


@lower("zero_padding1d")
def _zero_padding1d(step: Step, ctx: Ctx) -> Rendered:
    return _one(step, "ZeroPadding1D", lit(tuple(step.params["padding"])))


@lower("cropping1d")
def _cropping1d(step: Step, ctx: Ctx) -> Rendered:
    return _one(step, "Cropping1D", lit(tuple(step.params["cropping"])))


@lower("cropping2d")
def _cropping2d(step: Step, ctx: Ctx) -> Rendered:
    return _one(step, "Cropping2D", lit(tuple(sides(step.params["cropping"]))))
