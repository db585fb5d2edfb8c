"""PyTorch lowerings of the recurrent layers."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_torch._common import _module, _self, lower
from codegen.pyfmt import call, lit

RECURRENT_INIT = '''
def init_recurrent_like_keras(module, forget_gate_bias):
    """Keras' recurrent defaults: Glorot input kernels, orthogonal recurrent kernels, zero biases."""
    for name, param in module.named_parameters():
        if name.startswith("weight_ih"):
            nn.init.xavier_uniform_(param)
        elif name.startswith("weight_hh"):
            # Keras' recurrent kernel is W_hh.T, (units, gates * units): orthogonal.
            nn.init.orthogonal_(param.T)
        else:
            nn.init.zeros_(param)
        if forget_gate_bias and name.startswith("bias_ih"):
            # Keras' unit_forget_bias: the forget gate (2nd block) starts at 1.
            nn.init.ones_(param[module.hidden_size : 2 * module.hidden_size])
'''


def _recurrent_init(step: Step, ctx: Ctx) -> list:
    fn = ctx.helper("init_recurrent_like_keras", RECURRENT_INIT)
    return [("", call(fn, _self(step), forget_gate_bias=lit(step.type == "lstm")))]


def _recurrent(cls: str, single_bias: bool):
    def render(step: Step, ctx: Ctx) -> Rendered:
        p = step.params
        kw = {"batch_first": "True"}
        if p.get("activation", "tanh") != "tanh":
            kw["nonlinearity"] = lit(p["activation"])
        if p.get("bidirectional"):
            kw["bidirectional"] = "True"
        r = _module(step, call(cls, lit(step.t.last), lit(p["units"]), **kw))
        if single_bias:
            r.comments.append(
                "# Keras has one recurrent bias: PyTorch's second one stays at zero (reset_parameters), frozen."
            )
            suffixes = ["", "_reverse"] if p.get("bidirectional") else [""]
            for sfx in suffixes:
                r.build.append(("", call(f"self.{step.name}.bias_hh_l0{sfx}.requires_grad_", "False")))
        seq, state = call(_self(step), step.x), "_"
        if p["return_sequences"]:
            r.apply = [(f"{step.var}, _", seq)]
        elif p.get("bidirectional"):
            h = "(h, _)" if cls == "nn.LSTM" else "h"
            r.apply = [(f"_, {h}", seq), (step.var, call("torch.cat", "[h[-2], h[-1]]", dim="1"))]
        else:
            r.apply = [(f"{step.var}, {state}", seq), (step.var, f"{step.var}[:, -1]")]
        return r

    return render


lower("simple_rnn", init=_recurrent_init)(_recurrent("nn.RNN", True))
lower("lstm", init=_recurrent_init)(_recurrent("nn.LSTM", True))
lower("gru", init=_recurrent_init)(_recurrent("nn.GRU", False))
