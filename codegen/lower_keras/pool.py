"""Keras lowerings of the pooling layers."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered, Unsupported
from codegen.emitter import Step
from codegen.layout import keras_padding, pool_pads, sides
from codegen.lower_keras._common import _layer, _one, _tuple, lower
from codegen.pyfmt import call, lit


def _maxpool(step: Step, ctx: Ctx, dims: int, k, s, pads) -> Rendered:
    sizes = step.t.dims[2:]
    explicit = [
        pool_pads(n, kk, ss, b, a, step.params["ceil_mode"])
        for n, kk, ss, (b, a) in zip(sizes, k, s, sides(pads), strict=True)
    ]
    mode = keras_padding(sizes, k, s, [1] * dims, explicit)
    size = _tuple(k) if dims > 1 else lit(k[0])
    stride = _tuple(s) if dims > 1 else lit(s[0])
    if mode is not None:
        return _one(step, f"MaxPooling{dims}D", size, strides=stride, padding=lit(mode))
    ctx.imports.update({"ops", "math"})
    r = Rendered(comments=["# Max pooling pads with -inf (never with zeros)."])
    widths = lit([[0, 0], *[list(e) for e in explicit], [0, 0]])
    r.apply.append(("x", call("ops.pad", step.x, widths, constant_values="-math.inf")))
    r.apply.append(_layer(step, f"MaxPooling{dims}D", size, strides=stride, padding=lit("valid"), inputs="x"))
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
    sizes = step.t.dims[2:]
    per_axis = sides(pads)
    explicit = [
        pool_pads(n, kk, ss, b, a, p["ceil_mode"]) for n, kk, ss, (b, a) in zip(sizes, k, s, per_axis, strict=True)
    ]
    if explicit != per_axis:
        raise Unsupported("average pooling whose ceil_mode adds a partial window has no exact Keras equivalent")
    cls = f"AveragePooling{dims}D"
    size, kw = (_tuple(k), {"strides": _tuple(s)}) if dims > 1 else (lit(k[0]), {"strides": lit(s[0])})
    if not any(b or a for b, a in per_axis):
        return _one(step, cls, size, padding=lit("valid"), **kw)
    if p["count_include_pad"]:
        r = Rendered()
        value = lit(tuple(per_axis)) if dims > 1 else lit(per_axis[0])
        r.apply.append(_layer(step, f"ZeroPadding{dims}D", value, name=ctx.aux(step, "pad"), var="x"))
        r.apply.append(_layer(step, cls, size, padding=lit("valid"), inputs="x", **kw))
        return r
    if keras_padding(sizes, k, s, [1] * dims, per_axis) == "same":
        # TensorFlow's 'same' average leaves the padding out of the count, like count_include_pad=False.
        return _one(step, cls, size, padding=lit("same"), **kw)
    raise Unsupported("average pooling that excludes padding needs TensorFlow's 'same' padding in Keras")


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


def _global(cls: str):
    def render(step: Step, ctx: Ctx) -> Rendered:
        suffix = {4: "2D", 5: "3D"}.get(step.t.rank, "1D")  # images, volumes; signals and sequences
        return _one(step, cls + suffix)

    return render


lower("global_avg_pool")(_global("GlobalAveragePooling"))
lower("global_max_pool")(_global("GlobalMaxPooling"))
