"""Keras lowerings of the core layers; weights arrive in PyTorch's layout (docs/equivalence.md §4)."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.layout import stored_axes
from codegen.lower_keras._common import _layer, _one, _to_logical, lower
from codegen.pyfmt import lit


def _dense_weights(step: Step, w: dict) -> list:
    out = [w["weight"].T]
    return out + ([w["bias"]] if "bias" in w else [])


@lower("dense", weights=_dense_weights)
def _dense(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    kw = {}
    if p["activation"] != "linear" and not step.fold:
        kw["activation"] = lit(p["activation"])
    if not p["use_bias"]:
        kw["use_bias"] = "False"
    return _one(step, "Dense", lit(p["units"]), **kw)


@lower("flatten")
def _flatten(step: Step, ctx: Ctx) -> Rendered:
    r = Rendered()
    src = _to_logical(step, ctx, step.t, r)
    r.apply.append(_layer(step, "Flatten", inputs=src))
    return r


@lower("reshape")
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


@lower("permute")
def _permute(step: Step, ctx: Ctx) -> Rendered:
    t, out = step.t, step.out
    logical = [0, *step.params["order"]]
    src_pos = stored_axes(t)
    dims = tuple(src_pos.index(logical[a]) for a in stored_axes(out)[1:])
    return _one(step, "Permute", lit(dims))


@lower("dropout")
def _dropout(step: Step, ctx: Ctx) -> Rendered:
    rate, axes = lit(step.params["rate"]), step.t.axes
    if step.params["spatial"] and axes == ("N", "C", "D", "H", "W"):
        return _one(step, "SpatialDropout3D", rate)
    if step.params["spatial"] and axes == ("N", "C", "H", "W"):
        return _one(step, "SpatialDropout2D", rate)
    if step.params["spatial"] and axes in (("N", "C", "L"), ("N", "T", "F")):
        return _one(step, "SpatialDropout1D", rate)
    return _one(step, "Dropout", rate)


def _embedding_weights(step: Step, w: dict) -> list:
    return [w["weight"]]


@lower("embedding", weights=_embedding_weights)
def _embedding(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _one(step, "Embedding", lit(p["input_dim"]), lit(p["output_dim"]))
