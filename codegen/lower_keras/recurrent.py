"""Keras lowerings of the recurrent layers."""

from __future__ import annotations

import numpy as np

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_keras._common import _one, lower
from codegen.pyfmt import call, lit


def _gru_reorder(a: np.ndarray) -> np.ndarray:
    """PyTorch's gate blocks r, z, n -> Keras' z, r, h (first axis)."""
    r, z, n = np.split(a, 3, axis=0)
    return np.concatenate([z, r, n], axis=0)


def _recurrent_direction(kind: str, w: dict, sfx: str) -> list:
    w_ih, w_hh = w[f"weight_ih_l0{sfx}"], w[f"weight_hh_l0{sfx}"]
    b_ih, b_hh = w[f"bias_ih_l0{sfx}"], w[f"bias_hh_l0{sfx}"]
    if kind == "gru":
        return [_gru_reorder(w_ih).T, _gru_reorder(w_hh).T, np.stack([_gru_reorder(b_ih), _gru_reorder(b_hh)])]
    return [w_ih.T, w_hh.T, b_ih + b_hh]  # LSTM gate order i, f, g, o is the same in Keras


def _recurrent_weights(step: Step, w: dict) -> list:
    out = _recurrent_direction(step.type, w, "")
    if step.params.get("bidirectional"):
        out += _recurrent_direction(step.type, w, "_reverse")
    return out


def _recurrent(cls: str, **fixed):
    def render(step: Step, ctx: Ctx) -> Rendered:
        p = step.params
        kw = dict(fixed)
        if "activation" in p:
            kw["activation"] = lit(p["activation"])
        kw["return_sequences"] = lit(bool(p["return_sequences"]))
        if not p.get("bidirectional"):
            return _one(step, cls, lit(p["units"]), **kw)
        inner = call(f"layers.{cls}", lit(p["units"]), **kw)
        return _one(step, "Bidirectional", inner, merge_mode=lit("concat"))

    return render


lower("simple_rnn", weights=_recurrent_weights)(_recurrent("SimpleRNN"))
lower("lstm", weights=_recurrent_weights)(_recurrent("LSTM"))
lower("gru", weights=_recurrent_weights)(_recurrent("GRU", reset_after="True"))
