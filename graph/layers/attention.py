"""Attention and position layers for Transformers: multi-head attention, learned and sinusoidal positions.

Sequences are batch-first (N, T, F). Attention weights come out as (N, heads, T, S): the graph treats
them as a channels-first map (heads as channels), so they can be shown or processed like an image.
"""

from __future__ import annotations

from graph.layers._common import bool_param, float_param, int_param, use_bias_param
from graph.spec import IN, OUT, LayerSpec, Port, ShapeError
from graph.tensors import TensorType, sequence

SEQUENCE = ("N", "T", "F")


def expect_float_sequence(x: TensorType, layer: str, port: str = "in") -> None:
    if x.dtype == "int64":
        raise ShapeError(
            f"{layer} expects vectors per step, got token ids {x.label()}", "insert an Embedding first", port
        )
    if x.axes != SEQUENCE:
        raise ShapeError(
            f"{layer} expects a sequence (N,T,F), got {x.label()}",
            "feed it the output of an Embedding, an LSTM/GRU with return_sequences, or a Dense on a sequence",
            port,
        )


# ----------------------------------------------------------------------------- multi-head attention


def _attention_infer(p, i):
    q = i["query"]
    expect_float_sequence(q, "MultiHeadAttention", "query")
    v = i.get("value") or q
    if i.get("value") is not None:
        expect_float_sequence(v, "MultiHeadAttention", "value")
    heads, width = p["num_heads"], q.last
    if width % heads:
        divisors = [d for d in range(1, min(width, 64) + 1) if width % d == 0]
        raise ShapeError(
            f"MultiHeadAttention: {heads} heads do not divide the query width {width} "
            "(each head gets width/heads features)",
            f"choose num_heads among {divisors[-6:]}, or project the query with Dense to a multiple of {heads}",
            "query",
        )
    mask = i.get("mask")
    if mask is not None:
        if mask.dtype != "int64" or mask.axes != ("N", "T"):
            raise ShapeError(
                f"MultiHeadAttention: the mask port takes token ids (N, S), got {mask.label()}",
                "connect the Token Input that the keys come from (id 0 marks padding)",
                "mask",
            )
        if mask.dims[1] != v.dims[1]:
            raise ShapeError(
                f"MultiHeadAttention: the mask has {mask.dims[1]} positions, the keys {v.dims[1]}",
                "connect the token ids of the same sequence the keys and values come from",
                "mask",
            )
    steps, keys = q.dims[1], v.dims[1]
    weights = TensorType((None, heads, steps, keys), ("N", "C", "H", "W"))
    return {"out": sequence(steps, width), "weights": weights}


def _attention_count(p, i):
    q = i["query"]
    v = i.get("value") or q
    e, ev, bias = q.last, v.last, 1 if p["use_bias"] else 0
    weights = e * e + 2 * ev * e + e * e  # query, key, value and output projections
    return (weights + bias * 4 * e, 0)


# ----------------------------------------------------------------------------- positions


def _position_infer(layer):
    def infer(p, i):
        x = i["in"]
        expect_float_sequence(x, layer)
        if layer == "SinusoidalPosition" and x.last % 2:
            raise ShapeError(
                f"SinusoidalPosition needs an even number of features (sin and cos pairs), got {x.last}",
                f"make the features even, e.g. an Embedding or Dense with {x.last + 1} outputs",
            )
        return {"out": x}

    return infer


def _learned_count(p, i):
    x = i["in"]
    return (x.dims[1] * x.last, 0)


ORDER = 65  # palette position of this family (graph/layers/__init__.py)

