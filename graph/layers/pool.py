"""Pooling layers: MaxPool1D/2D/3D, AvgPool1D/2D/3D and global average/max pooling.

Output sizes follow PyTorch exactly, including ``ceil_mode`` (EQUIVALENCE §2.6). Max pools pad with
−inf (``extra["pad_value"]``), average pools with zeros.
"""

from __future__ import annotations

from graph.layers._common import bool_param, conv_out, expect_float, int_param, ints_param, same_pads
from graph.layers.conv import IMAGE, SIGNAL, VOLUME, expect_image, expect_signal, expect_volume
from graph.spec import IN, OUT, LayerSpec, ShapeError
from graph.tensors import TensorType, image, signal, vector, volume


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


AXIS_NAMES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}
EXPECT = {
    1: lambda x, layer, alt: expect_signal(x, layer, alt=alt),
    2: lambda x, layer, alt: expect_image(x, layer, alt=alt),
    3: lambda x, layer, alt: expect_volume(x, layer, alt=alt),
}
MAKE = {1: signal, 2: image, 3: volume}


def _windows(p: dict) -> tuple[list[int], list[int]]:
    """Pool sizes and strides as lists (the 1-D layers store single ints)."""
    if "pool_size" in p and isinstance(p["pool_size"], int):
        return [p["pool_size"]], [p["stride"]]
    return list(p["pool_size"]), list(p["strides"])


def _pool_infer(layer: str, dims: int, alt: str | None = None):
    """PyTorch's pooled size along each of the ``dims`` spatial axes (floor or ceil mode)."""

    def infer(p, i):
        x = EXPECT[dims](i["in"], layer, alt)
        k, s = _windows(p)
        pads = p["padding"]
        sizes = [
            pool_out(n, k[a], s[a], pads[2 * a], pads[2 * a + 1], p["ceil_mode"], f"{layer} along the {name}")
            for a, (n, name) in enumerate(zip(x.dims[2:], AXIS_NAMES[dims], strict=True))
        ]
        return {"out": MAKE[dims](x.dims[1], *sizes)}

    return infer


def _pool2d_infer(layer, alt=None):
    return _pool_infer(layer, 2, alt)


def _avgpool_infer(layer: str, dims: int, alt: str | None = None):
    """Like max pooling, refusing what the two frameworks would average differently (docs/equivalence.md)."""
    pooled = _pool_infer(layer, dims, alt)

    def infer(p, i):
        out = pooled(p, i)
        x: TensorType = i["in"]
        pads = p["padding"]
        per_axis = [(pads[a], pads[a + 1]) for a in range(0, len(pads), 2)]
        if p["ceil_mode"]:
            floor = pooled({**p, "ceil_mode": False}, i)["out"]
            if floor != out["out"]:
                raise ShapeError(
                    f"{layer}: with ceil_mode the last window hangs over the edge; PyTorch averages only its "
                    "inside part and Keras cannot express that",
                    "turn ceil_mode off, or add padding so that the windows fit the input exactly",
                )
        if any(b != a for b, a in per_axis) and (p["ceil_mode"] or not p["count_include_pad"]):
            raise ShapeError(
                f"{layer}: unequal padding needs count_include_pad on and ceil_mode off (PyTorch pads "
                "symmetrically; explicit zero padding is then averaged like the input)",
                "turn count_include_pad on and ceil_mode off, or use equal padding on both sides",
            )
        if not p["count_include_pad"] and any(b or a for b, a in per_axis):
            k, s = _windows(p)
            same = [same_pads(n, kk, ss) for n, kk, ss in zip(x.dims[2:], k, s, strict=True)]
            if same != per_axis:
                want = [v for pair in same for v in pair]
                raise ShapeError(
                    f"{layer}: padding {list(pads)} left out of the average is only possible in Keras where it "
                    f"equals TensorFlow's 'same' padding ({want} here)",
                    f"turn count_include_pad on, or set the padding to {want}",
                )
        return out

    return infer


