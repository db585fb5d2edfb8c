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