SPECS = [
    LayerSpec(
        "multi_head_attention",
        "Attention",
        "MultiHeadAttention",
        "多头注意力",
        "Each position of the query looks at every position of the value sequence and takes a weighted "
        "average; several heads do this in parallel on slices of the features. Leave 'value' empty for "
        "self-attention; connect token ids to 'mask' to ignore padding.",
        "查询序列的每个位置都查看值序列的所有位置，并按权重取平均；多个头在特征的不同切片上并行计算。"
        "不连接 value 即为自注意力；把词元编号连到 mask 可忽略填充位置。",
        params=(
            int_param(
                "num_heads",
                4,
                "Attention heads; they split the query's features.",
                "注意力头数；各头平分查询的特征。",
                1,
                64,
            ),
            float_param(
                "dropout",
                0.0,
                "Dropout on the attention weights while training.",
                "训练时对注意力权重做 Dropout。",
                0.0,
                0.95,
            ),
            bool_param(
                "causal",
                False,
                "Each position sees only itself and earlier ones (for generating text).",
                "每个位置只能看到自己和之前的位置（用于生成文本）。",
            ),
            use_bias_param(),
        ),
        inputs=(
            Port("query", "the sequence that asks (N, T, E)"),
            Port("value", "keys and values (N, S, Ev); empty: the query itself", optional=True),
            Port("mask", "token ids (N, S) of the keys; id 0 is padding and is not attended", optional=True),
        ),
        outputs=(Port("out", "the attended sequence (N, T, E)"), Port("weights", "attention weights (N, heads, T, S)")),
        infer=_attention_infer,
        count=_attention_count,
        formula="head_i = softmax(Q_i K_iᵀ / √d) V_i,  Q = x W_Q, K = v W_K, V = v W_V;  "
        "out = concat(head_1 … head_h) W_O,  d = E / heads",
        formula_tex=(
            r"\mathrm{head}_i = \mathrm{softmax}\left(\dfrac{Q_i K_i^{\top}}{\sqrt{d}}\right) V_i,\quad d = E / h"
            "\n"
            r"Q = x W_Q,\quad K = v W_K,\quad V = v W_V"
            "\n"
            r"\mathrm{out} = [\mathrm{head}_1, \ldots, \mathrm{head}_h]\, W_O"
        ),
        icon="attention",
        extra={"base_name": "attention"},
        examples=({"num_heads": 2, "causal": True}, {"num_heads": 1, "use_bias": False}),
    ),
    LayerSpec(
        "positional_embedding",
        "Attention",
        "PositionalEmbedding",
        "可学习位置嵌入",
        "Adds a learned vector to every time step, one per position, so that attention can tell positions apart.",
        "给每个时间步加上一个可学习的向量（每个位置一个），让注意力能区分不同位置。",
        params=(),
        inputs=IN,
        outputs=OUT,
        infer=_position_infer("PositionalEmbedding"),
        count=_learned_count,
        formula="y[n, t] = x[n, t] + P[t],  P has shape (T, F)",
        formula_tex=r"y_{n,t} = x_{n,t} + P_t,\quad P \in \mathbb{R}^{T \times F}",
        icon="embedding",
        extra={"base_name": "positions"},
    ),
    LayerSpec(
        "sinusoidal_position",
        "Attention",
        "SinusoidalPosition",
        "正弦位置编码",
        "Adds the Transformer's fixed position code: sines and cosines of different frequencies (no weights).",
        "加上 Transformer 的固定位置编码：不同频率的正弦和余弦（没有可学习参数）。",
        params=(),
        inputs=IN,
        outputs=OUT,
        infer=_position_infer("SinusoidalPosition"),
        formula="PE[t, 2i] = sin(t / 10000^(2i/F)),  PE[t, 2i+1] = cos(t / 10000^(2i/F));  y = x + PE",
        formula_tex=(
            r"\mathrm{PE}_{t,2i} = \sin(t / 10000^{2i/F}),\quad \mathrm{PE}_{t,2i+1} = \cos(t / 10000^{2i/F})"
            "\n"
            r"y = x + \mathrm{PE}"
        ),
        icon="embedding",
        extra={"base_name": "positions"},
    ),
]
