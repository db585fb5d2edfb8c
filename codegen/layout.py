"""Framework-neutral arithmetic the renderers share: padding decisions and axis maps (docs/equivalence.md §1)."""

from __future__ import annotations

from graph.tensors import TensorType


def same_pads(size: int, k: int, s: int = 1, d: int = 1) -> tuple[int, int]:
    """TensorFlow's 'same' padding (before, after) along one axis: the extra pixel goes at the end."""
    out = -(-size // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
    return total // 2, total - total // 2


def keras_padding(sizes, kernel, strides, dilation, pads) -> str | None:
    """'valid' or 'same' when Keras reproduces ``pads`` [(before, after) per axis] exactly, else None."""
    if all(b == 0 and a == 0 for b, a in pads):
        return "valid"
    same = [same_pads(n, k, s, d) for n, k, s, d in zip(sizes, kernel, strides, dilation, strict=True)]
    return "same" if same == [tuple(p) for p in pads] else None


def pool_pads(size: int, k: int, s: int, before: int, after: int, ceil_mode: bool) -> tuple[int, int]:
    """Explicit (before, after) padding so that a floor-mode pool gives PyTorch's (ceil-mode) output length."""
    if not ceil_mode:
        return before, after
    out = -(-(size + before + after - k) // s) + 1
    if (out - 1) * s >= size + before:
        out -= 1
    return before, max(after, (out - 1) * s + k - size - before)


def sides(pads: list[int]) -> list[tuple[int, int]]:
    """[top, bottom, left, right] or [left, right] as [(before, after), …] per axis."""
    return [(pads[i], pads[i + 1]) for i in range(0, len(pads), 2)]


def stored_axes(t: TensorType) -> list[int]:
    """Logical axes in Keras storage order: (N,C,H,W) is stored (N,H,W,C), (N,C,L) as (N,L,C)."""
    if t.channels_first:
        return [0, *range(2, t.rank), 1]
    return list(range(t.rank))


def keras_axis(t: TensorType, axis: int) -> int:
    """The Keras axis of a logical (channels-first) axis."""
    axis = axis % t.rank
    return stored_axes(t).index(axis) if t.channels_first else axis


def keras_axis_literal(t: TensorType, axis: int) -> int:
    """Like keras_axis, but written as -1 when it is the last axis (the Keras idiom)."""
    k = keras_axis(t, axis)
    return -1 if k == t.rank - 1 else k
