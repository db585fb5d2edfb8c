"""PyTorch lowerings of the convolution family."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.layout import sides
from codegen.lower_torch._common import _module, _pair, _self, glorot_init, lower
from codegen.pyfmt import call, lit


def _conv_kw(p: dict, padding: str, bias: bool | None = None) -> dict:
    """kernel_size, stride, padding, dilation and bias of a 2-D/3-D convolution, defaults left out."""
    kw = {"kernel_size": _pair(p["kernel_size"]), "stride": _pair(p["strides"]), "padding": padding}
    if max(p["dilation"]) > 1:
        kw["dilation"] = _pair(p["dilation"])
    if not (p["use_bias"] if bias is None else bias):
        kw["bias"] = "False"
    return kw


def depthwise_bound(channels: int, multiplier: int, kernel) -> str:
    """Keras' Glorot bound for a depthwise kernel (kh, kw, C, m): fan_in = C·kh·kw, fan_out = m·kh·kw."""
    area = 1
    for k in kernel:
        area *= k
    return f"math.sqrt(6 / ({channels * area} + {multiplier * area}))"


def _uniform(weight: str, bound: str) -> tuple:
    return ("", call("nn.init.uniform_", weight, f"-{bound}", bound))


def _conv_padding(step: Step, ctx: Ctx, pads: list[int], dims: int, r: Rendered):
    """Symmetric padding goes into the layer; otherwise an explicit ZeroPad layer comes first."""
    per_axis = sides(pads)
    if all(b == a for b, a in per_axis):
        return _pair(b for b, _ in per_axis), step.x
    pad = ctx.aux(step, "pad")
    torch_order = tuple(v for b, a in reversed(per_axis) for v in (b, a))  # F.pad order: last axis first
    r.build.append((f"self.{pad}", call(f"nn.ZeroPad{dims}d", lit(torch_order))))
    return "0", call(f"self.{pad}", step.x).flat()


@lower("conv2d", init=glorot_init)
def _conv2d(step: Step, ctx: Ctx) -> Rendered:
    p, r = step.params, Rendered()
    padding, x = _conv_padding(step, ctx, p["padding"], 2, r)
    kw = {"kernel_size": _pair(p["kernel_size"]), "stride": _pair(p["strides"]), "padding": padding}
    if max(p["dilation"]) > 1:
        kw["dilation"] = _pair(p["dilation"])
    if p["groups"] > 1:
        kw["groups"] = lit(p["groups"])
    if not p["use_bias"]:
        kw["bias"] = "False"
    r.build.append((_self(step), call("nn.Conv2d", lit(step.t.dims[1]), lit(p["filters"]), **kw)))
    r.apply.append((step.var, call(_self(step), x)))
    return r


@lower("conv3d", init=glorot_init)
def _conv3d(step: Step, ctx: Ctx) -> Rendered:
    p, r = step.params, Rendered()
    padding, x = _conv_padding(step, ctx, p["padding"], 3, r)
    r.build.append((_self(step), call("nn.Conv3d", lit(step.t.dims[1]), lit(p["filters"]), **_conv_kw(p, padding))))
    r.apply.append((step.var, call(_self(step), x)))
    return r


def _depthwise_init(step: Step, ctx: Ctx) -> list:
    """Keras' Glorot fans differ from PyTorch's for a depthwise kernel: the bound is written out (§4)."""
    p = step.params
    bound = depthwise_bound(step.t.dims[1], p["depth_multiplier"], p["kernel_size"])
    out = [_uniform(f"{_self(step)}.weight", bound)]
    if p["use_bias"]:
        out.append(("", call("nn.init.zeros_", f"{_self(step)}.bias")))
    return out


@lower("depthwise_conv2d", init=_depthwise_init)
def _depthwise_conv2d(step: Step, ctx: Ctx) -> Rendered:
    p, r = step.params, Rendered()
    c = step.t.dims[1]
    padding, x = _conv_padding(step, ctx, p["padding"], 2, r)
    kw = _conv_kw(p, padding)
    kw["groups"] = lit(c)
    m = p["depth_multiplier"]
    kernels = "its own kernel" if m == 1 else f"its own {m} kernels"
    r.comments.append(f"# Depthwise (groups = input channels): each channel is convolved with {kernels}.")
    r.build.append((_self(step), call("nn.Conv2d", lit(c), lit(c * p["depth_multiplier"]), **kw)))
    r.apply.append((step.var, call(_self(step), x)))
    return r


def _separable_init(step: Step, ctx: Ctx) -> list:
    p, me = step.params, _self(step)
    bound = depthwise_bound(step.t.dims[1], p["depth_multiplier"], p["kernel_size"])
    out = [_uniform(f"{me}[0].weight", bound), ("", call("nn.init.xavier_uniform_", f"{me}[1].weight"))]
    if p["use_bias"]:
        out.append(("", call("nn.init.zeros_", f"{me}[1].bias")))
    return out


