"""PyTorch lowerings of the reductions (the graph's axes are PyTorch's)."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_torch._common import lower
from codegen.pyfmt import call, lit


def _reduce(fn: str):
    def render(step: Step, ctx: Ctx) -> Rendered:
        axis = step.params["axis"] % step.t.rank
        return Rendered(apply=[(step.var, call(fn, step.x, dim=lit(axis), keepdim=lit(step.params["keepdims"])))])

    return render


lower("reduce_mean")(_reduce("torch.mean"))
lower("reduce_max")(_reduce("torch.amax"))  # amax: the values only, ties share the gradient like TensorFlow's
