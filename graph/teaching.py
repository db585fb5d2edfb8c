"""The arithmetic the teaching views write out, in NumPy only (no framework, no Qt).

``conv2d_at`` is CNN Explainer's kernel view: for one output value of a Conv2D, the input patch the
kernel covers (zeros where it hangs over the padding), the kernel, their products and the sum plus
bias, which is the value the layer computed. The inputs are what a script's ``--inspect`` recorded:
the layer's input and output for the sample (channels first) and its kernel in PyTorch's layout
(out channels, in channels / groups, kernel height, kernel width).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class KernelStep:
    """One output value of a convolution, worked out: Σ patch · kernel + bias = value."""

    channel: int
    row: int
    col: int
    patch: np.ndarray  # (in channels of the group, kh, kw): the input under the kernel
    kernel: np.ndarray  # (in channels of the group, kh, kw)
    products: np.ndarray  # patch * kernel
    bias: float
    value: float  # products.sum() + bias
    rows: list[int]  # the input rows the kernel covers (negative or past the end: padding)
    cols: list[int]
    in_channels: list[int]  # the input channels of the output channel's group

    def formula(self) -> str:
        """The sum written out (the first terms, then the total)."""
        terms = [f"{p:.3g}×{k:.3g}" for p, k in zip(self.patch.ravel(), self.kernel.ravel(), strict=True)]
        shown = " + ".join(terms[:6]) + (" + …" if len(terms) > 6 else "")
        return f"y[{self.channel}, {self.row}, {self.col}] = {shown} + {self.bias:.3g} = {self.value:.4g}"


def conv2d_at(x: np.ndarray, kernel: np.ndarray, bias, params: dict, channel: int, row: int, col: int) -> KernelStep:
    """The arithmetic of output value (channel, row, col) of a Conv2D with ``params`` (the layer's
    parameters: strides, per-side padding [top, bottom, left, right], dilation, groups)."""
    x = np.asarray(x, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    out_channels, per_group, kh, kw = kernel.shape
    sh, sw = params.get("strides", [1, 1])
    dh, dw = params.get("dilation", [1, 1])
    top, _bottom, left, _right = params.get("padding", [0, 0, 0, 0])
    groups = int(params.get("groups", 1))
    group = channel // (out_channels // groups)
    chans = list(range(group * per_group, (group + 1) * per_group))
    rows = [row * sh - top + i * dh for i in range(kh)]
    cols = [col * sw - left + j * dw for j in range(kw)]
    patch = np.zeros((per_group, kh, kw))
    for a, r in enumerate(rows):
        for b, c in enumerate(cols):
            if 0 <= r < x.shape[1] and 0 <= c < x.shape[2]:
                patch[:, a, b] = x[chans, r, c]
    k = kernel[channel]
    products = patch * k
    b = float(np.asarray(bias).ravel()[channel]) if bias is not None and np.size(bias) else 0.0
    return KernelStep(channel, row, col, patch, k, products, b, float(products.sum() + b), rows, cols, chans)


__all__ = ["KernelStep", "conv2d_at"]
