"""Input layers: where samples enter the model (vectors, images, volumes, sequences, token ids).

Each input spec lists its shape parameters in the order of the sample's (channels-first) dims in
``extra["shape_params"]``: the app fills them from a dataset's sample shape.
"""

from __future__ import annotations

from graph.layers._common import int_param
from graph.spec import OUT, LayerSpec
from graph.tensors import image, sequence, signal, tokens, vector, volume


def _feature_param():
    return int_param("features", 2, "Number of features per sample.", "每个样本的特征数。", minimum=1, maximum=10**7)


ORDER = 10  # palette position of this family (graph/layers/__init__.py)

SPECS = [
    LayerSpec(
        "input.vector",
        "Input",
        "Vector Input",
        "向量输入",
        "A batch of feature vectors, shape (N, F).",
        "一批特征向量，形状为 (N, F)。",
        params=(_feature_param(),),
        inputs=(),
        outputs=OUT,
        infer=lambda p, i: {"out": vector(p["features"])},
        formula_tex=r"x \in \mathbb{R}^{N \times F}",
        is_input=True,
        icon="input",
        extra={"base_name": "inputs", "shape_params": ("features",)},
    ),
    LayerSpec(
        "input.image",
        "Input",
        "Image Input",
        "图像输入",
        "A batch of images in channels-first layout, shape (N, C, H, W).",
        "一批图像，通道在前，形状为 (N, C, H, W)。",
        params=(
            int_param("channels", 1, "Colour channels (1 grey, 3 RGB).", "颜色通道数（灰度为 1，彩色为 3）。", 1, 4096),
            int_param("height", 28, "Image height in pixels.", "图像高度（像素）。", 1, 16384),
            int_param("width", 28, "Image width in pixels.", "图像宽度（像素）。", 1, 16384),
        ),
        inputs=(),
        outputs=OUT,
        infer=lambda p, i: {"out": image(p["channels"], p["height"], p["width"])},
        formula_tex=r"x \in \mathbb{R}^{N \times C \times H \times W}",
        is_input=True,
        icon="image",
        extra={"base_name": "images", "shape_params": ("channels", "height", "width")},
    ),
    LayerSpec(
        "input.volume",
        "Input",
        "Volume Input",
        "体数据输入",
        "A batch of volumes (3-D scans, short video clips) in channels-first layout, shape (N, C, D, H, W). "
        "Feed it to Conv3D.",
        "一批体数据（三维扫描、短视频片段），通道在前，形状为 (N, C, D, H, W)，通常接三维卷积。",
        params=(
            int_param(
                "channels",
                1,
                "Channels per voxel (1 grey, 3 RGB).",
                "每个体素的通道数（灰度为 1，彩色为 3）。",
                1,
                4096,
            ),
            int_param(
                "depth", 16, "Depth of the volume (slices or frames).", "体数据的深度（切片数或帧数）。", 1, 16384
            ),
            int_param("height", 32, "Height of each slice in pixels.", "每个切片的高度（像素）。", 1, 16384),
            int_param("width", 32, "Width of each slice in pixels.", "每个切片的宽度（像素）。", 1, 16384),
        ),
        inputs=(),
        outputs=OUT,
        infer=lambda p, i: {"out": volume(p["channels"], p["depth"], p["height"], p["width"])},
        formula_tex=r"x \in \mathbb{R}^{N \times C \times D \times H \times W}",
        is_input=True,
        icon="image",
        extra={"base_name": "volumes", "shape_params": ("channels", "depth", "height", "width")},
    ),
    LayerSpec(
        "input.sequence",
        "Input",
        "Sequence Input",
        "序列输入",
        "A batch of sequences of feature vectors, shape (N, T, F), batch first.",
        "一批特征向量序列，形状为 (N, T, F)，批次在前。",
        params=(
            int_param("steps", 32, "Time steps per sequence.", "每个序列的时间步数。", 1, 10**6),
            int_param("features", 8, "Features per time step.", "每个时间步的特征数。", 1, 10**6),
        ),
        inputs=(),
        outputs=OUT,
        infer=lambda p, i: {"out": sequence(p["steps"], p["features"])},
        formula_tex=r"x \in \mathbb{R}^{N \times T \times F}",
        is_input=True,
        icon="sequence",
        extra={"base_name": "sequences", "shape_params": ("steps", "features")},
    ),
    LayerSpec(
        "input.signal",
        "Input",
        "Signal Input",
        "信号输入",
        "A batch of 1-D signals (audio, sensors) in channels-first layout, shape (N, C, L). Feed it to Conv1D.",
        "一批一维信号（音频、传感器），通道在前，形状为 (N, C, L)，通常接一维卷积。",
        params=(
            int_param("channels", 1, "Signal channels.", "信号通道数。", 1, 4096),
            int_param("length", 128, "Samples per signal.", "每个信号的采样点数。", 1, 10**7),
        ),
        inputs=(),
        outputs=OUT,
        infer=lambda p, i: {"out": signal(p["channels"], p["length"])},
        formula_tex=r"x \in \mathbb{R}^{N \times C \times L}",
        is_input=True,
        icon="signal",
        extra={"base_name": "signals", "shape_params": ("channels", "length")},
    ),
    LayerSpec(
        "input.tokens",
        "Input",
        "Token Input",
        "词元输入",
        "A batch of integer token ids (characters or words), shape (N, T). Feed it to an Embedding.",
        "一批整数词元编号（字符或单词），形状为 (N, T)，通常接嵌入层。",
        params=(
            int_param("steps", 64, "Tokens per sequence.", "每个序列的词元数。", 1, 10**6),
            int_param("vocab_size", 64, "Number of distinct token ids.", "不同词元的数量（词表大小）。", 2, 10**7),
        ),
        inputs=(),
        outputs=OUT,
        infer=lambda p, i: {"out": tokens(p["steps"])},
        formula_tex=r"x_{n,t} \in \{0, 1, \ldots, V - 1\},\quad x \in \mathbb{Z}^{N \times T}",
        is_input=True,
        icon="tokens",
        # Not filled from the data: text datasets adapt to the Input, and float data never fit a Token Input.
        extra={"base_name": "tokens", "shape_params": ()},
    ),
    LayerSpec(
        "input.noise",
        "Input",
        "Noise Input",
        "噪声输入",
        "Random numbers for a GAN's generator: each sample is a vector z drawn from N(0, 1), shape (N, Z). "
        "The scripts draw it themselves; it never comes from the data.",
        "GAN 生成器的随机输入：每个样本是从 N(0, 1) 抽取的向量 z，形状为 (N, Z)。由脚本自己抽取，不来自数据。",
        params=(int_param("size", 16, "Length Z of each noise vector.", "每个噪声向量的长度 Z。", 1, 100_000),),
        inputs=(),
        outputs=OUT,
        infer=lambda p, i: {"out": vector(p["size"])},
        formula_tex=r"z \sim \mathcal{N}(0, I),\quad z \in \mathbb{R}^{N \times Z}",
        is_input=True,
        icon="input",
        extra={"base_name": "noise", "shape_params": ()},
    ),
]
