"""Merge layers: element-wise Add and Multiply, and Concatenate along one axis.

Each has one variadic input port ``in`` taking two or more tensors, in edge order.
"""

from __future__ import annotations

from graph.layers._common import expect_float, int_param
from graph.spec import LayerSpec, Port, ShapeError
from graph.tensors import TensorType

MERGE_IN = (Port("in", "Two or more tensors.", variadic=True),)
MERGE_OUT = (Port("out"),)


def _at_least_two(xs: list[TensorType], layer: str) -> None:
    if len(xs) < 2:
        raise ShapeError(f"{layer} needs at least 2 inputs, got {len(xs)}", f"connect another layer to {layer}")


def _elementwise_infer(layer):
    def infer(p, i):
        xs = i["in"]
        _at_least_two(xs, layer)
        first = xs[0]
        for x in xs:
            expect_float(x, layer)
        for n, x in enumerate(xs[1:], start=2):
            if x != first:
                raise ShapeError(
                    f"{layer} needs inputs of identical shape: input 1 is {first.label()}, input {n} is {x.label()}",
                    "make the shapes equal, e.g. with a 1×1 Conv2D or Dense on one branch, or use Concatenate",
                )
        return {"out": first}

    return infer


def _concat_infer(p, i):
    xs = i["in"]
    _at_least_two(xs, "Concatenate")
    first = xs[0]
    axis = p["axis"] + first.rank if p["axis"] < 0 else p["axis"]
    if not 1 <= axis < first.rank:
        raise ShapeError(
            f"Concatenate axis {p['axis']} is not a sample axis of {first.label()}",
            "use 1 (channels/features; channels-first numbering) or -1 (the last axis)",
        )
    for n, x in enumerate(xs[1:], start=2):
        if x.axes != first.axes or x.dtype != first.dtype:
            raise ShapeError(
                f"Concatenate needs inputs of the same kind: input 1 is {first.label()} {first.dtype}, "
                f"input {n} is {x.label()} {x.dtype}",
                "bring both branches to the same layout first (e.g. Flatten both)",
            )
        if any(x.dims[k] != first.dims[k] for k in range(1, first.rank) if k != axis):
            raise ShapeError(
                f"Concatenate along axis {axis} needs every other size equal: input 1 is {first.label()}, "
                f"input {n} is {x.label()}",
                f"make the sizes equal on every axis except {axis} (e.g. pool or pad one branch)",
            )
    dims = list(first.dims)
    dims[axis] = sum(x.dims[axis] for x in xs)
    return {"out": TensorType(tuple(dims), first.axes, first.dtype)}


ORDER = 80  # palette position of this family (graph/layers/__init__.py)

SPECS = [
    LayerSpec(
        "add",
        "Merge",
        "Add",
        "相加",
        "Adds two or more tensors of identical shape element by element (e.g. a residual connection).",
        "把两个或多个形状完全相同的张量逐元素相加（例如残差连接）。",
        params=(),
        inputs=MERGE_IN,
        outputs=MERGE_OUT,
        infer=_elementwise_infer("Add"),
        formula="y = x₁ + x₂ + … + x_n",
        icon="merge",
        extra={"base_name": "add"},
    ),
    LayerSpec(
        "multiply",
        "Merge",
        "Multiply",
        "逐元素相乘",
        "Multiplies two or more tensors of identical shape element by element (e.g. gating).",
        "把两个或多个形状完全相同的张量逐元素相乘（例如门控）。",
        params=(),
        inputs=MERGE_IN,
        outputs=MERGE_OUT,
        infer=_elementwise_infer("Multiply"),
        formula="y = x₁ ⊙ x₂ ⊙ … ⊙ x_n",
        icon="merge",
        extra={"base_name": "multiply"},
    ),
    LayerSpec(
        "concatenate",
        "Merge",
        "Concatenate",
        "拼接",
        "Joins two or more tensors along one axis; all other sizes must match. Axis 1 is the channels of an "
        "image (channels-first numbering).",
        "沿某个轴把两个或多个张量拼接起来，其余各轴的大小必须相同。轴 1 是图像的通道轴（通道在前编号）。",
        params=(
            int_param(
                "axis",
                1,
                "Axis to join along (channels-first numbering: 1 = channels or features; -1 = last axis).",
                "拼接所沿的轴（通道在前编号：1 为通道或特征轴；-1 为最后一轴）。",
                -8,
                8,
            ),
        ),
        inputs=MERGE_IN,
        outputs=MERGE_OUT,
        infer=_concat_infer,
        formula="y = [x₁, x₂, …, x_n] along the axis;  size = Σ sizes",
        icon="merge",
        extra={"base_name": "concat"},
        examples=(
            {"axis": 1},
            {"axis": -1},
            {"axis": 2},
        ),
    ),
]
