"""PyTorch lowerings of the merge layers."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_torch._common import lower
from codegen.pyfmt import call, lit


def _merge(op: str):
    def render(step: Step, ctx: Ctx) -> Rendered:
        return Rendered(apply=[(step.var, f" {op} ".join(step.inputs))])

    return render


lower("add")(_merge("+"))
lower("multiply")(_merge("*"))


@lower("concatenate")
def _concatenate(step: Step, ctx: Ctx) -> Rendered:
    items = "[" + ", ".join(step.inputs) + "]"
    return Rendered(apply=[(step.var, call("torch.cat", items, dim=lit(step.params["axis"])))])
