"""PyTorch lowerings of the convolution family."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.layout import sides
from codegen.lower_torch._common import _module, _pair, _self, glorot_init, lower
from codegen.pyfmt import call, lit


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
        crop = f"[:, :, {t} : {t + h}, {left} : {left + w}]"
        r.apply = [(step.var, call(_self(step), step.x).flat() + crop)]
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
