"""PyTorch lowerings of the pooling layers."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered, Unsupported
from codegen.emitter import Step
from codegen.layout import pool_pads, sides
from codegen.lower_torch._common import _module, _pair, _self, lower
from codegen.pyfmt import call, lit


def _maxpool(step: Step, ctx: Ctx, dims: int, k, s, pads) -> Rendered:
    sizes = step.t.dims[2:]
    ceil = step.params["ceil_mode"]
    per_axis = sides(pads)
    kw = {"kernel_size": _pair(k), "stride": _pair(s)}
    if all(b == a for b, a in per_axis):
        if any(b for b, _ in per_axis):
            kw["padding"] = _pair(b for b, _ in per_axis)
        if ceil:
            kw["ceil_mode"] = "True"
        return _module(step, call(f"nn.MaxPool{dims}d", **kw))
    # Asymmetric: pad with -inf explicitly (as max pooling does), then pool without padding.
    explicit = [pool_pads(n, kk, ss, b, a, ceil) for n, kk, ss, (b, a) in zip(sizes, k, s, per_axis, strict=True)]
    ctx.imports.add("math")
    pad = ctx.aux(step, "pad")
    order = tuple(v for b, a in reversed(explicit) for v in (b, a))
    r = _module(step, call(f"nn.MaxPool{dims}d", **kw), call(_self(step), call(f"self.{pad}", step.x)))
    r.build.insert(0, (f"self.{pad}", call(f"nn.ConstantPad{dims}d", lit(order), "-math.inf")))
    return r


@lower("maxpool2d")
def _maxpool2d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _maxpool(step, ctx, 2, p["pool_size"], p["strides"], p["padding"])


@lower("maxpool1d")
def _maxpool1d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _maxpool(step, ctx, 1, [p["pool_size"]], [p["stride"]], p["padding"])


@lower("maxpool3d")
def _maxpool3d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _maxpool(step, ctx, 3, p["pool_size"], p["strides"], p["padding"])


def _avgpool(step: Step, ctx: Ctx, dims: int, k, s, pads) -> Rendered:
    p = step.params
    per_axis = sides(pads)
    kw = {"kernel_size": _pair(k), "stride": _pair(s)}
    if all(b == a for b, a in per_axis):
        if any(b for b, _ in per_axis):
            kw["padding"] = _pair(b for b, _ in per_axis)
        if p["ceil_mode"]:
            kw["ceil_mode"] = "True"
        if not p["count_include_pad"]:
            kw["count_include_pad"] = "False"
        return _module(step, call(f"nn.AvgPool{dims}d", **kw))
    if p["ceil_mode"] or not p["count_include_pad"]:
        raise Unsupported("average pooling with unequal padding needs count_include_pad on and ceil_mode off")
    pad = ctx.aux(step, "pad")
    order = tuple(v for b, a in reversed(per_axis) for v in (b, a))  # F.pad order: last axis first
    r = _module(step, call(f"nn.AvgPool{dims}d", **kw), call(_self(step), call(f"self.{pad}", step.x)))
    r.build.insert(0, (f"self.{pad}", call(f"nn.ZeroPad{dims}d", lit(order))))
    return r


@lower("avgpool1d")
def _avgpool1d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _avgpool(step, ctx, 1, [p["pool_size"]], [p["stride"]], p["padding"])


@lower("avgpool2d")
def _avgpool2d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _avgpool(step, ctx, 2, p["pool_size"], p["strides"], p["padding"])


@lower("avgpool3d")
def _avgpool3d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _avgpool(step, ctx, 3, p["pool_size"], p["strides"], p["padding"])


def _global(fn: str):
    def render(step: Step, ctx: Ctx) -> Rendered:
        # Every position: (2, 3) for images, (2, 3, 4) for volumes, 2 for signals; 1 (time) for sequences.
        t = step.t
        dims = "1" if t.axes == ("N", "T", "F") else (lit(tuple(range(2, t.rank))) if t.rank > 3 else "2")
        return Rendered(apply=[(step.var, call(fn, step.x, dim=dims))])

    return render


lower("global_avg_pool")(_global("torch.mean"))
lower("global_max_pool")(_global("torch.amax"))
