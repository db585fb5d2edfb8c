"""Tensor types in the neutral graph: a symbolic batch dimension plus named axes.

The graph uses one logical layout, channels-first (as PyTorch and ONNX do): images are
``(N, C, H, W)``, volumes ``(N, C, D, H, W)``, 1-D signals ``(N, C, L)``, sequences ``(N, T, F)``, token ids ``(N, T)`` and
vectors ``(N, F)``. The Keras emitter maps these to channels-last itself.
"""

from __future__ import annotations

from dataclasses import dataclass

BATCH = None  # the symbolic batch dimension

# Layout tags by their axis names. "channels-first" layouts are the ones a channels-last
# backend stores permuted.
CHANNELS_FIRST = {("N", "C", "L"), ("N", "C", "H", "W"), ("N", "C", "D", "H", "W")}


@dataclass(frozen=True)
class TensorType:
    """The shape (batch first, ``None`` for the symbolic batch), axis names and dtype of a tensor."""

    dims: tuple[int | None, ...]
    axes: tuple[str, ...]
    dtype: str = "float32"

    def __post_init__(self):
        if len(self.dims) != len(self.axes):
            raise ValueError(f"dims {self.dims} and axes {self.axes} differ in length")

    @property
    def rank(self) -> int:
        return len(self.dims)

    @property
    def features(self) -> tuple[int, ...]:
        """The dims without the batch axis."""
        return tuple(d for d in self.dims[1:])  # type: ignore[misc]

    @property
    def channels_first(self) -> bool:
        return self.axes in CHANNELS_FIRST

    @property
    def last(self) -> int:
        return self.dims[-1]  # type: ignore[return-value]

    def size(self) -> int:
        """Number of elements per sample."""
        n = 1
        for d in self.dims[1:]:
            n *= d  # type: ignore[operator]
        return n

    def label(self) -> str:
        """Human-readable form, e.g. ``N×1×28×28 (N,C,H,W)``."""
        dims = "×".join("N" if d is None else str(d) for d in self.dims)
        return f"{dims} ({','.join(self.axes)})"

    def short(self) -> str:
        """Compact form for edges, e.g. ``1×28×28``."""
        return "×".join(str(d) for d in self.dims[1:]) or "scalar"

    def to_json(self) -> dict:
        return {"dims": list(self.dims), "axes": list(self.axes), "dtype": self.dtype}


def vector(features: int, dtype: str = "float32") -> TensorType:
    return TensorType((BATCH, features), ("N", "F"), dtype)


def image(c: int, h: int, w: int) -> TensorType:
    return TensorType((BATCH, c, h, w), ("N", "C", "H", "W"))


def volume(c: int, d: int, h: int, w: int) -> TensorType:
    """A channels-first volume (video frames, 3-D scans): ``(N, C, D, H, W)``."""
    return TensorType((BATCH, c, d, h, w), ("N", "C", "D", "H", "W"))


def signal(c: int, length: int) -> TensorType:
    return TensorType((BATCH, c, length), ("N", "C", "L"))


def sequence(t: int, f: int) -> TensorType:
    return TensorType((BATCH, t, f), ("N", "T", "F"))


def tokens(t: int) -> TensorType:
    return TensorType((BATCH, t), ("N", "T"), "int64")


def generic(dims: tuple[int, ...]) -> TensorType:
    """A tensor of the given per-sample dims, with the conventional axis names for its rank."""
    axes = {1: ("N", "F"), 2: ("N", "T", "F"), 3: ("N", "C", "H", "W")}.get(len(dims))
    if axes is None:
        axes = ("N",) + tuple(f"D{i}" for i in range(1, len(dims) + 1))
    return TensorType((BATCH, *dims), axes)