def _global_infer(layer):
    def infer(p, i):
        x = i["in"]
        expect_float(x, layer)
        if x.axes in (IMAGE, SIGNAL, VOLUME):
            return {"out": vector(x.dims[1])}
        if x.axes == ("N", "T", "F"):  # pool over time: one feature vector per sequence
            return {"out": vector(x.dims[2])}
        if x.axes == ("N", "F"):
            fix = "remove it: the input is already one vector per sample"
        else:
            fix = "feed it a feature map (N, C, H, W), a volume (N, C, D, H, W), a signal (N, C, L) or a sequence"
        raise ShapeError(
            f"{layer} expects a feature map (N,C,H,W), a volume (N,C,D,H,W), a signal (N,C,L) or a sequence (N,T,F), "
            f"got {x.label()}",
            fix,
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


def _pool_size3():
    return ints_param(
        "pool_size",
        [2, 2, 2],
        "Window depth, height and width [kd, kh, kw].",
        "池化窗口的深、高、宽 [kd, kh, kw]。",
        length=3,
        minimum=1,
    )


def _strides3():
    return ints_param(
        "strides",
        [2, 2, 2],
        "Step of the window [sd, sh, sw]; usually equal to the pool size.",
        "窗口每次移动的步长 [sd, sh, sw]，通常与窗口大小相同。",
        length=3,
        minimum=1,
    )


def _count_include_pad():
    return bool_param(
        "count_include_pad",
        True,
        "Divide by the full window size, counting padded zeros (PyTorch default).",
        "求平均时把补的 0 也计入分母（PyTorch 默认）。",
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
        infer=_pool_infer("MaxPool1D", 1, alt="MaxPool2D"),
        formula="y[c, j] = max_{m < k} x[c, j·stride + m − pad_left];  "
        "L_out = ⌊(L + pad_left + pad_right − k) / stride⌋ + 1  (ceil_mode: ⌈…⌉ + 1, "
        "minus 1 if the last window would start in the right padding)",
        formula_tex=(
            r"y_{c,j} = \max_{0 \leq m < k}\, x_{c,u},\quad u = s j + m - p_l"
            "\n"
            r"L_{\mathrm{out}} = \left\lfloor \dfrac{L + p_l + p_r - k}{s} \right\rfloor + 1"
        ),
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
        formula_tex=(
            r"y_{c,i,j} = \max_{m,n}\, x_{c,u,v}"
            "\n"
            r"u = s_h i + m - p_t,\quad v = s_w j + n - p_l"
            "\n"
            r"H_{\mathrm{out}} = \left\lfloor \dfrac{H + p_t + p_b - k_h}{s_h} \right\rfloor + 1"
        ),
        icon="pool",
        extra={"base_name": "pool", "pad_value": "-inf"},
        examples=(
            {"pool_size": [3, 3], "strides": [2, 2], "padding": [1, 1, 1, 1]},
            {"pool_size": [3, 3], "strides": [2, 2], "ceil_mode": True},
            {"pool_size": [2, 2], "strides": [2, 2], "padding": [1, 0, 0, 1]},
        ),
    ),
    LayerSpec(
        "maxpool3d",
        "Pooling",
        "MaxPool3D",
        "三维最大池化",
        "Keeps the largest value in each 3-D window of a volume (N, C, D, H, W) (2×2×2 windows halve each size).",
        "在体数据 (N, C, D, H, W) 上取每个三维窗口中的最大值（2×2×2 窗口使各个尺寸减半）。",
        params=(
            _pool_size3(),
            _strides3(),
            _padding(
                6,
                "−∞ values added on each side [front, back, top, bottom, left, right]; at most half the pool size.",
                "在各面填充负无穷的个数 [前, 后, 上, 下, 左, 右]；不能超过窗口大小的一半。",
            ),
            _ceil_mode(),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_pool_infer("MaxPool3D", 3, alt="MaxPool2D"),
        formula="y[c, d, i, j] = max over the k_d×k_h×k_w window;  " + POOL_FORMULA + " (D likewise)",
        formula_tex=(
            r"y_{c,t,i,j} = \max_{l,m,n}\, x_{c,r,u,v}"
            "\n"
            r"r = s_d t + l - p_{\mathrm{front}},\quad u = s_h i + m - p_t,\quad v = s_w j + n - p_l"
            "\n"
            r"D_{\mathrm{out}} = \left\lfloor \dfrac{D + p_{\mathrm{front}} + p_{\mathrm{back}} - k_d}{s_d} \right\rfloor + 1"
        ),
        icon="pool",
        extra={"base_name": "pool", "pad_value": "-inf"},
        examples=(
            {"pool_size": [3, 3, 3], "strides": [2, 2, 2], "padding": [1, 1, 1, 1, 1, 1]},
            {"pool_size": [2, 2, 2], "strides": [2, 2, 2], "ceil_mode": True},
            {"pool_size": [2, 2, 2], "strides": [2, 2, 2], "padding": [1, 0, 0, 1, 1, 0]},
            {"pool_size": [1, 3, 2], "strides": [1, 2, 1]},
        ),
    ),
    LayerSpec(
        "avgpool1d",
        "Pooling",
        "AvgPool1D",
        "一维平均池化",
        "Replaces each window of a 1-D signal (N, C, L) by its average, shortening the signal.",
        "用每个窗口的平均值代替一维信号 (N, C, L) 上的该窗口，从而缩短信号。",
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
                "Zeros added at each end [left, right]; at most half the pool size.",
                "在两端补零的个数 [左, 右]；不能超过窗口长度的一半。",
            ),
            _count_include_pad(),
            _ceil_mode(),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_avgpool_infer("AvgPool1D", 1, alt="AvgPool2D"),
        formula="y[c, j] = (1/k) Σ_{m < k} x[c, j·stride + m − pad_left];  "
        "L_out = ⌊(L + pad_left + pad_right − k) / stride⌋ + 1",
        formula_tex=(
            r"y_{c,j} = \dfrac{1}{k} \sum_{m=0}^{k - 1} x_{c,u},\quad u = s j + m - p_l"
            "\n"
            r"L_{\mathrm{out}} = \left\lfloor \dfrac{L + p_l + p_r - k}{s} \right\rfloor + 1"
        ),
        icon="pool",
        extra={"base_name": "pool", "pad_value": "0"},
        examples=(
            {"pool_size": 3, "stride": 2, "padding": [1, 1]},
            {"pool_size": 3, "stride": 1, "padding": [1, 1], "count_include_pad": False},
            {"pool_size": 2, "stride": 2, "padding": [1, 0]},
            {"pool_size": 2, "stride": 2, "ceil_mode": True},
            {"pool_size": 3, "stride": 1},
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
            _count_include_pad(),
            _ceil_mode(),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_avgpool_infer("AvgPool2D", 2),
        formula="y[c, i, j] = mean over the k_h×k_w window;  " + POOL_FORMULA,
        formula_tex=(
            r"y_{c,i,j} = \dfrac{1}{k_h k_w} \sum_{m,n} x_{c,u,v}"
            "\n"
            r"u = s_h i + m - p_t,\quad v = s_w j + n - p_l"
            "\n"
            r"H_{\mathrm{out}} = \left\lfloor \dfrac{H + p_t + p_b - k_h}{s_h} \right\rfloor + 1"
        ),
        icon="pool",
        extra={"base_name": "pool", "pad_value": "0"},
        examples=(
            {"pool_size": [3, 3], "strides": [2, 2], "padding": [1, 1, 1, 1]},
            {"pool_size": [3, 3], "strides": [1, 1], "padding": [1, 1, 1, 1], "count_include_pad": False},
        ),
    ),
    LayerSpec(
        "avgpool3d",
        "Pooling",
        "AvgPool3D",
        "三维平均池化",
        "Replaces each 3-D window of a volume (N, C, D, H, W) by its average, shrinking the volume.",
        "用每个三维窗口的平均值代替体数据 (N, C, D, H, W) 上的该窗口，从而缩小体数据。",
        params=(
            _pool_size3(),
            _strides3(),
            _padding(
                6,
                "Zeros added on each side [front, back, top, bottom, left, right]; at most half the pool size.",
                "在各面补零的个数 [前, 后, 上, 下, 左, 右]；不能超过窗口大小的一半。",
            ),
            _count_include_pad(),
            _ceil_mode(),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_avgpool_infer("AvgPool3D", 3, alt="AvgPool2D"),
        formula="y[c, d, i, j] = mean over the k_d×k_h×k_w window;  " + POOL_FORMULA + " (D likewise)",
        formula_tex=(
            r"y_{c,t,i,j} = \dfrac{1}{k_d k_h k_w} \sum_{l,m,n} x_{c,r,u,v}"
            "\n"
            r"r = s_d t + l - p_{\mathrm{front}},\quad u = s_h i + m - p_t,\quad v = s_w j + n - p_l"
            "\n"
            r"D_{\mathrm{out}} = \left\lfloor \dfrac{D + p_{\mathrm{front}} + p_{\mathrm{back}} - k_d}{s_d} \right\rfloor + 1"
        ),
        icon="pool",
        extra={"base_name": "pool", "pad_value": "0"},
        examples=(
            {"pool_size": [3, 3, 3], "strides": [2, 2, 2], "padding": [1, 1, 1, 1, 1, 1]},
            {"pool_size": [3, 3, 3], "strides": [1, 1, 1], "padding": [1, 1, 1, 1, 1, 1], "count_include_pad": False},
            {"pool_size": [2, 2, 2], "strides": [2, 2, 2], "padding": [1, 0, 0, 1, 1, 0]},
            {"pool_size": [2, 3, 1], "strides": [2, 3, 1], "ceil_mode": True},
            {"pool_size": [1, 3, 2], "strides": [1, 2, 1]},
        ),
    ),
    LayerSpec(
        "global_avg_pool",
        "Pooling",
        "Global Average Pooling",
        "全局平均池化",
        "Averages each channel over all positions: (N, C, H, W), (N, C, D, H, W) or (N, C, L) becomes (N, C); "
        "a sequence (N, T, F) is averaged over time.",
        "把每个通道在所有位置上求平均：(N, C, H, W)、(N, C, D, H, W) 或 (N, C, L) 变为 (N, C)；"
        "序列 (N, T, F) 则沿时间求平均。",
        params=(),
        inputs=IN,
        outputs=OUT,
        infer=_global_infer("Global Average Pooling"),
        formula="y[c] = (1 / (H·W)) Σ_{h,w} x[c, h, w]",
        formula_tex=r"y_c = \dfrac{1}{H W} \sum_{h=1}^{H} \sum_{w=1}^{W} x_{c,h,w}",
        icon="pool",
        extra={"base_name": "gap"},
    ),
    LayerSpec(
        "global_max_pool",
        "Pooling",
        "Global Max Pooling",
        "全局最大池化",
        "Keeps the largest value of each channel: (N, C, H, W), (N, C, D, H, W) or (N, C, L) becomes (N, C); "
        "a sequence (N, T, F) keeps its largest value over time.",
        "取每个通道在所有位置上的最大值：(N, C, H, W)、(N, C, D, H, W) 或 (N, C, L) 变为 (N, C)；"
        "序列 (N, T, F) 则沿时间取最大值。",
        params=(),
        inputs=IN,
        outputs=OUT,
        infer=_global_infer("Global Max Pooling"),
        formula="y[c] = max_{h,w} x[c, h, w]",
        formula_tex=r"y_c = \max_{h,w}\, x_{c,h,w}",
        icon="pool",
        extra={"base_name": "gmp"},
    ),
]
