"""PyTorch lowerings of the Input layers (an input is the forward argument: no code)."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_torch._common import lower


@lower("input.vector", "input.image", "input.volume", "input.sequence", "input.signal", "input.tokens", "input.noise")
def _input(step: Step, ctx: Ctx) -> Rendered:
    return Rendered()
