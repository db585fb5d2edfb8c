"""PyTorch lowerings of the merge layers (PyTorch broadcasts like NumPy, as the graph's shape rule does)."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_torch._common import lower
from codegen.pyfmt import call, lit


def _merge(op: str):
    def render(step: Step, ctx: Ctx) -> Rendered:
        return Rendered(apply=[(step.var, f" {op} ".join(step.inputs))])

    return render


def _pairwise(fn: str):
    """``torch.maximum(torch.maximum(a, b), c)``: the binary function folded over the inputs in order."""

    def render(step: Step, ctx: Ctx) -> Rendered:
        expr = step.inputs[0]
        for x in step.inputs[1:]:
            expr = call(fn, expr, x)
        return Rendered(apply=[(step.var, expr)])

    return render


@lower("average")
def _average(step: Step, ctx: Ctx) -> Rendered:
    return Rendered(apply=[(step.var, f"({' + '.join(step.inputs)}) / {len(step.inputs)}")])


lower("add")(_merge("+"))
lower("multiply")(_merge("*"))
lower("subtract")(_merge("-"))  # step.inputs follow the spec's ports: a, then b
lower("maximum")(_pairwise("torch.maximum"))
lower("minimum")(_pairwise("torch.minimum"))


@lower("concatenate")
def _concatenate(step: Step, ctx: Ctx) -> Rendered:
    items = "[" + ", ".join(step.inputs) + "]"
    return Rendered(apply=[(step.var, call("torch.cat", items, dim=lit(step.params["axis"])))])
