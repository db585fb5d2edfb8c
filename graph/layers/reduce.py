"""Reductions over one logical axis: ReduceMean and ReduceMax (channels-first axis numbering).

With Keep dims the reduced axis stays with size 1 and the layout is unchanged. Without it the result
takes the layout whose storage order in Keras (channels last) is the order the remaining axes already
have there, so both scripts hold the same numbers in the same places: an image without its channels is a
sequence (N, T=H, F=W); without its height or width it is a signal (N, C, L); a signal or sequence
without one axis is a vector (N, F). A result that no layout stores that way is refused.
"""

from __future__ import annotations

from graph.layers._common import bool_param, expect_float, int_param
from graph.spec import IN, OUT, LayerSpec, ShapeError
from graph.tensors import CHANNELS_FIRST, TensorType

# The layouts a reduction may produce, by rank (batch included).
LAYOUTS = {
    2: (("N", "F"),),
    3: (("N", "T", "F"), ("N", "C", "L")),
    4: (("N", "C", "H", "W"),),
    5: (("N", "C", "D", "H", "W"),),
}


def _storage(axes: tuple[str, ...]) -> list[int]:
    """Logical axes in Keras storage order (channels last), as codegen/layout.py ``stored_axes``."""
    if axes in CHANNELS_FIRST:
        return [0, *range(2, len(axes)), 1]
    return list(range(len(axes)))


def sample_axis(x: TensorType, axis: int, layer: str) -> int:
    """``axis`` as a positive sample axis of ``x`` (1 … rank − 1), or ShapeError."""
    if not (1 <= axis < x.rank or -x.rank < axis <= -1):
        raise ShapeError(
            f"{layer} axis {axis} is not a sample axis of {x.label()}",
            f"use an axis from 1 to {x.rank - 1} (channels-first numbering) or -1 (the last axis)",
        )
    return axis % x.rank


def reduced_type(x: TensorType, axis: int) -> TensorType | None:
    """The result of dropping logical ``axis`` of ``x``, in the layout Keras already stores it in; else None."""
    keep = [k for k in range(x.rank) if k != axis]
    stored = [k for k in _storage(x.axes) if k != axis]  # the remaining axes, in Keras storage order
    for axes in LAYOUTS.get(len(keep), ()):
        if [keep[k] for k in _storage(axes)] == stored:
            return TensorType(tuple(x.dims[k] for k in keep), axes, x.dtype)
    return None


def _reduce_infer(layer: str):
    def infer(p, i):
        x = i["in"]
        expect_float(x, layer)
        axis = sample_axis(x, p["axis"], layer)
        if p["keepdims"]:
            dims = list(x.dims)
            dims[axis] = 1
            return {"out": TensorType(tuple(dims), x.axes, x.dtype)}
        out = reduced_type(x, axis)
        if out is None:
            left = ",".join(a for k, a in enumerate(x.axes) if k != axis)
            raise ShapeError(
                f"{layer} over axis {axis} ({x.axes[axis]}) of {x.label()} leaves ({left}), which is not a layout "
                "both frameworks store alike (vector, sequence, signal, feature map or volume)",
                "turn on Keep dims (the axis stays, with size 1), or reduce another axis",
            )
        return {"out": out}

    return infer


def _params():
    return (
        int_param(
            "axis",
            -1,
            "Axis to reduce (channels-first numbering: 1 = channels or the first sample axis; -1 = last axis).",
            "要归约的轴（通道在前编号：1 为通道或第一个样本轴；-1 为最后一轴）。",
            -8,
            8,
        ),
        bool_param(
            "keepdims",
            False,
            "Keep the reduced axis with size 1 (the layout stays the same, e.g. to broadcast against the input).",
            "保留被归约的轴，大小为 1（布局不变，例如便于与输入广播运算）。",
            label="Keep dims",
        ),
    )


_LAYOUT_NOTE = (
    " Without Keep dims the remaining axes form a vector, sequence or signal: an image without its channels "
    "becomes a sequence of its rows (N, H, W); without its height or width, a signal (N, C, L)."
)
_LAYOUT_NOTE_ZH = (
    "不保留维度时，剩余的轴构成向量、序列或信号：去掉通道的图像成为按行排列的序列 (N, H, W)；"
    "去掉高或宽的图像成为信号 (N, C, L)。"
)

_EXAMPLES = (
    {"axis": 1},
    {"axis": 2},
    {"axis": 1, "keepdims": True},
)

ORDER = 75  # palette position of this family (graph/layers/__init__.py)

SPECS = [
    LayerSpec(
        "reduce_mean",
        "Core",
        "ReduceMean",
        "沿轴求均值",
        "The mean over one axis of each sample (e.g. over the channels, or over time)." + _LAYOUT_NOTE,
        "对每个样本沿一个轴求平均（例如沿通道或沿时间）。" + _LAYOUT_NOTE_ZH,
        params=_params(),
        inputs=IN,
        outputs=OUT,
        infer=_reduce_infer("ReduceMean"),
        formula="y = (1/n) Σ_k x_k   over the n entries of the axis",
        formula_tex=r"y = \dfrac{1}{n} \sum_{k=1}^{n} x_k",
        icon="pool",
        extra={"base_name": "reduce_mean"},
        examples=_EXAMPLES,
    ),
    LayerSpec(
        "reduce_max",
        "Core",
        "ReduceMax",
        "沿轴求最大值",
        "The maximum over one axis of each sample (e.g. over the channels, or over time)." + _LAYOUT_NOTE,
        "对每个样本沿一个轴求最大值（例如沿通道或沿时间）。" + _LAYOUT_NOTE_ZH,
        params=_params(),
        inputs=IN,
        outputs=OUT,
        infer=_reduce_infer("ReduceMax"),
        formula="y = max_k x_k   over the entries of the axis",
        formula_tex=r"y = \max_{1 \leq k \leq n}\, x_k",
        icon="pool",
        extra={"base_name": "reduce_max"},
        examples=_EXAMPLES,
    ),
]
