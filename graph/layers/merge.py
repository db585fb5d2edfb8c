"""Merge layers: element-wise Add, Subtract, Multiply, Average, Maximum and Minimum, and Concatenate.

Add, Multiply, Average, Maximum, Minimum and Concatenate have one variadic input port ``in`` taking two or
more tensors, in edge order; Subtract has two ports, ``a`` and ``b`` (``a − b``). The element-wise layers
broadcast like NumPy in the graph's channels-first layout: a size of 1 is repeated to match the other input.
Both inputs must have the same layout (same rank and axis names), so that the channels-last Keras storage
lines the axes up the same way: an (N, C) vector is reshaped to (C, 1, 1) before it scales an (N, C, H, W)
feature map (squeeze-and-excitation).
"""

from __future__ import annotations

from graph.layers._common import expect_float, int_param
from graph.spec import LayerSpec, Port, ShapeError
from graph.tensors import TensorType, generic

MERGE_IN = (Port("in", "Two or more tensors.", variadic=True),)
MERGE_OUT = (Port("out"),)
SUBTRACT_IN = (Port("a", "The tensor subtracted from."), Port("b", "The tensor subtracted."))


def _at_least_two(xs: list[TensorType], layer: str) -> None:
    if len(xs) < 2:
        raise ShapeError(f"{layer} needs at least 2 inputs, got {len(xs)}", f"connect another layer to {layer}")


def _rank_fix(low: TensorType, high: TensorType, low_name: str) -> str:
    """How to give the lower-rank input the other's layout: a Reshape with 1s where it should repeat."""
    ones = (1,) * (high.rank - low.rank)
    target = low.features + ones if high.channels_first else ones + low.features
    if generic(target).axes == high.axes:
        return (
            f"insert Reshape to {list(target)} on input {low_name} first, so its sizes of 1 repeat over "
            f"{high.label()} (as in squeeze-and-excitation: GlobalAvgPool → Dense → Reshape → Multiply)"
        )
    return (
        f"give input {low_name} the layout ({','.join(high.axes)}) too: keep the reduced axes with size 1 "
        "(ReduceMean with Keep dims instead of a global pool) rather than dropping them"
    )


def broadcast(xs: list[TensorType], names: list[str], layer: str) -> TensorType:
    """The NumPy broadcast of ``xs`` in the logical layout, or ShapeError (same rank and layout required)."""
    for x in xs:
        expect_float(x, layer)
    first = xs[0]
    for name, x in zip(names[1:], xs[1:], strict=True):
        if x.rank != first.rank:
            low, high, low_name = (x, first, name) if x.rank < first.rank else (first, x, names[0])
            raise ShapeError(
                f"{layer} needs inputs of the same rank: input {names[0]} is {first.label()}, input {name} is "
                f"{x.label()} (Keras stores channels last, so aligning the trailing axes would pair different "
                "axes there)",
                _rank_fix(low, high, low_name),
            )
        if x.axes != first.axes:
            raise ShapeError(
                f"{layer} needs inputs of the same layout: input {names[0]} is {first.label()}, input {name} is "
                f"{x.label()} (Keras stores them in different axis orders)",
                "bring both branches to the same layout first (e.g. Flatten both, or keep reduced axes with "
                "ReduceMean and Keep dims)",
            )
    dims: list = list(first.dims)
    for n, (name, x) in enumerate(zip(names[1:], xs[1:], strict=True), start=1):
        so_far = TensorType(tuple(dims), first.axes, first.dtype)
        for k in range(1, first.rank):
            d, e = dims[k], x.dims[k]
            if d == e or e == 1:
                continue
            if d == 1:
                dims[k] = e
                continue
            before = f"input {names[0]} is" if n == 1 else f"inputs {', '.join(names[:n])} broadcast to"
            raise ShapeError(
                f"{layer} needs sizes that are equal or 1 on every axis: {before} {so_far.label()}, input {name} "
                f"is {x.label()} (axis {k}: {d} vs {e})",
                "make the shapes equal (e.g. a 1×1 Conv2D or Dense on one branch), reduce one side to size 1 on "
                "that axis, or use Concatenate",
            )
    return TensorType(tuple(dims), first.axes, first.dtype)


