"""Embedding and recurrent layers (SimpleRNN, LSTM, GRU) on batch-first sequences (N, T, F).

LSTM and SimpleRNN have a single bias per direction (as in Keras); the PyTorch emitter freezes
``bias_hh`` at zero so counts and training match. GRU keeps both biases (Keras ``reset_after=True``).
"""

from __future__ import annotations

from graph import fixes
from graph.layers._common import bool_param, choice_param, float_param, int_param
from graph.spec import IN, OUT, LayerSpec, Port, ShapeError
from graph.tensors import TensorType, sequence, vector

SEQUENCE = ("N", "T", "F")


# ----------------------------------------------------------------------------- Embedding


def _embedding_infer(p, i):
    x: TensorType = i["in"]
    if x.dtype != "int64":
        raise ShapeError(
            f"Embedding expects integer token ids (N,T), got float values {x.label()}",
            "feed it from a Token Input; for float features use Dense instead",
        )
    if x.axes != ("N", "T"):
        raise ShapeError(
            f"Embedding expects token ids of shape (N,T), got {x.label()}",
            "connect a Token Input (N, T) directly to the Embedding",
        )
    return {"out": sequence(x.dims[1], p["output_dim"])}


def _embedding_count(p, i):
    return (p["input_dim"] * p["output_dim"], 0)


# ----------------------------------------------------------------------------- recurrent layers


def _expect_sequence(x: TensorType, layer: str) -> None:
    if x.dtype == "int64":
        raise ShapeError(
            f"{layer} expects float feature vectors per step, got token ids {x.label()}",
            "insert an Embedding layer first",
            action=fixes.insert_before("embedding"),
        )
    if x.axes == SEQUENCE:
        return
    action = None
    if x.axes == ("N", "C", "H", "W"):
        c, h, w = x.dims[1:]
        fix = f"insert Reshape to [{h}, {c * w}] before {layer} (image rows as time steps)"
        action = fixes.insert_before("reshape", {"target_shape": [h, c * w]})
    elif x.axes == ("N", "C", "L"):
        fix = f"insert Permute [2, 1] before {layer} so that time comes first: (N, L, C)"
        action = fixes.insert_before("permute", {"order": [2, 1]})
    elif x.axes == ("N", "F"):
        fix = f"insert Reshape to [steps, features] before {layer}, e.g. [{x.last}, 1]"
        action = fixes.insert_before("reshape", {"target_shape": [x.last, 1]})
    else:
        fix = f"insert Reshape to [steps, features] before {layer}"
    raise ShapeError(f"{layer} expects a sequence (N,T,F), got {x.label()}", fix, action=action)


def _directions(p) -> int:
    return 2 if p.get("bidirectional") else 1


def _rnn_infer(layer):
    def infer(p, i):
        x = i["in"]
        _expect_sequence(x, layer)
        width = p["units"] * _directions(p)
        out = sequence(x.dims[1], width) if p["return_sequences"] else vector(width)
        return {"out": out, "state": vector(width)}

    return infer


def _rnn_count(gates: int, biases_per_gate: int):
    """Count rule for ``gates`` blocks of H units, each with ``biases_per_gate`` bias vectors, per level."""

    def count(p, i):
        h, dirs = p["units"], _directions(p)
        total, f = 0, i["in"].last
        for _ in range(p.get("num_layers", 1)):
            total += dirs * (gates * h * (f + h) + biases_per_gate * gates * h)
            f = h * dirs  # the next level reads both directions
        return (total, 0)

    return count


def _num_layers():
    return int_param(
        "num_layers",
        1,
        "Stacked recurrent layers; each reads the whole output sequence of the one below.",
        "堆叠的循环层数；每一层读取下一层输出的整个序列。",
        1,
        16,
        label="Layers",
    )


def _dropout():
    return float_param(
        "dropout",
        0.0,
        "Dropout on the outputs of every stacked layer but the last (only with 2 or more layers).",
        "对除最后一层外每个堆叠层的输出做 Dropout（只在 2 层及以上时起作用）。",
        0.0,
        0.95,
        label="Dropout between layers",
    )


RNN_OUTPUTS = (
    Port("out", "the output sequence (or the last step's output)"),
    Port("state", "the final hidden state of the top layer (both directions concatenated)"),
)


def _units():
    return int_param("units", 64, "Size of the hidden state H.", "隐藏状态的大小 H（隐藏单元数）。", 1, 100_000)


def _return_sequences():
    return bool_param(
        "return_sequences",
        False,
        "Output the hidden state of every step (N, T, H) instead of only the last one (N, H).",
        "输出每个时间步的隐藏状态 (N, T, H)，而不是只输出最后一步 (N, H)。",
    )


def _bidirectional():
    return bool_param(
        "bidirectional",
        False,
        "Also read the sequence backwards and concatenate both directions (output width 2H).",
        "再反向读一遍序列，并把两个方向的输出拼接起来（输出宽度为 2H）。",
    )


LSTM_FORMULA = """i = σ(W_i x_t + U_i h_{t−1} + b_i)
f = σ(W_f x_t + U_f h_{t−1} + b_f)
g = tanh(W_g x_t + U_g h_{t−1} + b_g)
o = σ(W_o x_t + U_o h_{t−1} + b_o)
c_t = f ⊙ c_{t−1} + i ⊙ g
h_t = o ⊙ tanh(c_t)"""

