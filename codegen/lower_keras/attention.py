"""Keras lowerings of the attention family (layers.MultiHeadAttention; position layers as small Layers).

The position layers are defined in the script itself and registered as serializable, so a checkpoint
loads with ``safe_mode=True`` (no lambda, no code from the file).
"""

from __future__ import annotations

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_keras._common import lower
from codegen.pyfmt import Call, call, lit

# ----------------------------------------------------------------------------- multi-head attention


def _attention_weights(step: Step, w: dict) -> list:
    """PyTorch's (out, in) projections → Keras' EinsumDense kernels (in, heads, head width)."""
    q_type = step.port_types["query"][0]
    e, heads = q_type.last, step.params["num_heads"]
    d = e // heads
    if "in_proj_weight" in w:
        wq, wk, wv = (w["in_proj_weight"][i * e : (i + 1) * e] for i in range(3))
    else:
        wq, wk, wv = w["q_proj_weight"], w["k_proj_weight"], w["v_proj_weight"]
    wo = w["out_proj.weight"]
    kernels = [m.T.reshape(m.shape[1], heads, d) for m in (wq, wk, wv)]
    out_kernel = wo.T.reshape(heads, d, e)
    if not step.params["use_bias"]:
        return [*kernels, out_kernel]
    bq, bk, bv = (w["in_proj_bias"][i * e : (i + 1) * e].reshape(heads, d) for i in range(3))
    return [kernels[0], bq, kernels[1], bk, kernels[2], bv, out_kernel, w["out_proj.bias"]]


@lower("multi_head_attention", weights=_attention_weights)
def _attention(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    q = step.port_inputs["query"][0]
    v = step.port_inputs.get("value", [q])[0]
    heads = p["num_heads"]
    kw = {"num_heads": lit(heads), "key_dim": lit(step.out.last // heads)}
    if p["dropout"]:
        kw["dropout"] = lit(p["dropout"])
    if not p["use_bias"]:
        kw["use_bias"] = "False"
    layer = call("layers.MultiHeadAttention", **kw, name=lit(step.name))
    extra = {}
    mask = step.port_inputs.get("mask")
    if mask:
        ctx.imports.add("ops")
        extra["value_mask"] = call("ops.not_equal", mask[0], "0")  # token id 0 is padding
    if p["causal"]:
        extra["use_causal_mask"] = "True"
    weights = step.outs.get("weights")
    r = Rendered()
    if weights is None:
        r.apply.append((step.var, call(layer, q, v, **extra)))
        return r
    extra["return_attention_scores"] = "True"
    r.apply.append((f"{step.var}, {weights}", call(layer, q, v, **extra)))
    # Keras returns the weights as (N, heads, T, S); the graph stores a map channels-last: (N, T, S, heads).
    ctx.imports.add("ops")  # ops, not a Permute layer: the weights carry Keras' mask, which Permute would drop
    r.apply.append((weights, call("ops.transpose", weights, lit((0, 2, 3, 1)))))
    return r


# ----------------------------------------------------------------------------- positions

POSITIONAL_EMBEDDING = '''
@keras.saving.register_keras_serializable(package="layerlab")
class PositionalEmbedding(layers.Layer):
    """Adds a learned vector per position: a (steps, features) table."""

    def __init__(self, steps, features, **kwargs):
        super().__init__(**kwargs)
        self.steps, self.features = steps, features
        init = keras.initializers.RandomUniform(-0.05, 0.05)  # as Embedding's default
        self.table = self.add_weight(shape=(steps, features), initializer=init, name="table")

    def call(self, x):
        return x + self.table

    def get_config(self):
        return {**super().get_config(), "steps": self.steps, "features": self.features}
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


@keras.saving.register_keras_serializable(package="layerlab")
class SinusoidalPosition(layers.Layer):
    """Adds the fixed sinusoidal position code (no weights)."""

    def __init__(self, steps, features, **kwargs):
        super().__init__(**kwargs)
        self.steps, self.features = steps, features
        self.table = sinusoid_table(steps, features)

    def call(self, x):
        return x + self.table

    def get_config(self):
        return {**super().get_config(), "steps": self.steps, "features": self.features}
'''


@lower("positional_embedding", weights=lambda step, w: [w["table"]])
def _positional_embedding(step: Step, ctx: Ctx) -> Rendered:
    ctx.helper("PositionalEmbedding", POSITIONAL_EMBEDDING)
    steps, features = step.t.dims[1], step.t.last
    layer = call("PositionalEmbedding", lit(steps), lit(features), name=lit(step.name))
    return Rendered(apply=[(step.var, Call(layer, (step.x,)))])


@lower("sinusoidal_position")
def _sinusoidal_position(step: Step, ctx: Ctx) -> Rendered:
    ctx.helper("SinusoidalPosition", SINUSOID)
    steps, features = step.t.dims[1], step.t.last
    layer = call("SinusoidalPosition", lit(steps), lit(features), name=lit(step.name))
    return Rendered(apply=[(step.var, Call(layer, (step.x,)))])
