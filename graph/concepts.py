"""The ideas behind the layers, for the Layer Reference's Concepts: losses, activations, how a network learns.

Each concept has an English and a Simplified Chinese title and explanation and a formula in matplotlib's
mathtext (the same TeX subset as ``LayerSpec.formula_tex``: one expression per line, without ``$``)
and as plain text.
``layers`` names the catalog layers it explains, so the reference can link a layer to its concepts and
back. No Qt here: the docs and tests read these too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    key: str
    title: str
    title_zh: str
    text: str
    text_zh: str
    tex: str
    layers: tuple[str, ...] = ()  # type ids of the layers this concept explains
    formula: str = ""  # the formula as plain text, to copy

    def title_in(self, lang: str = "en") -> str:
        return self.title_zh if lang.startswith("zh") and self.title_zh else self.title

    def text_in(self, lang: str = "en") -> str:
        return self.text_zh if lang.startswith("zh") and self.text_zh else self.text


CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "tensor",
        "Tensor",
        "张量",
        "The data that flows along the edges: an array of numbers with a shape. A batch of N colour images is "
        "a tensor of shape (N, C, H, W); a batch of sequences has shape (N, T, F). LayerLab shows the shape on "
        "every edge and checks that each layer gets the shape it expects.",
        "沿连线流动的数据：一个带有形状的数字数组。一批 N 张彩色图像是形状为 (N, C, H, W) 的张量；一批序列的形状是 "
        "(N, T, F)。LayerLab 在每条连线上显示形状，并检查每一层得到的是否是它期望的形状。",
        r"x \in \mathbb{R}^{N \times C \times H \times W}",
        ("input.vector", "input.image", "input.sequence", "reshape", "flatten"),
        formula="x ∈ ℝ^(N×C×H×W)",
    ),
    Concept(
        "computational_graph",
        "Computational graph",
        "计算图",
        "A model drawn as operations (the nodes) joined by the tensors they pass on (the edges): what you draw "
        "on LayerLab's canvas. The forward pass evaluates the graph from the inputs to the loss; "
        "backpropagation walks the same graph backwards. Branches and merges (Add, Concatenate) make it a "
        "graph rather than a chain.",
        "把模型画成由运算（节点）和它们传递的张量（连线）组成的图，也就是你在 LayerLab 画布上画的东西。前向传播从输入到"
        "损失依次计算这张图；反向传播沿同一张图反向进行。分支与合并（相加、拼接）让它成为一张图，而不只是一条链。",
        r"L = \ell\,(f_3(f_2(f_1(x))),\, y)",
        ("add", "concatenate"),
        formula="L = ℓ(f₃(f₂(f₁(x))), y)",
    ),
    Concept(
        "relu",
        "ReLU",
        "ReLU 线性整流",
        "The usual activation of hidden layers: positive values pass unchanged, negative ones become 0. It is "
        "cheap to compute, and its slope is 1 wherever the unit is active, so gradients do not shrink as they "
        "pass back through many layers.",
        "隐藏层最常用的激活函数：正值原样通过，负值变为 0。它计算简单，而且在单元激活处斜率恒为 1，"
        "所以梯度反向穿过很多层时不会越变越小。",
        r"\mathrm{ReLU}(x) = \max(0, x)",
        ("relu", "leaky_relu", "relu6", "prelu", "elu"),
        formula="ReLU(x) = max(0, x)",
    ),
    Concept(
        "sigmoid",
        "Sigmoid",
        "Sigmoid 函数",
        "Squashes any real number into (0, 1), so its output can be read as a probability: the output of a "
        "binary classifier. Its slope σ(x)(1 − σ(x)) is at most 1/4 and vanishes for large |x|, which is why "
        "deep stacks of sigmoids learn slowly.",
        "把任意实数压缩到 (0, 1)，因此输出可以看作概率，常用作二分类器的输出。它的斜率 σ(x)(1 − σ(x)) 最大为 1/4，"
        "|x| 很大时趋于 0，所以层层堆叠的 sigmoid 学得很慢。",
        r"\sigma(x) = \dfrac{1}{1 + e^{-x}},\quad \sigma^{\prime}(x) = \sigma(x)\,(1 - \sigma(x))",
        ("sigmoid", "output.binary", "output.multilabel", "silu", "lstm", "gru"),
        formula="σ(x) = 1 / (1 + e^(−x)),  σ′(x) = σ(x)·(1 − σ(x))",
    ),
    Concept(
        "tanh",
        "Tanh",
        "双曲正切",
        "Squashes values into (−1, 1), centred on 0. Recurrent layers (LSTM, GRU) use it, and so do outputs "
        "that must lie between −1 and 1, such as the images of a GAN's generator. It is a rescaled sigmoid.",
        "把数值压缩到 (−1, 1)，以 0 为中心。循环层（LSTM、GRU）使用它，输出必须在 −1 到 1 之间时也用它，"
        "例如 GAN 生成器输出的图像。它是缩放过的 sigmoid。",
        r"\tanh(x) = \dfrac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\,\sigma(2x) - 1",
        ("tanh", "lstm", "gru", "simple_rnn"),
        formula="tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)) = 2σ(2x) − 1",
    ),
    Concept(
        "softmax",
        "Softmax",
        "Softmax 归一化指数",
        "Turns a vector of K scores (logits) into probabilities: every output is positive, they sum to 1, and "
        "the largest score gets the largest probability. It ends a multi-class classifier, where LayerLab "
        "folds it into the cross-entropy loss; attention uses it to weight the positions.",
        "把 K 个分数（logits）变成概率：每个输出都为正，总和为 1，分数最大的得到最大的概率。它是多分类器的最后一步，"
        "LayerLab 会把它并入交叉熵损失；注意力机制也用它给各个位置分配权重。",
        r"\mathrm{softmax}(z)_i = \dfrac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}",
        ("softmax", "output.classification", "multi_head_attention"),
        formula="softmax(z)_i = e^(z_i) / Σ_j e^(z_j)",
    ),
    Concept(
        "mse",
        "Mean squared error (MSE)",
        "均方误差（MSE）",
        "The loss of regression: the mean of the squared differences between the predictions ŷ and the "
        "targets y. Squaring makes every error count as positive and punishes large errors far more than "
        "small ones; the gradient 2(ŷ − y)/n pulls each prediction towards its target.",
        "回归任务的损失：预测值 ŷ 与目标值 y 之差的平方的平均值。平方让每个误差都计为正值，并且对大误差的惩罚远大于小误差；"
        "梯度 2(ŷ − y)/n 把每个预测拉向它的目标。",
        r"\mathrm{MSE} = \dfrac{1}{n} \sum_{i=1}^{n} (\hat{y}_i - y_i)^2",
        ("output.regression",),
        formula="MSE = (1/n) Σ_i (ŷ_i − y_i)²",
    ),
    Concept(
        "cross_entropy",
        "Cross-entropy",
        "交叉熵",
        "The loss of classification: minus the logarithm of the probability the model gives the correct "
        "class. It is 0 when the model is sure and right, and grows without limit as that probability goes to "
        "0. With one-hot targets y it is −log p of the true class; binary cross-entropy is the two-class case.",
        "分类任务的损失：模型给正确类别的概率取对数再取负。模型确信且正确时为 0，这个概率趋于 0 时损失无限增大。"
        "目标 y 为独热编码时它等于正确类别概率的负对数；二元交叉熵是只有两个类别的情形。",
        r"\mathrm{CE}(y, p) = -\sum_{k=1}^{K} y_k\, \log p_k,\quad p = \mathrm{softmax}(z)"
        "\n"
        r"\mathrm{BCE}(y, p) = -\left[y\, \log p + (1 - y)\, \log(1 - p)\right]",
        ("output.classification", "output.binary", "output.multilabel"),
        formula="CE(y, p) = −Σ_k y_k·log p_k,  p = softmax(z)\nBCE(y, p) = −[y·log p + (1 − y)·log(1 − p)]",
    ),
    Concept(
        "gradient_descent",
        "Gradient descent",
        "梯度下降",
        "How a network learns: compute the loss L on a batch of examples, its gradient ∇L with respect to "
        "every parameter θ (by backpropagation), and move each parameter a small step against its gradient, "
        "downhill. The learning rate η sets the step; optimisers such as Adam adapt it for each parameter.",
        "网络学习的方法：在一批样本上计算损失 L，（用反向传播）求出它对每个参数 θ 的梯度 ∇L，再让每个参数逆着梯度"
        "（往下坡）走一小步。学习率 η 决定步长；Adam 等优化器会为每个参数分别调整步长。",
        r"\theta \leftarrow \theta - \eta\, \nabla_{\theta} L",
        formula="θ ← θ − η·∇_θ L",
    ),
    Concept(
        "backpropagation",
        "Backpropagation",
        "反向传播",
        "How the gradients are computed: the chain rule applied backwards through the computational graph. "
        "Starting from the loss, each layer y = f(x; W) receives ∂L/∂y, multiplies it by its own local "
        "derivatives to get the gradient of its weights ∂L/∂W, and passes ∂L/∂x on to the layer before it.",
        "梯度的计算方法：沿计算图反向应用链式法则。从损失出发，每一层 y = f(x; W) 接收 ∂L/∂y，乘以自己的局部导数，"
        "得到它的权重的梯度 ∂L/∂W，并把 ∂L/∂x 传给前一层。",
        r"\dfrac{\partial L}{\partial x} = \dfrac{\partial L}{\partial y}\, \dfrac{\partial y}{\partial x},\quad "
        r"\dfrac{\partial L}{\partial W} = \dfrac{\partial L}{\partial y}\, \dfrac{\partial y}{\partial W}",
        formula="∂L/∂x = ∂L/∂y · ∂y/∂x,  ∂L/∂W = ∂L/∂y · ∂y/∂W",
    ),
)

_BY_KEY = {c.key: c for c in CONCEPTS}


def concept(key: str) -> Concept:
    """The concept called ``key``; KeyError when there is none."""
    return _BY_KEY[key]


def concepts_for_layer(type_id: str) -> list[Concept]:
    """The concepts that explain the layer ``type_id``, in the order of ``CONCEPTS``."""
    return [c for c in CONCEPTS if type_id in c.layers]


def matches(c: Concept, query: str) -> bool:
    """Whether every word of ``query`` occurs in the concept's key, titles or texts (either language)."""
    hay = " ".join((c.key.replace("_", " "), c.title, c.title_zh, c.text, c.text_zh)).casefold()
    return all(word in hay for word in query.casefold().split())


__all__ = ["CONCEPTS", "Concept", "concept", "concepts_for_layer", "matches"]
