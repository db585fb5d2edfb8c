"""Pooling layers: MaxPool1D/2D, AvgPool2D and global average/max pooling.

Output sizes follow PyTorch exactly, including ``ceil_mode`` (EQUIVALENCE §2.6). Max pools pad with
−inf (``extra["pad_value"]``), average pools with zeros.
"""

from __future__ import annotations

from graph.layers._common import bool_param, conv_out, expect_float, int_param, ints_param
from graph.layers.conv import IMAGE, SIGNAL, expect_image, expect_signal
from graph.spec import IN, OUT, LayerSpec, ShapeError
from graph.tensors import image, signal, vector


def pool_out(size: int, k: int, s: int, before: int, after: int, ceil_mode: bool, where: str) -> int:
    """PyTorch's pooling output length along one axis (``pooling_output_shape``), with per-side padding."""
    if 2 * max(before, after) > k:
        raise ShapeError(
            f"{where}: padding {max(before, after)} is more than half the pool size {k} (PyTorch refuses it)",
            f"use padding of at most {k // 2}, or a larger pool size",
        )
    out = conv_out(size, k, s, before + after, layer=where)
    if ceil_mode:
        out = -(-(size + before + after - k) // s) + 1
        if (out - 1) * s >= size + before:  # the last window must start inside the input or the left padding
            out -= 1
    return out


def _pool2d_infer(layer, alt=None):
    def infer(p, i):
        x = expect_image(i["in"], layer, alt=alt)
        (kh, kw), (sh, sw), (t, b, left, right) = p["pool_size"], p["strides"], p["padding"]
        h = pool_out(x.dims[2], kh, sh, t, b, p["ceil_mode"], f"{layer} along the height")
        w = pool_out(x.dims[3], kw, sw, left, right, p["ceil_mode"], f"{layer} along the width")
        return {"out": image(x.dims[1], h, w)}

    return infer


def _avgpool2d_infer(p, i):
    """Like MaxPool2D, refusing what the two frameworks would average differently (docs/equivalence.md)."""
    out = _pool2d_infer("AvgPool2D")(p, i)
    t, b, left, right = p["padding"]
    if p["ceil_mode"]:
        floor = _pool2d_infer("AvgPool2D")({**p, "ceil_mode": False}, i)["out"]
        if floor != out["out"]:
            raise ShapeError(
                "AvgPool2D: with ceil_mode the last window hangs over the edge; PyTorch averages only its inside "
                "part and Keras cannot express that",
                "turn ceil_mode off, or add padding so that the windows fit the input exactly",
            )
    if (t, left) != (b, right) and (p["ceil_mode"] or not p["count_include_pad"]):
        raise ShapeError(
            "AvgPool2D: unequal padding needs count_include_pad on and ceil_mode off (PyTorch pads symmetrically; "
            "explicit zero padding is then averaged like the input)",
            "turn count_include_pad on and ceil_mode off, or use equal padding on both sides",
        )
    return out


def _maxpool1d_infer(p, i):
    x = expect_signal(i["in"], "MaxPool1D", alt="MaxPool2D")
    left, right = p["padding"]
    length = pool_out(x.dims[2], p["pool_size"], p["stride"], left, right, p["ceil_mode"], "MaxPool1D")
    return {"out": signal(x.dims[1], length)}


def _global_infer(layer):
    def infer(p, i):
        x = i["in"]
        expect_float(x, layer)
        if x.axes in (IMAGE, SIGNAL):
            return {"out": vector(x.dims[1])}
        if x.axes == ("N", "T", "F"):  # pool over time: one feature vector per sequence
            return {"out": vector(x.dims[2])}
        if x.axes == ("N", "F"):
            fix = "remove it: the input is already one vector per sample"
        else:
            fix = "feed it a feature map (N, C, H, W), a signal (N, C, L) or a sequence (N, T, F)"
        raise ShapeError(
            f"{layer} expects a feature map (N,C,H,W), a signal (N,C,L) or a sequence (N,T,F), got {x.label()}", fix
        )

    return infer


def _pool_size2():
    return ints_param(
        "pool_size", [2, 2], "Window height and width [kh, kw].", "池化窗口的高和宽 [kh, kw]。", length=2, minimum=1
    )


def _strides2():
    return ints_param(
        "strides",
        [2, 2],
        "Step of the window [sh, sw]; usually equal to the pool size.",
        "窗口每次移动的步长 [sh, sw]，通常与窗口大小相同。",
        length=2,
        minimum=1,
    )


def _padding(n, doc, doc_zh):
    return ints_param("padding", [0] * n, doc, doc_zh, length=n, minimum=0)


def _ceil_mode():
    return bool_param(
        "ceil_mode",
        False,
        "Round the output size up, so a last partial window is kept (PyTorch rule).",
        "输出尺寸向上取整，保留末尾不完整的窗口（PyTorch 规则）。",
    )


POOL_FORMULA = (
    "H_out = ⌊(H + pad_top + pad_bottom − k) / stride⌋ + 1;  with ceil_mode: ⌈…⌉ + 1, "
    "minus 1 if the last window would start in the bottom padding   (W likewise)"
)

ORDER = 40  # palette position of this family (graph/layers/__init__.py)

SPECS = [
    LayerSpec(
        "maxpool1d",
        "Pooling",
        "MaxPool1D",
        "一维最大池化",
        "Keeps the largest value in each window along a 1-D signal (N, C, L).",
        "在一维信号 (N, C, L) 上取每个窗口中的最大值。",
        params=(
            int_param("pool_size", 2, "Window length.", "池化窗口长度。", 1, 100_000),
            int_param(
                "stride",
                2,
                "Step of the window; usually equal to the pool size.",
                "窗口移动的步长，通常与窗口长度相同。",
                1,
                100_000,
            ),
            _padding(
                2,
                "−∞ values added at each end [left, right]; at most half the pool size.",
                "在两端填充负无穷的个数 [左, 右]；不能超过窗口长度的一半。",
            ),
            _ceil_mode(),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_maxpool1d_infer,
        formula="y[c, j] = max_{m < k} x[c, j·stride + m − pad_left];  "
        "L_out = ⌊(L + pad_left + pad_right − k) / stride⌋ + 1  (ceil_mode: ⌈…⌉ + 1, "
        "minus 1 if the last window would start in the right padding)",
        icon="pool",
        extra={"base_name": "pool", "pad_value": "-inf"},
        examples=(
            {"pool_size": 3, "stride": 2, "ceil_mode": True},
            {"pool_size": 3, "stride": 2, "padding": [1, 1]},
        ),
    ),
    LayerSpec(
        "maxpool2d",
        "Pooling",
        "MaxPool2D",
        "二维最大池化",
        "Keeps the largest value in each window, shrinking the image (2×2 windows halve it).",
        "取每个窗口中的最大值，从而缩小图像（2×2 窗口使尺寸减半）。",
        params=(
            _pool_size2(),
            _strides2(),
            _padding(
                4,
                "−∞ values added on each side [top, bottom, left, right]; at most half the pool size.",
                "在四周填充负无穷的行数/列数 [上, 下, 左, 右]；不能超过窗口大小的一半。",
            ),
            _ceil_mode(),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_pool2d_infer("MaxPool2D", alt="MaxPool1D"),
        formula="y[c, i, j] = max over the k_h×k_w window;  " + POOL_FORMULA,
        icon="pool",
        extra={"base_name": "pool", "pad_value": "-inf"},
        examples=(
            {"pool_size": [3, 3], "strides": [2, 2], "padding": [1, 1, 1, 1]},
            {"pool_size": [3, 3], "strides": [2, 2], "ceil_mode": True},
            {"pool_size": [2, 2], "strides": [2, 2], "padding": [1, 0, 0, 1]},
        ),
    ),
    LayerSpec(
        "avgpool2d",
        "Pooling",
        "AvgPool2D",
        "二维平均池化",
        "Replaces each window by its average, shrinking the image.",
        "用每个窗口的平均值代替该窗口，从而缩小图像。",
        params=(
            _pool_size2(),
            _strides2(),
            _padding(
                4,
                "Zeros added on each side [top, bottom, left, right]; at most half the pool size.",
                "在四周补零的行数/列数 [上, 下, 左, 右]；不能超过窗口大小的一半。",
            ),
            bool_param(
                "count_include_pad",
                True,
                "Divide by the full window size, counting padded zeros (PyTorch default).",
                "求平均时把补的 0 也计入分母（PyTorch 默认）。",
            ),
            _ceil_mode(),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_avgpool2d_infer,
        formula="y[c, i, j] = mean over the k_h×k_w window;  " + POOL_FORMULA,
        icon="pool",
        extra={"base_name": "pool", "pad_value": "0"},
        examples=(
            {"pool_size": [3, 3], "strides": [2, 2], "padding": [1, 1, 1, 1]},
            {"pool_size": [3, 3], "strides": [1, 1], "padding": [1, 1, 1, 1], "count_include_pad": False},
        ),
    ),
    LayerSpec(
        "global_avg_pool",
        "Pooling",
        "Global Average Pooling",
        "全局平均池化",
        "Averages each channel over all positions: (N, C, H, W) or (N, C, L) becomes (N, C).",
        "把每个通道在所有位置上求平均：(N, C, H, W) 或 (N, C, L) 变为 (N, C)。",
        params=(),
        inputs=IN,
        outputs=OUT,
        infer=_global_infer("Global Average Pooling"),
        formula="y[c] = (1 / (H·W)) Σ_{h,w} x[c, h, w]",
        icon="pool",
        extra={"base_name": "gap"},
    ),
    LayerSpec(
        "global_max_pool",
        "Pooling",
        "Global Max Pooling",
        "全局最大池化",
        "Keeps the largest value of each channel: (N, C, H, W) or (N, C, L) becomes (N, C).",
        "取每个通道在所有位置上的最大值：(N, C, H, W) 或 (N, C, L) 变为 (N, C)。",
        params=(),
        inputs=IN,
        outputs=OUT,
        infer=_global_infer("Global Max Pooling"),
        formula="y[c] = max_{h,w} x[c, h, w]",
        icon="pool",
        extra={"base_name": "gmp"},
    ),
]
