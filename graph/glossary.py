"""Chinese for the words the specs share (parameter titles), kept in one place with no Qt.

The layer specs carry their own bilingual summaries and docs; a parameter title ("Kernel size") is
shared by many layers, so its translation lives here once. The test suite checks that every title in
the catalog and the training setup has one (docs/adding-a-layer.md).
"""

from __future__ import annotations

PARAM_TITLES_ZH = {
    "Dropout": "丢弃比例",
    "Num heads": "注意力头数",
    "Causal": "因果遮挡",
    "Loss weight": "损失权重",
    "Arrays": "数组对应",
    "Layers": "层数",
    "Dropout between layers": "层间丢弃比例",
    "Activation": "激活函数",
    "Alpha": "α 系数",
    "Approximate": "近似方式",
    "Axis": "轴",
    "Batch size": "批大小",
    "Beta1": "β1",
    "Beta2": "β2",
    "Bidirectional": "双向",
    "Ceil mode": "向上取整",
    "Channels": "通道数",
    "Count include pad": "平均时计入填充",
    "Dataset": "数据集",
    "Dataset path": "数据路径",
    "Dataset target": "目标列",
    "Dilation": "膨胀率",
    "Epochs": "训练轮数",
    "Epsilon": "ε（小常数）",
    "Features": "特征数",
    "Filters": "卷积核个数",
    "Framework": "框架",
    "Groups": "分组数",
    "Height": "高度",
    "Initial weights": "初始权重",
    "Input dim": "输入维度",
    "Interpolation": "插值方式",
    "Kernel size": "卷积核大小",
    "Label smoothing": "标签平滑",
    "Learning rate": "学习率",
    "Length": "长度",
    "Momentum": "动量",
    "Negative slope": "负半轴斜率",
    "Noise": "噪声",
    "Optimizer": "优化器",
    "Order": "轴顺序",
    "Output dim": "输出维度",
    "Output padding": "输出填充",
    "Padding": "填充",
    "Pool size": "池化窗口",
    "Rate": "丢弃比例",
    "Return sequences": "返回整个序列",
    "Sample rate": "采样率",
    "Samples": "样本数",
    "Scale": "放大倍数",
    "Seed": "随机种子",
    "Shuffle": "打乱顺序",
    "Spatial": "按通道丢弃",
    "Steps": "时间步数",
    "Stride": "步长",
    "Strides": "步长",
    "Target shape": "目标形状",
    "Test split": "测试集比例",
    "Tokens": "词元",
    "Units": "单元数",
    "Use bias": "使用偏置",
    "Validation split": "验证集比例",
    "Vocab size": "词表大小",
    "Weight decay": "权重衰减",
    "Width": "宽度",
    "Keep dims": "保留维度",
    "Cropping": "裁剪",
    "Depth": "深度",
    "Depth multiplier": "深度乘数",
    "Size": "放大倍数",
}


# Labels of choice values (the stored value stays the English id): datasets, optimisers, frameworks,
# tokenisation and the layers' choices. Names that are not words (relu, Adam, PyTorch) keep their spelling.
CHOICE_LABELS_ZH = {
    "digits": "手写数字（8×8）",
    "spirals": "双螺旋",
    "moons": "双月形",
    "circles": "同心圆",
    "xor": "异或",
    "mnist": "MNIST 手写数字",
    "csv": "CSV 表格",
    "npz": "NPZ 数组文件",
    "image_folder": "图像文件夹",
    "text": "纯文本（字符级）",
    "text_classes": "带标签的文本",
    "audio_folder": "音频文件夹",
    "adam": "Adam",
    "adamw": "AdamW",
    "sgd": "SGD",
    "rmsprop": "RMSprop",
    "pytorch": "PyTorch",
    "tensorflow": "TensorFlow",
    "char": "字符",
    "word": "词",
    "linear": "线性",
    "none": "无",
    "nearest": "最近邻",
    "bilinear": "双线性",
}


# Titles of the bundled examples (resources/examples/*.json "meta.title"), as File ▸ Examples lists them.
EXAMPLE_TITLES_ZH = {
    "Audio 1-D CNN": "音频一维 CNN",
    "Binary classifier": "二分类器",
    "Character-level LSTM": "字符级 LSTM",
    "Denoising autoencoder": "去噪自编码器",
    "Digits MLP": "手写数字 MLP",
    "MNIST MLP": "MNIST MLP",
    "GAN on digits": "手写数字 GAN",
    "GAN on two moons": "双月形 GAN",
    "MobileNet block": "MobileNet 模块",
    "Multi-task digits": "手写数字多任务",
    "Residual block": "残差模块",
    "Small CNN": "小型 CNN",
    "Spiral classifier": "螺旋分类器",
    "Squeeze-and-excitation": "挤压激励（SE）模块",
    "Text classifier": "文本分类器",
    "Tiny U-Net": "迷你 U-Net",
    "Transformer classifier": "Transformer 分类器",
    "Two branches": "双分支",
    "Two-input digits": "双输入手写数字",
}


