"""Convolution layers (Conv1D/2D/3D, depthwise and separable, transposed) plus up-sampling, padding, cropping.

Padding is always stored resolved per side (``[front, back, top, bottom, left, right]``,
``[top, bottom, left, right]`` or ``[left, right]``), never as 'same'. The shape helpers here are
shared with ``graph.layers.pool``.
"""

from __future__ import annotations

import math

from graph import fixes
from graph.layers._common import (
    choice_param,
    conv_out,
    expect_float,
    int_param,
    ints_param,
    same_pads,
    use_bias_param,
)
from graph.spec import IN, OUT, LayerSpec, ShapeError
from graph.tensors import TensorType, image, signal, volume

IMAGE = ("N", "C", "H", "W")
SIGNAL = ("N", "C", "L")
VOLUME = ("N", "C", "D", "H", "W")

# ----------------------------------------------------------------------------- input checks


def expect_image(x: TensorType, layer: str, alt: str | None = None) -> TensorType:
    """Return ``x`` if it is an image (N,C,H,W); else raise ShapeError with a fix for its layout."""
    expect_float(x, layer)
    if x.axes == IMAGE:
        return x
    action = None
    if x.axes == SIGNAL:
        fix = f"use {alt} for 1-D signals" if alt else "insert Reshape to (C, H, W) before it"
    elif x.axes == VOLUME:
        fix = "use a 3-D layer (Conv3D, MaxPool3D, AvgPool3D) for volumes"
    elif x.axes == ("N", "F"):
        side = math.isqrt(x.last)
        example = f"[1, {side}, {side}]" if side * side == x.last else "[1, H, W]"
        fix = f"insert Reshape to (C, H, W) before {layer}, e.g. {example} for a flattened grey image"
        if side * side == x.last:
            action = fixes.insert_before("reshape", {"target_shape": [1, side, side]})
    else:
        fix = f"insert Reshape to (C, H, W) before {layer}"
    raise ShapeError(f"{layer} expects an image (N,C,H,W), got {x.label()}", fix, action=action)


def expect_signal(x: TensorType, layer: str, alt: str) -> TensorType:
    """Return ``x`` if it is a channels-first signal (N,C,L); else raise ShapeError with a fix."""
    expect_float(x, layer)
    if x.axes == SIGNAL:
        return x
    if x.axes == IMAGE:
        fix = f"use {alt} for images"
    elif x.axes == ("N", "T", "F"):
        fix = "a sequence keeps its features last; use an LSTM/GRU layer for sequences"
    else:
        fix = f"feed {layer} a channels-first signal (N, C, L)"
    raise ShapeError(f"{layer} expects a channels-first signal (N,C,L), got {x.label()}", fix)


def expect_volume(x: TensorType, layer: str, alt: str) -> TensorType:
    """Return ``x`` if it is a channels-first volume (N,C,D,H,W); else raise ShapeError with a fix."""
    expect_float(x, layer)
    if x.axes == VOLUME:
        return x
    if x.axes == IMAGE:
        fix = f"use {alt} for images"
    else:
        fix = f"feed {layer} a volume (N, C, D, H, W), e.g. from a Volume Input"
    raise ShapeError(f"{layer} expects a volume (N,C,D,H,W), got {x.label()}", fix)


def check_keras_stride_dilation(strides, dilation, layer: str) -> None:
    """Keras refuses strides > 1 together with dilation > 1 (torch allows it)."""
    if max(strides) > 1 and max(dilation) > 1:
        raise ShapeError(
            f"{layer}: strides {list(strides)} with dilation {list(dilation)} cannot be expressed in Keras "
            "(Keras does not allow stride > 1 together with dilation > 1)",
            "use stride 1 or dilation 1 (for example a dilated layer with stride 1 followed by a pooling layer)",
        )


def axis_out(size, k, s, before, after, d, layer, axis_name) -> int:
    """Floor-mode output length along one named axis."""
    return conv_out(size, k, s, before + after, d, layer=f"{layer} along the {axis_name}")


def spatial_out(x: TensorType, kernel, strides, pads, dilation, layer: str) -> list[int]:
    """Floor-mode output sizes along every spatial axis of ``x``; ``pads`` per side, axis by axis."""
    names = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}[x.rank - 2]
    return [
        axis_out(n, k, s, pads[2 * a], pads[2 * a + 1], d, layer, names[a])
        for a, (n, k, s, d) in enumerate(zip(x.dims[2:], kernel, strides, dilation, strict=True))
    ]


def check_groups(channels: int, filters: int, groups: int, layer: str) -> None:
    if channels % groups or filters % groups:
        raise ShapeError(
            f"{layer}: groups={groups} must divide both the input channels ({channels}) and filters ({filters})",
            "choose a groups value that divides both (groups=1 is an ordinary convolution)",
        )


# ----------------------------------------------------------------------------- parameters