def _elementwise_infer(layer):
    def infer(p, i):
        xs = i["in"]
        _at_least_two(xs, layer)
        return {"out": broadcast(xs, [str(n) for n in range(1, len(xs) + 1)], layer)}

    return infer


def _subtract_infer(p, i):
    return {"out": broadcast([i["a"], i["b"]], ["a", "b"], "Subtract")}


_BROADCASTS = " Sizes of 1 are repeated to match (broadcasting; same layout required)."
_BROADCASTS_ZH = "大小为 1 的轴会重复以匹配另一输入（广播；要求布局相同）。"


def _merge_spec(
    type_id, name, zh, summary, summary_zh, formula, formula_tex="", infer=None, inputs=MERGE_IN, base=None
):
    return LayerSpec(
        type_id,
        "Merge",
        name,
        zh,
        summary,
        summary_zh,
        params=(),
        inputs=inputs,
        outputs=MERGE_OUT,
        infer=infer or _elementwise_infer(name),
        formula=formula,
        formula_tex=formula_tex,
        icon="merge",
        extra={"base_name": base or type_id},
    )


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
    _merge_spec(
        "add",
        "Add",
        "相加",
        "Adds two or more tensors element by element (e.g. a residual connection)." + _BROADCASTS,
        "把两个或多个张量逐元素相加（例如残差连接）。" + _BROADCASTS_ZH,
        "y = x₁ + x₂ + … + x_n",
        formula_tex=r"y = x_1 + x_2 + \cdots + x_n",
    ),
    _merge_spec(
        "multiply",
        "Multiply",
        "逐元素相乘",
        "Multiplies two or more tensors element by element (e.g. gating, or squeeze-and-excitation scaling "
        "with a (C, 1, 1) input)." + _BROADCASTS,
        "把两个或多个张量逐元素相乘（例如门控，或用 (C, 1, 1) 的输入做 squeeze-and-excitation 缩放）。"
        + _BROADCASTS_ZH,
        "y = x₁ ⊙ x₂ ⊙ … ⊙ x_n",
        formula_tex=r"y = x_1 \odot x_2 \odot \cdots \odot x_n",
    ),
    _merge_spec(
        "subtract",
        "Subtract",
        "相减",
        "Subtracts input b from input a element by element; the order of the ports matters." + _BROADCASTS,
        "把输入 a 逐元素减去输入 b；两个端口的顺序有意义。" + _BROADCASTS_ZH,
        "y = a − b",
        formula_tex=r"y = a - b",
        infer=_subtract_infer,
        inputs=SUBTRACT_IN,
    ),
    _merge_spec(
        "average",
        "Average",
        "平均",
        "The element-wise mean of two or more tensors (e.g. an ensemble of branches)." + _BROADCASTS,
        "两个或多个张量的逐元素平均（例如多个分支的集成）。" + _BROADCASTS_ZH,
        "y = (x₁ + x₂ + … + x_n) / n",
        formula_tex=r"y = \dfrac{1}{n} (x_1 + x_2 + \cdots + x_n)",
    ),
    _merge_spec(
        "maximum",
        "Maximum",
        "逐元素最大值",
        "The element-wise maximum of two or more tensors." + _BROADCASTS,
        "两个或多个张量的逐元素最大值。" + _BROADCASTS_ZH,
        "y = max(x₁, x₂, …, x_n)  element by element",
        formula_tex=r"y = \max(x_1, x_2, \ldots, x_n)",
    ),
    _merge_spec(
        "minimum",
        "Minimum",
        "逐元素最小值",
        "The element-wise minimum of two or more tensors." + _BROADCASTS,
        "两个或多个张量的逐元素最小值。" + _BROADCASTS_ZH,
        "y = min(x₁, x₂, …, x_n)  element by element",
        formula_tex=r"y = \min(x_1, x_2, \ldots, x_n)",
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
        formula_tex=r"y = [x_1, x_2, \ldots, x_n],\quad d_y = \sum_{k=1}^{n} d_k",
        icon="merge",
        extra={"base_name": "concat"},
        examples=(
            {"axis": 1},
            {"axis": -1},
            {"axis": 2},
        ),
    ),
]
