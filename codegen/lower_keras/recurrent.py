"""Keras lowerings of the recurrent layers."""

from __future__ import annotations

import numpy as np

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_keras._common import _layer, lower
from codegen.pyfmt import Call, call, lit


def _gru_reorder(a: np.ndarray) -> np.ndarray:
    """PyTorch's gate blocks r, z, n -> Keras' z, r, h (first axis)."""
    r, z, n = np.split(a, 3, axis=0)
    return np.concatenate([z, r, n], axis=0)


def _recurrent_direction(kind: str, w: dict, level: int, sfx: str) -> list:
    w_ih, w_hh = w[f"weight_ih_l{level}{sfx}"], w[f"weight_hh_l{level}{sfx}"]
    b_ih, b_hh = w[f"bias_ih_l{level}{sfx}"], w[f"bias_hh_l{level}{sfx}"]
    if kind == "gru":
        return [_gru_reorder(w_ih).T, _gru_reorder(w_hh).T, np.stack([_gru_reorder(b_ih), _gru_reorder(b_hh)])]
    return [w_ih.T, w_hh.T, b_ih + b_hh]  # LSTM gate order i, f, g, o is the same in Keras


def _recurrent_weights(step: Step, w: dict) -> dict:
    """PyTorch's levels l0, l1, … become the Keras layers of the stack ("" is the first)."""
    out = {}
    for level in range(step.params.get("num_layers", 1)):
        weights = _recurrent_direction(step.type, w, level, "")
        if step.params.get("bidirectional"):
            weights += _recurrent_direction(step.type, w, level, "_reverse")
        out[_level_suffix(level)] = weights
    return out


def _level_suffix(level: int) -> str:
    return "" if level == 0 else f"l{level}"


def _recurrent(cls: str, **fixed):
    def render(step: Step, ctx: Ctx) -> Rendered:
        p = step.params
        levels, bidirectional = p.get("num_layers", 1), p.get("bidirectional", False)
        state = step.outs.get("state")
        r, src = Rendered(), step.x
        for level in range(levels):
            top = level == levels - 1
            kw = dict(fixed)
            if "activation" in p:
                kw["activation"] = lit(p["activation"])
            kw["return_sequences"] = lit(bool(p["return_sequences"]) if top else True)
            if top and state is not None:
                kw["return_state"] = "True"
            name = step.name if level == 0 else ctx.aux(step, _level_suffix(level))
            if level > 0 and p.get("dropout"):
                drop = ctx.aux(step, f"dropout{level}")
                r.apply.append(_layer(step, "Dropout", lit(p["dropout"]), name=drop, inputs=src, var="x"))
                src = "x"
            if bidirectional:
                layer = call(
                    "layers.Bidirectional",
                    call(f"layers.{cls}", lit(p["units"]), **kw),
                    merge_mode=lit("concat"),
                    name=lit(name),
                )
            else:
                layer = call(f"layers.{cls}", lit(p["units"]), **kw, name=lit(name))
            target = step.var if top else "x"
            if top and state is not None:
                parts = ctx.aux(step, "outputs")
                r.apply.append((parts, Call(layer, (src,))))
                r.apply.append((target, f"{parts}[0]"))
                per_direction = 2 if cls == "LSTM" else 1  # LSTM returns (h, c) per direction
                if bidirectional:
                    both = f"[{parts}[1], {parts}[{1 + per_direction}]]"
                    concat = call("layers.Concatenate", axis="-1", name=lit(ctx.aux(step, "state")))
                    r.apply.append((state, Call(concat, (both,))))
                else:
                    r.apply.append((state, f"{parts}[1]"))
            else:
                r.apply.append((target, Call(layer, (src,))))
            src = target
        return r

    return render


lower("simple_rnn", weights=_recurrent_weights)(_recurrent("SimpleRNN"))
lower("lstm", weights=_recurrent_weights)(_recurrent("LSTM"))
lower("gru", weights=_recurrent_weights)(_recurrent("GRU", reset_after="True"))
