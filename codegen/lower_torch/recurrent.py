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
        levels, bidirectional = p.get("num_layers", 1), p.get("bidirectional", False)
        kw = {"batch_first": "True"}
        if p.get("activation", "tanh") != "tanh":
            kw["nonlinearity"] = lit(p["activation"])
        if levels > 1:
            kw["num_layers"] = lit(levels)
            if p.get("dropout"):
                kw["dropout"] = lit(p["dropout"])
        if bidirectional:
            kw["bidirectional"] = "True"
        r = _module(step, call(cls, lit(step.t.last), lit(p["units"]), **kw))
        if single_bias:
            r.comments.append(
                "# Keras has one recurrent bias: PyTorch's second one stays at zero (reset_parameters), frozen."
            )
            for level in range(levels):
                for sfx in ["", "_reverse"] if bidirectional else [""]:
                    r.build.append(("", call(f"self.{step.name}.bias_hh_l{level}{sfx}.requires_grad_", "False")))
        main, state = step.var, step.outs.get("state")
        need_final = not p["return_sequences"] or state is not None
        hidden = ctx.aux(step, "h") if need_final else "_"
        if need_final and cls == "nn.LSTM":
            hidden_target = f"({hidden}, _)"
        else:
            hidden_target = hidden
        seq = main if p["return_sequences"] else "_"
        r.apply = [(f"{seq}, {hidden_target}", call(_self(step), step.x))]
        if need_final:
            # The top level's final hidden state: h[-1], or both directions of it concatenated.
            final = call("torch.cat", f"[{hidden}[-2], {hidden}[-1]]", dim="1") if bidirectional else f"{hidden}[-1]"
            if not p["return_sequences"]:
                r.apply.append((main, final))
            if state is not None:
                r.apply.append((state, main if not p["return_sequences"] else final))
        return r

    return render


lower("simple_rnn", init=_recurrent_init)(_recurrent("nn.RNN", True))
lower("lstm", init=_recurrent_init)(_recurrent("nn.LSTM", True))
lower("gru", init=_recurrent_init)(_recurrent("nn.GRU", False))