def _filters(default):
    doc_zh = "输出通道数，即卷积核的个数。"
    return int_param("filters", default, "Number of output channels (kernels).", doc_zh, 1, 100_000)


def _kernel2(default=(3, 3)):
    return ints_param(
        "kernel_size", default, "Kernel height and width [kh, kw].", "卷积核的高和宽 [kh, kw]。", length=2, minimum=1
    )


def _strides2(default=(1, 1)):
    return ints_param(
        "strides",
        default,
        "Step of the kernel [sh, sw]; 2 roughly halves the output size.",
        "卷积核每次移动的步长 [sh, sw]；取 2 时输出尺寸约减半。",
        length=2,
        minimum=1,
    )


def _padding4(default=(0, 0, 0, 0), doc=None, doc_zh=None):
    return ints_param(
        "padding",
        default,
        doc or "Zeros added on each side [top, bottom, left, right].",
        doc_zh or "在四周补零的行数/列数 [上, 下, 左, 右]。",
        length=4,
        minimum=0,
    )


def _dilation2():
    return ints_param(
        "dilation",
        [1, 1],
        "Spacing between kernel taps [dh, dw]; >1 widens the view without adding weights.",
        "卷积核元素之间的间隔 [dh, dw]（空洞卷积）；大于 1 时不增加参数就能扩大感受野。",
        length=2,
        minimum=1,
    )


def _kernel3(default=(3, 3, 3)):
    return ints_param(
        "kernel_size",
        default,
        "Kernel depth, height and width [kd, kh, kw].",
        "卷积核的深、高、宽 [kd, kh, kw]。",
        length=3,
        minimum=1,
    )


def _strides3(default=(1, 1, 1)):
    return ints_param(
        "strides",
        default,
        "Step of the kernel [sd, sh, sw]; 2 roughly halves the output size.",
        "卷积核每次移动的步长 [sd, sh, sw]；取 2 时输出尺寸约减半。",
        length=3,
        minimum=1,
    )


def _padding6(default=(0, 0, 0, 0, 0, 0)):
    return ints_param(
        "padding",
        default,
        "Zeros added on each side [front, back, top, bottom, left, right].",
        "在各面补零的层数/行数/列数 [前, 后, 上, 下, 左, 右]。",
        length=6,
        minimum=0,
    )


def _dilation3():
    return ints_param(
        "dilation",
        [1, 1, 1],
        "Spacing between kernel taps [dd, dh, dw]; >1 widens the view without adding weights.",
        "卷积核元素之间的间隔 [dd, dh, dw]（空洞卷积）；大于 1 时不增加参数就能扩大感受野。",
        length=3,
        minimum=1,
    )


def _depth_multiplier():
    return int_param(
        "depth_multiplier",
        1,
        "Output channels per input channel: each input channel gets this many kernels of its own.",
        "每个输入通道对应的输出通道数：每个输入通道各有这么多个自己的卷积核。",
        1,
        4096,
    )


def _crop_check(size: int, before: int, after: int, layer: str, axis_name: str) -> int:
    if before + after >= size:
        raise ShapeError(
            f"{layer}: cropping {before}+{after} removes the whole {axis_name} ({size})",
            f"crop at most {size - 1} in total along the {axis_name}",
        )
    return size - before - after


# ----------------------------------------------------------------------------- Conv2D


def _conv2d_infer(p, i):
    x = expect_image(i["in"], "Conv2D", alt="Conv1D")
    check_groups(x.dims[1], p["filters"], p["groups"], "Conv2D")
    check_keras_stride_dilation(p["strides"], p["dilation"], "Conv2D")
    (kh, kw), (sh, sw), (dh, dw) = p["kernel_size"], p["strides"], p["dilation"]
    t, b, left, right = p["padding"]
    h = axis_out(x.dims[2], kh, sh, t, b, dh, "Conv2D", "height")
    w = axis_out(x.dims[3], kw, sw, left, right, dw, "Conv2D", "width")
    return {"out": image(p["filters"], h, w)}


def _conv2d_count(p, i):
    kh, kw = p["kernel_size"]
    c_in = i["in"].dims[1] // p["groups"]
    return (kh * kw * c_in * p["filters"] + (p["filters"] if p["use_bias"] else 0), 0)


# ----------------------------------------------------------------------------- Conv3D


def _conv3d_infer(p, i):
    x = expect_volume(i["in"], "Conv3D", alt="Conv2D")
    check_keras_stride_dilation(p["strides"], p["dilation"], "Conv3D")
    d, h, w = spatial_out(x, p["kernel_size"], p["strides"], p["padding"], p["dilation"], "Conv3D")
    return {"out": volume(p["filters"], d, h, w)}


def _conv3d_count(p, i):
    return (math.prod(p["kernel_size"]) * i["in"].dims[1] * p["filters"] + (p["filters"] if p["use_bias"] else 0), 0)


