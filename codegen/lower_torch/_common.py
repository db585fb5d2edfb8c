"""Shared pieces of the PyTorch lowerings: attribute names, literals and Keras-like initialisers."""

from __future__ import annotations

from codegen.backend import TORCH as lower  # noqa: F401  (re-exported for the family modules)
from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.pyfmt import call, lit

ACT_FN = {
    "relu": "torch.relu",
    "sigmoid": "torch.sigmoid",
    "tanh": "torch.tanh",
    "gelu": "F.gelu",
    "elu": "F.elu",
}


def _self(step: Step) -> str:
    return f"self.{step.name}"


def _pair(values) -> str:
    values = list(values)
    return lit(values[0]) if len(set(values)) == 1 else lit(tuple(values))


def _module(step: Step, expr, apply=None) -> Rendered:
    """The common case: ``self.name = expr`` and ``var = self.name(x)``."""
    return Rendered(build=[(_self(step), expr)], apply=[(step.var, apply or call(_self(step), step.x))])


def _simple(ctor: str, **kw):
    return lambda step, ctx: _module(step, call(ctor, **{k: v(step.params) for k, v in kw.items()}))


def glorot_init(step: Step, ctx: Ctx) -> list:
    """Glorot-uniform weight and zero bias: PyTorch's fans for Linear/Conv equal Keras' (docs/equivalence.md §4)."""
    out = [("", call("nn.init.xavier_uniform_", f"{_self(step)}.weight"))]
    if step.params.get("use_bias", True):
        out.append(("", call("nn.init.zeros_", f"{_self(step)}.bias")))
    return out