GRU_FORMULA = """r = σ(W_r x_t + b_ir + U_r h_{t−1} + b_hr)
z = σ(W_z x_t + b_iz + U_z h_{t−1} + b_hz)
n = tanh(W_n x_t + b_in + r ⊙ (U_n h_{t−1} + b_hn))
h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}"""

ORDER = 60  # palette position of this family (graph/layers/__init__.py)

SPECS = [
    LayerSpec(
        "embedding",
        "Core",
        "Embedding",
        "嵌入层",
        "Looks up a learnable vector for every token id: (N, T) integer ids become (N, T, F) vectors.",
        "为每个词元编号查找一个可学习的向量：(N, T) 的整数编号变成 (N, T, F) 的向量序列。",
        params=(
            int_param(
                "input_dim",
                64,
                "Vocabulary size: number of distinct token ids (ids go from 0 to input_dim − 1).",
                "词表大小：不同词元编号的个数（编号从 0 到 input_dim − 1）。",
                1,
                10**7,
            ),
            int_param("output_dim", 32, "Length F of each embedding vector.", "每个嵌入向量的长度 F。", 1, 100_000),
        ),
        inputs=IN,
        outputs=OUT,
        infer=_embedding_infer,
        count=_embedding_count,
        formula="y[n, t] = E[x[n, t]],  E has shape (input_dim, output_dim)",
        formula_tex=r"y_{n,t} = E_{x_{n,t}},\quad E \in \mathbb{R}^{V \times D}",
        icon="embedding",
        extra={"base_name": "embedding"},
        examples=({"input_dim": 11, "output_dim": 3},),
    ),
    LayerSpec(
        "simple_rnn",
        "Recurrent",
        "SimpleRNN",
        "简单循环层",
        "The basic recurrent layer: at each step the new hidden state mixes the input with the previous state.",
        "最基本的循环层：每一步的新隐藏状态由当前输入和上一步的隐藏状态共同计算得到。",
        params=(
            _units(),
            choice_param(
                "activation", "tanh", ("tanh", "relu"), "Activation of the hidden state.", "隐藏状态使用的激活函数。"
            ),
            _return_sequences(),
        ),
        inputs=IN,
        outputs=RNN_OUTPUTS,
        infer=_rnn_infer("SimpleRNN"),
        count=_rnn_count(1, 1),
        formula="h_t = activation(W x_t + U h_{t−1} + b)",
        formula_tex=r"h_t = f\,(W x_t + U h_{t-1} + b),\quad h_0 = 0",
        icon="rnn",
        extra={"base_name": "rnn", "single_bias": True},
    ),
    LayerSpec(
        "lstm",
        "Recurrent",
        "LSTM",
        "LSTM 长短期记忆",
        "Long short-term memory: input, forget and output gates control a memory cell, so the layer can keep "
        "information over many steps.",
        "长短期记忆网络：用输入门、遗忘门和输出门控制一个记忆单元，因此能在很多步之间保留信息。",
        params=(_units(), _return_sequences(), _bidirectional(), _num_layers(), _dropout()),
        inputs=IN,
        outputs=RNN_OUTPUTS,
        infer=_rnn_infer("LSTM"),
        count=_rnn_count(4, 1),
        formula=LSTM_FORMULA,
        formula_tex=(
            r"i_t = \sigma(W_i x_t + U_i h_{t-1} + b_i)"
            "\n"
            r"f_t = \sigma(W_f x_t + U_f h_{t-1} + b_f)"
            "\n"
            r"g_t = \tanh(W_g x_t + U_g h_{t-1} + b_g)"
            "\n"
            r"o_t = \sigma(W_o x_t + U_o h_{t-1} + b_o)"
            "\n"
            r"c_t = f_t \odot c_{t-1} + i_t \odot g_t"
            "\n"
            r"h_t = o_t \odot \tanh(c_t)"
        ),
        icon="rnn",
        extra={"base_name": "lstm", "single_bias": True},
        examples=(
            {"units": 3, "return_sequences": True, "bidirectional": True},
            {"units": 3, "num_layers": 3, "dropout": 0.2},
            {"units": 3, "num_layers": 2, "bidirectional": True, "return_sequences": True},
        ),
    ),
    LayerSpec(
        "gru",
        "Recurrent",
        "GRU",
        "GRU 门控循环单元",
        "Gated recurrent unit: a lighter LSTM with a reset gate and an update gate and no separate memory cell.",
        "门控循环单元：比 LSTM 更轻量，只有重置门和更新门，没有单独的记忆单元。",
        params=(_units(), _return_sequences(), _bidirectional(), _num_layers(), _dropout()),
        inputs=IN,
        outputs=RNN_OUTPUTS,
        infer=_rnn_infer("GRU"),
        count=_rnn_count(3, 2),
        formula=GRU_FORMULA,
        formula_tex=(
            r"r_t = \sigma(W_r x_t + b_{ir} + U_r h_{t-1} + b_{hr})"
            "\n"
            r"z_t = \sigma(W_z x_t + b_{iz} + U_z h_{t-1} + b_{hz})"
            "\n"
            r"n_t = \tanh(W_n x_t + b_{in} + r_t \odot (U_n h_{t-1} + b_{hn}))"
            "\n"
            r"h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}"
        ),
        icon="rnn",
        extra={"base_name": "gru", "reset_after": True},
        examples=(
            {"units": 3, "return_sequences": True, "bidirectional": True},
            {"units": 3, "num_layers": 3, "dropout": 0.2},
            {"units": 3, "num_layers": 2, "bidirectional": True, "return_sequences": True},
        ),
    ),
]