# ----------------------------------------------------------------------------- DepthwiseConv2D, SeparableConv2D


def _depthwise_infer(layer):
    def infer(p, i):
        x = expect_image(i["in"], layer)
        check_keras_stride_dilation(p["strides"], p["dilation"], layer)
        h, w = spatial_out(x, p["kernel_size"], p["strides"], p["padding"], p["dilation"], layer)
        return {"out": image(p.get("filters", x.dims[1] * p["depth_multiplier"]), h, w)}

    return infer


def _depthwise_count(p, i):
    inner = i["in"].dims[1] * p["depth_multiplier"]
    return (math.prod(p["kernel_size"]) * inner + (inner if p["use_bias"] else 0), 0)


def _separable_count(p, i):
    inner = i["in"].dims[1] * p["depth_multiplier"]
    depthwise = math.prod(p["kernel_size"]) * inner
    return (depthwise + inner * p["filters"] + (p["filters"] if p["use_bias"] else 0), 0)


# ----------------------------------------------------------------------------- Conv1D


def _conv1d_infer(p, i):
    x = expect_signal(i["in"], "Conv1D", alt="Conv2D")
    check_keras_stride_dilation([p["stride"]], [p["dilation"]], "Conv1D")
    left, right = p["padding"]
    length = axis_out(x.dims[2], p["kernel_size"], p["stride"], left, right, p["dilation"], "Conv1D", "length")
    return {"out": signal(p["filters"], length)}


def _conv1d_count(p, i):
    return (p["kernel_size"] * i["in"].dims[1] * p["filters"] + (p["filters"] if p["use_bias"] else 0), 0)


# ----------------------------------------------------------------------------- Conv2DTranspose


def _transpose_axis(size, k, s, before, after, op, d, axis_name, layer="Conv2DTranspose") -> int:
    if op >= s and op >= d:
        raise ShapeError(
            f"{layer}: output_padding {op} along the {axis_name} must be smaller than the stride ({s}) "
            f"or the dilation ({d})",
            f"set output_padding to at most {max(s, d) - 1}",
        )
    if op >= s:
        raise ShapeError(
            f"{layer}: output_padding {op} along the {axis_name} is not smaller than the stride ({s}); "
            "Keras cannot express it",
            f"set output_padding to at most {s - 1}",
        )
    out = (size - 1) * s - (before + after) + d * (k - 1) + op + 1
    if out < 1:
        raise ShapeError(
            f"{layer}: padding {before}+{after} crops away the whole {axis_name} (output would be {out})",
            "use less padding, a larger kernel or a larger stride",
        )
    return out


def _transpose_infer(p, i):
    x = expect_image(i["in"], "Conv2DTranspose")
    check_keras_stride_dilation(p["strides"], p["dilation"], "Conv2DTranspose")
    (kh, kw), (sh, sw), (dh, dw) = p["kernel_size"], p["strides"], p["dilation"]
    (oh, ow), (t, b, left, right) = p["output_padding"], p["padding"]
    h = _transpose_axis(x.dims[2], kh, sh, t, b, oh, dh, "height")
    w = _transpose_axis(x.dims[3], kw, sw, left, right, ow, dw, "width")
    return {"out": image(p["filters"], h, w)}


def _transpose_count(p, i):
    kh, kw = p["kernel_size"]
    return (kh * kw * i["in"].dims[1] * p["filters"] + (p["filters"] if p["use_bias"] else 0), 0)


def _transpose1d_infer(p, i):
    x = expect_signal(i["in"], "Conv1DTranspose", alt="Conv2DTranspose")
    check_keras_stride_dilation([p["stride"]], [p["dilation"]], "Conv1DTranspose")
    left, right = p["padding"]
    length = _transpose_axis(
        x.dims[2],
        p["kernel_size"],
        p["stride"],
        left,
        right,
        p["output_padding"],
        p["dilation"],
        "length",
        "Conv1DTranspose",
    )
    return {"out": signal(p["filters"], length)}


def _transpose1d_count(p, i):
    return (p["kernel_size"] * i["in"].dims[1] * p["filters"] + (p["filters"] if p["use_bias"] else 0), 0)


# ----------------------------------------------------------------------------- UpSampling2D, ZeroPadding2D


def _upsampling_infer(p, i):
    x = expect_image(i["in"], "UpSampling2D")
    sh, sw = p["scale"]
    return {"out": image(x.dims[1], x.dims[2] * sh, x.dims[3] * sw)}


def _zero_padding_infer(p, i):
    x = expect_image(i["in"], "ZeroPadding2D")
    t, b, left, right = p["padding"]
    return {"out": image(x.dims[1], x.dims[2] + t + b, x.dims[3] + left + right)}


def _upsampling1d_infer(p, i):
    x = expect_signal(i["in"], "UpSampling1D", alt="UpSampling2D")
    return {"out": signal(x.dims[1], x.dims[2] * p["size"])}


