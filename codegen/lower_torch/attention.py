"""PyTorch lowerings of the attention family (nn.MultiheadAttention, position layers as small modules)."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_torch._common import _self, lower
from codegen.pyfmt import call, lit

# ----------------------------------------------------------------------------- multi-head attention

MASKED_ATTENTION = '''
class MaskedAttention(nn.MultiheadAttention):
    """nn.MultiheadAttention computed as Keras' MultiHeadAttention does with a padding mask:
    keys whose token id is 0 (and, when ``causal``, later keys) get no weight. A query that may see no key
    at all attends evenly to every key when ``empty_rows_even`` (Keras' fused kernel, used without
    dropout and attention weights), else to none (its output is the projection's bias); never NaN."""

    def __init__(self, *args, causal=False, empty_rows_even=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.causal, self.empty_rows_even = causal, empty_rows_even

    def forward(self, query, value, ids):
        n, steps, width = query.shape
        heads, size = self.num_heads, width // self.num_heads
        if self.in_proj_weight is not None:
            w_q, w_k, w_v = self.in_proj_weight.chunk(3)
        else:
            w_q, w_k, w_v = self.q_proj_weight, self.k_proj_weight, self.v_proj_weight
        b_q, b_k, b_v = self.in_proj_bias.chunk(3) if self.in_proj_bias is not None else (None, None, None)

        def split(x, w, b):  # (N, L, E) -> (N, heads, L, size)
            return F.linear(x, w, b).view(n, -1, heads, size).transpose(1, 2)

        q, k, v = split(query, w_q, b_q), split(value, w_k, b_k), split(value, w_v, b_v)
        scores = (q / math.sqrt(size)) @ k.transpose(-2, -1)
        blocked = (ids == 0)[:, None, None, :].expand(-1, 1, steps, -1)
        if self.causal:
            blocked = blocked | torch.ones(steps, ids.shape[1], dtype=torch.bool, device=ids.device).triu(1)
        weights = torch.softmax(scores.masked_fill(blocked, -1e9), dim=-1)
        if not self.empty_rows_even:
            weights = weights.masked_fill(blocked, 0.0)
        weights = F.dropout(weights, self.dropout, self.training)
        out = (weights @ v).transpose(1, 2).reshape(n, steps, width)
        return self.out_proj(out), weights
'''


def _widths(step: Step) -> tuple[int, int, int, int]:
    """(query width E, key/value width Ev, heads, per-head width)."""
    q = step.port_types["query"][0]
    v = step.port_types.get("value", [q])[0]
    heads = step.params["num_heads"]
    return q.last, v.last, heads, q.last // heads


@lower("multi_head_attention", init=lambda step, ctx: _attention_init(step, ctx))
def _attention(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    e, ev, heads, _ = _widths(step)
    kw = {"batch_first": "True"}
    if p["dropout"]:
        kw["dropout"] = lit(p["dropout"])
    if not p["use_bias"]:
        kw["bias"] = "False"
    if ev != e:
        kw.update(kdim=lit(ev), vdim=lit(ev))
    q = step.port_inputs["query"][0]
    v = step.port_inputs.get("value", [q])[0]
    mask = step.port_inputs.get("mask")
    steps = step.out.dims[1]
    weights = step.outs.get("weights")
    if mask:  # Keras' masking, written out (docs/equivalence.md §4): the same weights, no NaN
        cls = ctx.helper("MaskedAttention", MASKED_ATTENTION)
        ctx.imports.update({"F", "math"})
        kw["causal"] = lit(p["causal"])
        kw["empty_rows_even"] = lit(not p["dropout"] and weights is None)  # Keras' fused kernel (see the class)
        r = Rendered(build=[(_self(step), call(cls, lit(e), lit(heads), **kw))])
        r.apply.append((f"{step.var}, {weights or '_'}", call(_self(step), q, v, mask[0])))
        return r
    r = Rendered(build=[(_self(step), call("nn.MultiheadAttention", lit(e), lit(heads), **kw))])
    args = [q, v, v]
    extra = {}
    if p["causal"]:
        keys = step.port_types.get("value", step.port_types["query"])[0].dims[1]
        ones = call("torch.ones", lit(steps), lit(keys), dtype="torch.bool", device=f"{q}.device")
        extra["attn_mask"] = call("torch.triu", ones, diagonal="1")  # True above the diagonal: the future
    if weights is not None:
        extra.update(need_weights="True", average_attn_weights="False")
    else:
        extra["need_weights"] = "False"
    r.apply.append((f"{step.var}, {weights or '_'}", call(_self(step), *args, **extra)))
    return r


def _attention_init(step: Step, ctx: Ctx) -> list:
    """Keras' Glorot bounds: its EinsumDense kernels count (features in, features out) like a Dense layer,
    which PyTorch's xavier_uniform_ on the stacked (3E, E) in_proj_weight would not (docs/equivalence.md §4)."""
    e, ev, _, _ = _widths(step)
    ctx.imports.add("math")
    attn = _self(step)

    def uniform(target: str, fan_in: int, fan_out: int):
        bound = f"math.sqrt(6 / ({fan_in} + {fan_out}))"
        return ("", call("nn.init.uniform_", target, f"-{bound}", bound))

    if ev == e:
        out = [uniform(f"{attn}.in_proj_weight", e, e)]  # the same bound for Q, K and V
    else:
        out = [
            uniform(f"{attn}.q_proj_weight", e, e),
            uniform(f"{attn}.k_proj_weight", ev, e),
            uniform(f"{attn}.v_proj_weight", ev, e),
        ]
    out.append(uniform(f"{attn}.out_proj.weight", e, e))
    if step.params["use_bias"]:
        out += [
            ("", call("nn.init.zeros_", f"{attn}.in_proj_bias")),
            ("", call("nn.init.zeros_", f"{attn}.out_proj.bias")),
        ]
    return out


# ----------------------------------------------------------------------------- positions

POSITIONAL_EMBEDDING = '''
class PositionalEmbedding(nn.Module):
    """Adds a learned vector per position: a (steps, features) table."""

    def __init__(self, steps, features):
        super().__init__()
        self.table = nn.Parameter(torch.empty(steps, features))
        nn.init.uniform_(self.table, -0.05, 0.05)  # as Keras' Embedding

    def forward(self, x):
        return x + self.table
'''

SINUSOID = '''
def sinusoid_table(steps, features):
    """The Transformer's fixed position code: sin on even features, cos on odd ones (float32)."""
    position = np.arange(steps)[:, None]
    rate = np.exp(-np.log(10000.0) * np.arange(0, features, 2) / features)
    table = np.zeros((steps, features))
    table[:, 0::2] = np.sin(position * rate)
    table[:, 1::2] = np.cos(position * rate)
    return table.astype("float32")


class SinusoidalPosition(nn.Module):
    """Adds the fixed sinusoidal position code (no weights)."""

    def __init__(self, steps, features):
        super().__init__()
        self.register_buffer("table", torch.from_numpy(sinusoid_table(steps, features)), persistent=False)

    def forward(self, x):
        return x + self.table
'''


@lower("positional_embedding")
def _positional_embedding(step: Step, ctx: Ctx) -> Rendered:
    cls = ctx.helper("PositionalEmbedding", POSITIONAL_EMBEDDING)
    steps, features = step.t.dims[1], step.t.last
    return Rendered(
        build=[(_self(step), call(cls, lit(steps), lit(features)))],
        apply=[(step.var, call(_self(step), step.x))],
    )


@lower("sinusoidal_position")
def _sinusoidal_position(step: Step, ctx: Ctx) -> Rendered:
    ctx.helper("SinusoidalPosition", SINUSOID)
    steps, features = step.t.dims[1], step.t.last
    return Rendered(
        build=[(_self(step), call("SinusoidalPosition", lit(steps), lit(features)))],
        apply=[(step.var, call(_self(step), step.x))],
    )