# Descriptions of the bundled examples (their "meta.description", English), keyed by the file's stem.
EXAMPLE_DESCRIPTIONS_ZH = {
    "audio_cnn": "语音识别风格：一维 CNN 从重采样到 8 kHz 的 0.25 秒 WAV 文件中区分四种声音（低音、高音、上升和下降的啾声）。",
    "binary_moons": "两个交错的半月形：每个点一个 logit，对 0/1 标签用二元交叉熵。",
    "char_lstm": "PyTorch 的经典示例：LSTM 逐个读取字符并在每一步预测下一个字符，然后根据提示生成文本。"
    "训练数据是简·奥斯汀的《傲慢与偏见》（公有领域）。",
    "denoising_autoencoder": "卷积自编码器学习去除噪声：输入带噪声的 32×32 图形，输出干净的图形（逐像素回归，均方误差）。",
    "digits_mlp": "在 scikit-learn 自带的 8×8 手写数字上训练的 MNIST MLP：离线几秒即可训练完。",
    "gan_digits": "在自带的 8×8 手写数字上训练的生成对抗网络：生成器把 16 个随机数变成一张图像（tanh，"
    "因此真实图像缩放到 −1…1），判别器区分真实与生成的图像；单侧标签平滑 0.1。每轮训练后应用显示一格生成的数字。",
    "gan_moons": "生成对抗网络：生成器（噪声 → 全连接 → 二维点）学习画出双月形的点，判别器（点 → 全连接 → 真还是假？）"
    "学习区分生成的点与真实的点；两者轮流训练。应用把生成的点画在真实的点之上。",
    "mnist_mlp": "TensorFlow 的经典入门示例：展平 → 全连接 128 relu → 全连接 10 softmax，adam，"
    "稀疏分类交叉熵，5 轮（101,770 个参数）。",
    "mobilenet_block": "MobileNetV2 的倒残差模块：1×1 卷积把 16 个通道扩展到 64 个，3×3 深度卷积逐通道单独滤波，"
    "1×1 卷积投影回 16 个通道，再把输入加回来；中间有批归一化和 ReLU6。在 8×8 手写数字上训练。",
    "multi_task_digits": "一个共享的 CNN 带两个一起训练的输出头：数字（交叉熵）和图像的平均墨量（均方误差，损失权重 10）。"
    "数据：digits_views.npz（数组 image、digit、ink）。",
    "residual_block": "ResNet 风格的模块：输入跳过两个卷积后再加回来。",
    "small_cnn": "在 8×8 手写数字上，两个带批归一化和池化的卷积。",
    "spiral": "教学示例：二维螺旋中的一个点属于哪一条臂？观察决策边界如何形成。",
    "squeeze_excitation": "挤压激励模块（SENet）：全局平均 → 全连接 8 → 全连接 32 sigmoid 为每个通道给出一个权重，"
    "变形为 (32, 1, 1) 后通过广播与 (32, 8, 8) 的特征图相乘。",
    "text_classifier": "嵌入 → 双向 LSTM → 全连接：一句话讲的是哪个话题（天气、食物、运动、动物）？"
    "自带 400 个中英文句子，逐字符读取。",
    "transformer_classifier": "用基本层搭建的 Transformer 编码器模块：嵌入 + 可学习的位置 → 带遮挡的多头自注意力 → "
    "相加与层归一化 → 前馈网络 → 相加与层归一化 → 平均 → 话题。与 LSTM 文本分类器使用相同的 400 个中英文句子。",
    "two_branch": "一个全连接分支和一个卷积分支，由拼接层合并。",
    "two_input_digits": "两个输入：8×8 图像经过一个卷积，它的 16 个行列墨量和经过全连接层；两种视图拼接后分类。"
    "数据：digits_views.npz（数组 image、profile、digit）。",
    "unet_segmenter": "图像分割：把 32×32 图像的每个像素分类为背景、圆形、正方形或三角形。"
    "一次下采样、一次上采样，以及一个由拼接层合并的跳跃连接。",
}


def example_description(stem: str, description: str, lang: str = "en") -> str:
    """A bundled example's description (``description``, English) in ``lang``, by the file's ``stem``."""
    if lang.startswith("zh"):
        return EXAMPLE_DESCRIPTIONS_ZH.get(stem, description)
    return description


def example_title(title: str, lang: str = "en") -> str:
    """A bundled example's title in ``lang``."""
    return EXAMPLE_TITLES_ZH.get(title, title) if lang.startswith("zh") else title


def choice_label(value: str, lang: str = "en") -> str:
    """The label shown for a choice value in ``lang``; the value itself where none is known."""
    if lang.startswith("zh"):
        return CHOICE_LABELS_ZH.get(value, value)
    return value


def param_title(param, lang: str = "en") -> str:
    """A parameter's title in ``lang`` ("en" or "zh…"); English where no translation exists."""
    if lang.startswith("zh"):
        return PARAM_TITLES_ZH.get(param.title, param.title)
    return param.title


def _param_titles() -> dict[str, object]:
    """Every parameter name of the built-in layers and the training setup → its Param (first one wins)."""
    if not _PARAMS:
        from graph.catalog import default_catalog
        from graph.project import SETUP_BY_NAME

        for spec in default_catalog():
            for p in spec.params:
                _PARAMS.setdefault(p.name, p)
        for name, p in SETUP_BY_NAME.items():
            _PARAMS.setdefault(name, p)
    return _PARAMS


_PARAMS: dict[str, object] = {}


def param_name(name: str, lang: str = "en") -> str:
    """A parameter named in a message (``filters``) as the UI shows it in ``lang``: its Chinese title
    (卷积核个数) for ``zh``; the name itself in English or when no parameter of that name is known."""
    if not lang.startswith("zh"):
        return name
    param = _param_titles().get(name)
    return param_title(param, lang) if param is not None else name