def _zero_padding1d_infer(p, i):
    x = expect_signal(i["in"], "ZeroPadding1D", alt="ZeroPadding2D")
    left, right = p["padding"]
    return {"out": signal(x.dims[1], x.dims[2] + left + right)}


def _cropping1d_infer(p, i):
    x = expect_signal(i["in"], "Cropping1D", alt="Cropping2D")
    left, right = p["cropping"]
    return {"out": signal(x.dims[1], _crop_check(x.dims[2], left, right, "Cropping1D", "length"))}


def _cropping2d_infer(p, i):
    x = expect_image(i["in"], "Cropping2D", alt="Cropping1D")
    t, b, left, right = p["cropping"]
    h = _crop_check(x.dims[2], t, b, "Cropping2D", "height")
    w = _crop_check(x.dims[3], left, right, "Cropping2D", "width")
    return {"out": image(x.dims[1], h, w)}


SIZE_FORMULA = "H_out = ⌊(H + pad_top + pad_bottom − dilation·(k − 1) − 1) / stride⌋ + 1   (W likewise)"

ORDER = 30  # palette position of this family (graph/layers/__init__.py)

SPECS = [
    LayerSpec(
        "conv2d",
        "Convolution",
        "Conv2D",
        "二维卷积",
        "Slides small learnable kernels over an image; each kernel produces one output channel (feature map).",
        "用一组可学习的小卷积核在图像上滑动，每个卷积核产生一个输出通道（特征图）。",
        params=(
            _filters(32),
            _kernel2(),
            _strides2(),
            _padding4(),
            _dilation2(),
            int_param(
                "groups",
                1,
                "Split the channels into groups convolved separately; input channels and filters must be "
                "divisible by it.",
                "把通道分成若干组分别卷积（分组卷积）；输入通道数和卷积核个数都必须能被它整除。",
                1,
                100_000,
            ),
            use_bias_param(),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_conv2d_infer,
        count=_conv2d_count,
        formula=SIZE_FORMULA + "\ny[o] = b[o] + Σ_c W[o, c] ⋆ x[c]",
        formula_tex=(
            r"y_{o,i,j} = b_o + \sum_{c} \sum_{m,n} w_{o,c,m,n}\, x_{c,u,v}"
            "\n"
            r"u = s_h i + d_h m - p_t,\quad v = s_w j + d_w n - p_l"
            "\n"
            r"H_{\mathrm{out}} = \left\lfloor \dfrac{H + p_t + p_b - d_h (k_h - 1) - 1}{s_h} \right\rfloor + 1"
        ),
        icon="conv",
        extra={"base_name": "conv"},
        examples=(
            {"filters": 4, "strides": [2, 2]},
            {"filters": 4, "padding": [1, 1, 1, 1]},
            {"filters": 4, "padding": [1, 1, 1, 1], "strides": [2, 2]},
            {"filters": 4, "padding": [0, 1, 2, 0]},
            {"filters": 4, "kernel_size": [2, 3], "padding": [0, 1, 1, 1]},
            {"filters": 4, "dilation": [2, 2]},
            {"filters": 6, "groups": 3},
        ),
    ),
    LayerSpec(
        "conv1d",
        "Convolution",
        "Conv1D",
        "一维卷积",
        "Slides learnable kernels along a channels-first 1-D signal (N, C, L), e.g. audio or sensor data.",
        "用可学习的卷积核沿一维信号 (N, C, L) 滑动，例如音频或传感器数据。",
        params=(
            _filters(32),
            int_param("kernel_size", 3, "Kernel length.", "卷积核长度。", 1, 100_000),
            int_param("stride", 1, "Step of the kernel along the signal.", "卷积核沿信号移动的步长。", 1, 100_000),
            ints_param(
                "padding",
                [0, 0],
                "Zeros added at each end [left, right].",
                "在两端补零的个数 [左, 右]。",
                length=2,
                minimum=0,
            ),
            int_param(
                "dilation",
                1,
                "Spacing between kernel taps; >1 widens the view without adding weights.",
                "卷积核元素之间的间隔（空洞卷积）；大于 1 时不增加参数就能扩大感受野。",
                1,
                100_000,
            ),
            use_bias_param(),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_conv1d_infer,
        count=_conv1d_count,
        formula="L_out = ⌊(L + pad_left + pad_right − dilation·(k − 1) − 1) / stride⌋ + 1",
        formula_tex=(
            r"y_{o,i} = b_o + \sum_{c} \sum_{m=0}^{k - 1} w_{o,c,m}\, x_{c,u},\quad u = s i + d m - p_l"
            "\n"
            r"L_{\mathrm{out}} = \left\lfloor \dfrac{L + p_l + p_r - d (k - 1) - 1}{s} \right\rfloor + 1"
        ),
        icon="conv",
        extra={"base_name": "conv"},
        examples=(
            {"filters": 4, "padding": [1, 2], "stride": 2},
            {"filters": 4, "dilation": 2, "padding": [2, 2]},
        ),
    ),
    LayerSpec(
        "conv3d",
        "Convolution",
        "Conv3D",
        "三维卷积",
        "Slides learnable 3-D kernels through a volume (N, C, D, H, W), e.g. a scan or a short video clip; "
        "each kernel produces one output channel.",
        "用可学习的三维卷积核在体数据 (N, C, D, H, W)（如三维扫描或短视频）中滑动，每个卷积核产生一个输出通道。",
        params=(_filters(16), _kernel3(), _strides3(), _padding6(), _dilation3(), use_bias_param()),
        inputs=IN,
        outputs=OUT,
        infer=_conv3d_infer,
        count=_conv3d_count,
        formula="D_out = ⌊(D + pad_front + pad_back − dilation·(k − 1) − 1) / stride⌋ + 1   (H, W likewise)\n"
        "y[o] = b[o] + Σ_c W[o, c] ⋆ x[c]",
        formula_tex=(
            r"y_{o,t,i,j} = b_o + \sum_{c} \sum_{l,m,n} w_{o,c,l,m,n}\, x_{c,r,u,v}"
            "\n"
            r"r = s_d t + d_d l - p_{\mathrm{front}},\quad u = s_h i + d_h m - p_t,\quad v = s_w j + d_w n - p_l"
            "\n"
            r"D_{\mathrm{out}} = \left\lfloor \dfrac{D + p_{\mathrm{front}} + p_{\mathrm{back}} - d_d (k_d - 1) - 1}{s_d} \right\rfloor + 1"
        ),
        icon="conv",
        extra={"base_name": "conv"},
        examples=(
            {"filters": 3, "strides": [2, 2, 2]},
            {"filters": 3, "padding": [1, 1, 1, 1, 1, 1]},
            {"filters": 3, "strides": [2, 2, 2], "padding": [0, 1, 0, 1, 1, 1]},
            {"filters": 3, "padding": [0, 1, 2, 0, 1, 0]},
            {"filters": 3, "kernel_size": [2, 3, 1], "strides": [1, 2, 2], "padding": [1, 0, 0, 1, 0, 0]},
            {"filters": 3, "dilation": [1, 2, 2], "padding": [0, 0, 1, 1, 1, 1]},
            {"filters": 3, "use_bias": False, "kernel_size": [1, 1, 1]},
        ),
    ),
    LayerSpec(
        "depthwise_conv2d",
        "Convolution",
        "DepthwiseConv2D",
        "深度卷积",
        "Convolves each input channel with its own kernels (depth_multiplier of them), never mixing channels: "
        "far fewer weights than Conv2D. PyTorch: Conv2d with groups = channels.",
        "每个输入通道只用自己的卷积核（depth_multiplier 个）卷积，通道之间不混合，参数远少于普通卷积。"
        "PyTorch 中即 groups 等于通道数的 Conv2d。",
        params=(_depth_multiplier(), _kernel2(), _strides2(), _padding4(), _dilation2(), use_bias_param()),
        inputs=IN,
        outputs=OUT,
        infer=_depthwise_infer("DepthwiseConv2D"),
        count=_depthwise_count,
        formula=SIZE_FORMULA + "\ny[c·m + j] = b[c·m + j] + W[c, j] ⋆ x[c]   (m = depth_multiplier, j < m)",
        formula_tex=(
            r"y_{c M + q,\, i,\, j} = b_{c M + q} + \sum_{m,n} w_{c,q,m,n}\, x_{c,u,v},\quad 0 \leq q < M"
            "\n"
            r"u = s_h i + d_h m - p_t,\quad v = s_w j + d_w n - p_l"
            "\n"
            r"H_{\mathrm{out}} = \left\lfloor \dfrac{H + p_t + p_b - d_h (k_h - 1) - 1}{s_h} \right\rfloor + 1"
        ),
        icon="conv",
        extra={"base_name": "dwconv"},
        examples=(
            {"depth_multiplier": 2},
            {"depth_multiplier": 2, "strides": [2, 2], "padding": [0, 1, 1, 0]},
            {"padding": [1, 1, 1, 1]},
            {"depth_multiplier": 3, "kernel_size": [2, 3], "padding": [0, 1, 1, 1]},
            {"dilation": [2, 2], "padding": [2, 2, 2, 2]},
            {"depth_multiplier": 2, "use_bias": False, "strides": [2, 2], "padding": [1, 1, 1, 1]},
        ),
    ),
    LayerSpec(
        "separable_conv2d",
        "Convolution",
        "SeparableConv2D",
        "深度可分离卷积",
        "A depthwise convolution (each channel on its own) followed by a pointwise 1×1 convolution that mixes "
        "the channels: like Conv2D with far fewer weights (MobileNet, Xception).",
        "先做深度卷积（每个通道单独卷积），再用 1×1 逐点卷积混合通道：效果类似普通卷积，但参数少得多"
        "（MobileNet、Xception 中使用）。",
        params=(
            _filters(32),
            _depth_multiplier(),
            _kernel2(),
            _strides2(),
            _padding4(),
            _dilation2(),
            use_bias_param(),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_depthwise_infer("SeparableConv2D"),
        count=_separable_count,
        formula=SIZE_FORMULA + "\nz[c·m + j] = D[c, j] ⋆ x[c];   y[o] = b[o] + Σ_i P[o, i] · z[i]",
        formula_tex=(
            r"z_{c M + q,\, i,\, j} = \sum_{m,n} D_{c,q,m,n}\, x_{c,u,v},\quad u = s_h i + d_h m - p_t,\quad v = s_w j + d_w n - p_l"
            "\n"
            r"y_{o,i,j} = b_o + \sum_{r} P_{o,r}\, z_{r,i,j}"
            "\n"
            r"H_{\mathrm{out}} = \left\lfloor \dfrac{H + p_t + p_b - d_h (k_h - 1) - 1}{s_h} \right\rfloor + 1"
        ),
        icon="conv",
        extra={"base_name": "sepconv"},
        examples=(
            {"filters": 4, "depth_multiplier": 2},
            {"filters": 4, "strides": [2, 2], "padding": [0, 1, 1, 0]},
            {"filters": 4, "padding": [1, 1, 1, 1], "depth_multiplier": 2},
            {"filters": 4, "kernel_size": [2, 3], "padding": [0, 1, 1, 1]},
            {"filters": 4, "dilation": [2, 2], "padding": [2, 2, 2, 2]},
            {"filters": 4, "use_bias": False, "strides": [2, 2]},
        ),
    ),
    LayerSpec(
        "conv2d_transpose",
        "Convolution",
        "Conv2DTranspose",
        "二维转置卷积",
        "Learnable upsampling (sometimes called deconvolution): each input pixel spreads a kernel-sized patch "
        "into a larger output. Padding crops the output (PyTorch semantics).",
        "可学习的上采样（也叫反卷积）：每个输入像素把一个卷积核大小的图块“撒”到更大的输出上。"
        "这里的 padding 表示从输出四周裁掉的行列数（PyTorch 语义）。",
        params=(
            _filters(16),
            _kernel2((2, 2)),
            _strides2((2, 2)),
            _padding4(
                doc="Rows/columns cropped from the output on each side [top, bottom, left, right].",
                doc_zh="从输出四周裁掉的行数/列数 [上, 下, 左, 右]。",
            ),
            ints_param(
                "output_padding",
                [0, 0],
                "Extra rows/columns added at the bottom/right [oh, ow]; must be smaller than the stride.",
                "在输出下方/右侧额外增加的行数/列数 [oh, ow]；必须小于步长。",
                length=2,
                minimum=0,
            ),
            _dilation2(),
            use_bias_param(),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_transpose_infer,
        count=_transpose_count,
        formula="H_out = (H − 1)·stride − (pad_top + pad_bottom) + dilation·(k − 1) + output_padding + 1  (W likewise)",
        formula_tex=(
            r"y_{o,u,v} = b_o + \sum_{c} \sum_{i,j,m,n} w_{c,o,m,n}\, x_{c,i,j}\,[s_h i + d_h m - p_t = u]\,[s_w j + d_w n - p_l = v]"
            "\n"
            r"H_{\mathrm{out}} = (H - 1)\, s_h - p_t - p_b + d_h (k_h - 1) + a_h + 1"
        ),
        icon="conv",
        extra={"base_name": "upconv"},
        examples=(
            {"filters": 4, "kernel_size": [3, 3], "padding": [1, 1, 1, 1], "output_padding": [1, 1]},
            {"filters": 4, "kernel_size": [3, 3], "padding": [0, 1, 1, 0]},
        ),
    ),
    LayerSpec(
        "conv1d_transpose",
        "Convolution",
        "Conv1DTranspose",
        "一维转置卷积",
        "Learnable upsampling of a 1-D signal (N, C, L): each input step spreads a kernel-long patch into a longer "
        "output. Padding crops the output (PyTorch semantics).",
        "对一维信号 (N, C, L) 做可学习的上采样：每个输入位置把一段卷积核长度的片段“撒”到更长的输出上。"
        "这里的 padding 表示从输出两端裁掉的个数（PyTorch 语义）。",
        params=(
            _filters(16),
            int_param("kernel_size", 2, "Kernel length.", "卷积核长度。", 1, 100_000),
            int_param("stride", 2, "Step of the kernel along the output.", "卷积核在输出上移动的步长。", 1, 100_000),
            ints_param(
                "padding",
                [0, 0],
                "Values cropped from the output at each end [left, right].",
                "从输出两端裁掉的个数 [左, 右]。",
                length=2,
                minimum=0,
            ),
            int_param(
                "output_padding",
                0,
                "Extra values added at the right end; must be smaller than the stride.",
                "在输出右端额外增加的个数；必须小于步长。",
                0,
                100_000,
            ),
            int_param(
                "dilation",
                1,
                "Spacing between kernel taps; >1 only with stride 1 (Keras).",
                "卷积核元素之间的间隔（空洞）；大于 1 时步长必须为 1（Keras 的限制）。",
                1,
                100_000,
            ),
            use_bias_param(),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_transpose1d_infer,
        count=_transpose1d_count,
        formula="L_out = (L − 1)·stride − (pad_left + pad_right) + dilation·(k − 1) + output_padding + 1",
        formula_tex=(
            r"y_{o,u} = b_o + \sum_{c} \sum_{i,m} w_{c,o,m}\, x_{c,i}\, [s i + d m - p_l = u]"
            "\n"
            r"L_{\mathrm{out}} = (L - 1)\, s - p_l - p_r + d (k - 1) + a + 1"
        ),
        icon="conv",
        extra={"base_name": "upconv"},
        examples=(
            {"filters": 4, "kernel_size": 3, "padding": [1, 1], "output_padding": 1},
            {"filters": 4, "kernel_size": 3, "padding": [0, 1]},
            {"filters": 4, "kernel_size": 2, "stride": 3, "output_padding": 2, "padding": [2, 0]},
            {"filters": 4, "kernel_size": 3, "stride": 1, "dilation": 2, "padding": [1, 2]},
            {"filters": 4, "use_bias": False, "kernel_size": 4, "padding": [1, 1]},
        ),
    ),
    LayerSpec(
        "upsampling2d",
        "Convolution",
        "UpSampling2D",
        "二维上采样",
        "Enlarges an image by whole factors, repeating pixels (nearest) or interpolating them (bilinear). No weights.",
        "按整数倍放大图像：重复像素（最近邻）或插值（双线性）。没有可学习参数。",
        params=(
            ints_param(
                "scale",
                [2, 2],
                "Enlargement factors [height, width].",
                "放大倍数 [高, 宽]。",
                length=2,
                minimum=1,
                maximum=64,
            ),
            choice_param(
                "interpolation",
                "nearest",
                ("nearest", "bilinear"),
                "How new pixels are filled: nearest copies, bilinear blends (align_corners=False).",
                "新像素的填充方式：nearest 直接复制，bilinear 双线性插值（align_corners=False）。",
            ),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_upsampling_infer,
        formula="H_out = H · scale_h,  W_out = W · scale_w",
        formula_tex=(
            r"H_{\mathrm{out}} = s_h H,\quad W_{\mathrm{out}} = s_w W"
            "\n"
            r"y_{c,i,j} = x_{c,\, \lfloor i / s_h \rfloor,\, \lfloor j / s_w \rfloor}\quad (\mathrm{nearest})"
        ),
        icon="upsample",
        extra={"base_name": "upsample"},
        examples=(
            {"scale": [2, 3], "interpolation": "nearest"},
            {"scale": [2, 2], "interpolation": "bilinear"},
        ),
    ),
    LayerSpec(
        "upsampling1d",
        "Convolution",
        "UpSampling1D",
        "一维上采样",
        "Lengthens a 1-D signal (N, C, L) by a whole factor, repeating each value (nearest). No weights.",
        "按整数倍拉长一维信号 (N, C, L)：把每个值重复若干次（最近邻）。没有可学习参数。",
        params=(int_param("size", 2, "Repetitions of each value.", "每个值重复的次数（放大倍数）。", 1, 64),),
        inputs=IN,
        outputs=OUT,
        infer=_upsampling1d_infer,
        formula="L_out = L · size;  y[c, i] = x[c, ⌊i / size⌋]",
        formula_tex=r"y_{c,i} = x_{c,\, \lfloor i / s \rfloor},\quad L_{\mathrm{out}} = s L",
        icon="upsample",
        extra={"base_name": "upsample"},
        examples=({"size": 3},),
    ),
    LayerSpec(
        "zero_padding2d",
        "Convolution",
        "ZeroPadding2D",
        "二维零填充",
        "Adds rows and columns of zeros around an image.",
        "在图像四周补上若干行、列的 0。",
        params=(_padding4((1, 1, 1, 1)),),
        inputs=IN,
        outputs=OUT,
        infer=_zero_padding_infer,
        formula="H_out = H + pad_top + pad_bottom,  W_out = W + pad_left + pad_right",
        formula_tex=(
            r"y_{c,\, p_t + i,\, p_l + j} = x_{c,i,j}"
            "\n"
            r"H_{\mathrm{out}} = H + p_t + p_b,\quad W_{\mathrm{out}} = W + p_l + p_r"
        ),
        icon="pad",
        extra={"base_name": "pad"},
        examples=({"padding": [1, 0, 2, 1]},),
    ),
    LayerSpec(
        "zero_padding1d",
        "Convolution",
        "ZeroPadding1D",
        "一维零填充",
        "Adds zeros at both ends of a 1-D signal (N, C, L).",
        "在一维信号 (N, C, L) 的两端补 0。",
        params=(
            ints_param(
                "padding",
                [1, 1],
                "Zeros added at each end [left, right].",
                "在两端补零的个数 [左, 右]。",
                length=2,
                minimum=0,
            ),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_zero_padding1d_infer,
        formula="L_out = L + pad_left + pad_right",
        formula_tex=r"y_{c,\, p_l + i} = x_{c,i},\quad L_{\mathrm{out}} = L + p_l + p_r",
        icon="pad",
        extra={"base_name": "pad"},
        examples=({"padding": [2, 0]}, {"padding": [0, 3]}),
    ),
    LayerSpec(
        "cropping1d",
        "Convolution",
        "Cropping1D",
        "一维裁剪",
        "Removes values from both ends of a 1-D signal (N, C, L).",
        "从一维信号 (N, C, L) 的两端去掉若干个值。",
        params=(
            ints_param(
                "cropping",
                [1, 1],
                "Values removed at each end [left, right].",
                "从两端去掉的个数 [左, 右]。",
                length=2,
                minimum=0,
            ),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_cropping1d_infer,
        formula="L_out = L − crop_left − crop_right;  y[c, i] = x[c, i + crop_left]",
        formula_tex=r"y_{c,i} = x_{c,\, q_l + i},\quad L_{\mathrm{out}} = L - q_l - q_r",
        icon="pad",
        extra={"base_name": "crop"},
        examples=({"cropping": [2, 0]}, {"cropping": [0, 3]}),
    ),
    LayerSpec(
        "cropping2d",
        "Convolution",
        "Cropping2D",
        "二维裁剪",
        "Removes rows and columns from the borders of an image (N, C, H, W), e.g. to match a skip connection.",
        "从图像 (N, C, H, W) 的四周去掉若干行、列，例如为了与跳跃连接的尺寸对齐。",
        params=(
            ints_param(
                "cropping",
                [1, 1, 1, 1],
                "Rows/columns removed on each side [top, bottom, left, right].",
                "从四周去掉的行数/列数 [上, 下, 左, 右]。",
                length=4,
                minimum=0,
            ),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_cropping2d_infer,
        formula="H_out = H − crop_top − crop_bottom,  W_out = W − crop_left − crop_right",
        formula_tex=(
            r"y_{c,i,j} = x_{c,\, q_t + i,\, q_l + j}"
            "\n"
            r"H_{\mathrm{out}} = H - q_t - q_b,\quad W_{\mathrm{out}} = W - q_l - q_r"
        ),
        icon="pad",
        extra={"base_name": "crop"},
        examples=({"cropping": [0, 2, 1, 0]}, {"cropping": [3, 0, 0, 2]}),
    ),
]


# ----------------------------------------------------------------------------- "same" padding

# Layers whose ``padding`` adds zeros before a convolution, per side, axis by axis.
SAME_PADDING_TYPES = ("conv1d", "conv2d", "conv3d", "depthwise_conv2d", "separable_conv2d")


def _per_axis(value, rank: int) -> list[int]:
    return list(value) if isinstance(value, (list, tuple)) else [int(value)] * rank


def same_padding(type_id: str, params: dict, input_type: TensorType | None = None) -> list[int] | None:
    """The per-side ``padding`` that keeps the size for these kernel, stride and dilation, the way
    TensorFlow's ``padding="same"`` pads (output = ⌈input / stride⌉; an odd total puts the extra zero
    at the bottom/right/back), or None for a layer without such padding.

    With a stride above 1 the padding depends on the input size: ``input_type`` gives it; without
    one, sizes divisible by the stride are assumed (total = max(dilation·(k − 1) + 1 − stride, 0)).
    """
    if type_id not in SAME_PADDING_TYPES:
        return None
    rank = len(params["padding"]) // 2
    kernel = _per_axis(params["kernel_size"], rank)
    strides = _per_axis(params.get("strides", params.get("stride", 1)), rank)
    dilation = _per_axis(params.get("dilation", 1), rank)
    sizes: list[int | None] = [None] * rank
    if input_type is not None and input_type.rank == rank + 2:
        sizes = list(input_type.dims[2:])
    pads: list[int] = []
    for n, k, s, d in zip(sizes, kernel, strides, dilation, strict=True):
        if n is None:  # size unknown: as for a size divisible by the stride
            total = max(d * (k - 1) + 1 - s, 0)
            pads += [total // 2, total - total // 2]
        else:
            pads += list(same_pads(n, k, s, d))
    return pads