@lower("separable_conv2d", init=_separable_init)
def _separable_conv2d(step: Step, ctx: Ctx) -> Rendered:
    p, r = step.params, Rendered()
    c = step.t.dims[1]
    inner = c * p["depth_multiplier"]
    padding, x = _conv_padding(step, ctx, p["padding"], 2, r)
    depthwise = call("nn.Conv2d", lit(c), lit(inner), **_conv_kw(p, padding, bias=False), groups=lit(c))
    pointwise = call(
        "nn.Conv2d", lit(inner), lit(p["filters"]), kernel_size="1", **({} if p["use_bias"] else {"bias": "False"})
    )
    r.comments.append("# Separable: [0] depthwise (groups = input channels, no bias), [1] pointwise 1×1 mixing them.")
    r.build.append((_self(step), call("nn.Sequential", depthwise, pointwise)))
    r.apply.append((step.var, call(_self(step), x)))
    return r


@lower("conv1d", init=glorot_init)
def _conv1d(step: Step, ctx: Ctx) -> Rendered:
    p, r = step.params, Rendered()
    padding, x = _conv_padding(step, ctx, p["padding"], 1, r)
    kw = {"kernel_size": lit(p["kernel_size"]), "stride": lit(p["stride"]), "padding": padding}
    if p["dilation"] > 1:
        kw["dilation"] = lit(p["dilation"])
    if not p["use_bias"]:
        kw["bias"] = "False"
    r.build.append((_self(step), call("nn.Conv1d", lit(step.t.dims[1]), lit(p["filters"]), **kw)))
    r.apply.append((step.var, call(_self(step), x)))
    return r


@lower("conv2d_transpose", init=glorot_init)
def _conv2d_transpose(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    (t, b), (left, right) = sides(p["padding"])
    symmetric = t == b and left == right
    kw = {"kernel_size": _pair(p["kernel_size"]), "stride": _pair(p["strides"])}
    kw["padding"] = _pair((t, left)) if symmetric else "0"
    if max(p["output_padding"]) > 0:
        kw["output_padding"] = _pair(p["output_padding"])
    if max(p["dilation"]) > 1:
        kw["dilation"] = _pair(p["dilation"])
    if not p["use_bias"]:
        kw["bias"] = "False"
    r = _module(step, call("nn.ConvTranspose2d", lit(step.t.dims[1]), lit(p["filters"]), **kw))
    if not symmetric:  # crop each side explicitly (PyTorch's padding crops symmetrically)
        _, _, h, w = step.out.dims
        crop = f"[:, :, {t}:{t + h}, {left}:{left + w}]"  # int bounds: ruff writes them without spaces
        r.apply = [(step.var, call(_self(step), step.x).flat() + crop)]
    return r


@lower("conv1d_transpose", init=glorot_init)
def _conv1d_transpose(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    left, right = p["padding"]
    kw = {
        "kernel_size": lit(p["kernel_size"]),
        "stride": lit(p["stride"]),
        "padding": lit(left if left == right else 0),
    }
    if p["output_padding"]:
        kw["output_padding"] = lit(p["output_padding"])
    if p["dilation"] > 1:
        kw["dilation"] = lit(p["dilation"])
    if not p["use_bias"]:
        kw["bias"] = "False"
    r = _module(step, call("nn.ConvTranspose1d", lit(step.t.dims[1]), lit(p["filters"]), **kw))
    if left != right:  # crop each end explicitly (PyTorch's padding crops symmetrically)
        length = step.out.dims[2]
        r.apply = [(step.var, call(_self(step), step.x).flat() + f"[:, :, {left}:{left + length}]")]
    return r


@lower("upsampling2d")
def _upsampling2d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    kw = {"scale_factor": lit(tuple(p["scale"])), "mode": lit(p["interpolation"])}
    if p["interpolation"] == "bilinear":
        kw["align_corners"] = "False"
    return _module(step, call("nn.Upsample", **kw))


@lower("zero_padding2d")
def _zero_padding2d(step: Step, ctx: Ctx) -> Rendered:
    t, b, left, right = step.params["padding"]
    return _module(step, call("nn.ZeroPad2d", lit((left, right, t, b))))


@lower("upsampling1d")
def _upsampling1d(step: Step, ctx: Ctx) -> Rendered:
    return _module(step, call("nn.Upsample", scale_factor=lit(step.params["size"]), mode=lit("nearest")))


@lower("zero_padding1d")
def _zero_padding1d(step: Step, ctx: Ctx) -> Rendered:
    return _module(step, call("nn.ZeroPad1d", lit(tuple(step.params["padding"]))))


def _crop(lo: int, hi: int, size: int) -> str:
    return f"{lo}:{size - hi}" if hi else (f"{lo}:" if lo else ":")


@lower("cropping1d")
def _cropping1d(step: Step, ctx: Ctx) -> Rendered:
    left, right = step.params["cropping"]
    return Rendered(apply=[(step.var, f"{step.x}[:, :, {_crop(left, right, step.t.dims[2])}]")])


@lower("cropping2d")
def _cropping2d(step: Step, ctx: Ctx) -> Rendered:
    t, b, left, right = step.params["cropping"]
    _, _, h, w = step.t.dims
    return Rendered(apply=[(step.var, f"{step.x}[:, :, {_crop(t, b, h)}, {_crop(left, right, w)}]")])
