"""Chinese for the problems and fixes that graph/ reports, with no Qt: a message catalog.

graph/ writes its diagnostics in English (the CLI, the generated scripts and the tests read them).
Each catalog entry is an English template and its Chinese template with the same ``{placeholders}``;
``localize(text, "zh")`` recognises an English message by its template, takes the values out of it
and fills them into the Chinese template (a captured layer name or other English word is translated
too when ``WORDS`` knows it). The analysis builds its own messages from the catalog with ``message()``,
so the English text and the template cannot drift apart. A message the catalog does not know is shown
in English, unchanged (``known()`` tells which; the test suite walks the bundled examples).
"""

from __future__ import annotations

import re
from functools import lru_cache

# id: (English template, Chinese template). More specific templates come before general ones.
MESSAGES: dict[str, tuple[str, str]] = {
    # --- the analysis' own messages (graph/analysis.py)
    "unconnected.one": ("{layer} has no input connected", "{layer} 没有连接输入"),
    "unconnected.port": ("input {port} of {layer} is not connected", "{layer} 的输入 {port} 未连接"),
    "unconnected.fix": ("connect a layer's output to it, or delete it", "把某一层的输出连接到它，或删除它"),
    "bad-param.fix": ("set {param} to a valid value", "把 {param} 设为有效的值"),
    "missing-param": ("missing parameter {param}", "缺少参数 {param}"),
    "too-large.fix": (
        "use smaller sizes (input, units, filters) or more pooling",
        "减小尺寸（输入、单元数、卷积核个数）或增加池化",
    ),
    "empty": ("the model is empty", "模型是空的"),
    "empty.fix": ("drag an Input layer from the palette", "从层面板拖入一个输入层"),
    "no-input": ("the model has no Input layer", "模型没有输入层"),
    "no-input.fix": ("add an Input layer", "添加一个输入层"),
    "unused": ("the output of {layer} is not used", "{layer} 的输出没有被使用"),
    "unused.fix": ("connect it or delete it", "连接它或删除它"),
    "no-head": ("the model has no output head, so there is no loss to train", "模型没有输出头，因此没有可训练的损失"),
    "no-head.fix": (
        "connect an output head (Classification, Regression or Binary) after this layer",
        "在这一层之后连接一个输出头（分类、回归或二分类）",
    ),
    "dataset.fix": (
        "choose an existing file or folder for the dataset in the training setup",
        "在训练设置中为数据集选择一个存在的文件或文件夹",
    ),
    "gan-shape": (
        "the generator makes {made} but the discriminator reads {read}",
        "生成器输出 {made}，但判别器读取 {read}",
    ),
    "gan-shape.fix": (
        "give the discriminator's Input the shape ({dims}), or change the generator's last layers",
        "把判别器的输入形状设为 ({dims})，或修改生成器的最后几层",
    ),
    "several-arrays": (
        "a model with {inputs} Inputs and {heads} heads trains on an .npz file with one array per Input and head; "
        "{kind} data have one input and one target",
        "有 {inputs} 个输入和 {heads} 个输出头的模型需要用 .npz 文件训练（每个输入和输出头一个数组）；"
        "{kind} 数据只有一个输入和一个目标",
    ),
    "several-arrays.fix": (
        "choose NPZ in the training setup and name the arrays after the Inputs and heads (or map them with Arrays)",
        "在训练设置中选择 NPZ，并按输入和输出头的名称命名数组（或用“数组对应”映射）",
    ),
    # --- dataset checks (graph/datasets.py)
    "data.tokens": (
        "{kind} data are token ids; use a Token Input (got {got})",
        "{kind} 数据是词元编号；请使用词元输入（当前为 {got}）",
    ),
    "data.real": (
        "{kind} data are real-valued ({shape} per sample); use a float Input",
        "{kind} 数据是实数（每个样本 {shape}）；请使用浮点输入",
    ),
    "data.size": (
        "the Input gives {got} ({n} values) per sample, but {kind} samples are {shape} ({m} values)",
        "输入层每个样本给出 {got}（{n} 个值），但 {kind} 的样本是 {shape}（{m} 个值）",
    ),
    "data.fix.tokens": ("use a Token Input", "使用词元输入"),
    "data.fix.image": ("use an Image Input with 1 or 3 channels", "使用 1 或 3 通道的图像输入"),
    "data.fix.signal": ("use a Signal Input with 1 channel", "使用单通道的信号输入"),
    "data.fix.shape": ("set the Input's shape to ({dims})", "把输入层的形状设为 ({dims})"),
    "data.images": (
        "{kind} gives grey or colour images; the Input gives {got}",
        "{kind} 提供灰度或彩色图像；输入层给出 {got}",
    ),
    "data.signals": (
        "{kind} gives mono signals (N, 1, L); the Input gives {got}",
        "{kind} 提供单声道信号 (N, 1, L)；输入层给出 {got}",
    ),
    "data.array": (
        "the .npz file has no array {name} for the {what} {layer} (its arrays: {found})",
        ".npz 文件中没有供{what} {layer} 使用的数组 {name}（文件中的数组：{found}）",
    ),
    "data.array.fix": (
        "name the {what} after one of its arrays, or set Arrays in the training setup ({layer}=array)",
        "按文件中某个数组的名称命名该{what}，或在训练设置中设置“数组对应”（{layer}=数组名）",
    ),
    # --- targets and heads (graph/tasks.py)
    "target.shape": (
        "the model's output needs targets of shape {need} per sample, but {kind} has targets of shape {have}",
        "模型的输出需要每个样本形状为 {need} 的目标，但 {kind} 的目标形状是 {have}",
    ),
    "target.shape.fix": (
        "change the layers before the head so the output gives one value per target ({have})",
        "修改输出头之前的层，使输出的每个值对应一个目标 ({have})",
    ),
    "target.not-labels": (
        "{kind} has {have}, not class labels; a Classification head needs class ids",
        "{kind} 的目标是{have}，不是类别标签；分类输出头需要类别编号",
    ),
    "target.not-labels.fix": (
        "use the Regression head, or a dataset with class labels",
        "使用回归输出头，或换一个带类别标签的数据集",
    ),
    "target.classes.pixel": (
        "the model outputs {n} class scores per pixel but {kind} has {m} classes",
        "模型为每个像素输出 {n} 个类别得分，但 {kind} 有 {m} 个类别",
    ),
    "target.classes": (
        "the model outputs {n} class scores but {kind} has {m} classes",
        "模型输出 {n} 个类别得分，但 {kind} 有 {m} 个类别",
    ),
    "target.classes.fix.conv": (
        "set the filters of the last convolution to {m}",
        "把最后一个卷积层的卷积核个数设为 {m}",
    ),
    "target.classes.fix.dense": ("set the units of the last Dense layer to {m}", "把最后一个全连接层的单元数设为 {m}"),
    "target.binary": (
        "a Binary head needs two classes (0/1 labels); {kind} has {have}",
        "二分类输出头需要两个类别（0/1 标签）；{kind} 的目标是{have}",
    ),
    "target.multilabel": (
        "a Multi-label head needs 0/1 targets, one per label; {kind} has {have}",
        "多标签输出头需要每个标签一个 0/1 目标；{kind} 的目标是{have}",
    ),
    "target.regression": (
        "{kind} has class labels ({m} classes); a Regression head needs numbers",
        "{kind} 的目标是类别标签（{m} 个类别）；回归输出头需要数值",
    ),
    "target.fix.classification-units": (
        "use the Classification head with one unit per class",
        "使用分类输出头，每个类别一个单元",
    ),
    "target.fix.classification": ("use the Classification head", "使用分类输出头"),
    "target.fix.regression": ("use the Regression head", "使用回归输出头"),
    # --- the most common shape errors of the layers (graph/layers/)
    "dense.feature-map": (
        "Dense acts on the last axis, but its input is a feature map {got}",
        "全连接层作用于最后一个轴，但它的输入是特征图 {got}",
    ),
    "dense.feature-map.fix": (
        "insert Flatten (or Global Average Pooling) before Dense",
        "在全连接层之前插入展平层（或全局平均池化）",
    ),
    "expect.axes": ("{layer} expects input {want}, got {got}", "{layer} 需要输入 {want}，实际为 {got}"),
    "expect.rank": ("{layer} expects a {n}-D sample, got {got}", "{layer} 需要 {n} 维的样本，实际为 {got}"),
    "expect.float": (
        "{layer} expects float values, got {dtype} token ids",
        "{layer} 需要浮点数值，实际为 {dtype} 词元编号",
    ),
    "fix.embedding": ("insert an Embedding layer first", "先插入一个嵌入层"),
    "fix.embedding2": ("insert an Embedding first", "先插入一个嵌入层"),
    "expect.image": ("{layer} expects an image (N,C,H,W), got {got}", "{layer} 需要图像 (N,C,H,W)，实际为 {got}"),
    "fix.reshape-image.example": (
        "insert Reshape to (C, H, W) before {layer}, e.g. {example} for a flattened grey image",
        "在 {layer} 之前插入变形层，变为 (C, H, W)，例如展平的灰度图像用 {example}",
    ),
    "fix.reshape-image.layer": (
        "insert Reshape to (C, H, W) before {layer}",
        "在 {layer} 之前插入变形层，变为 (C, H, W)",
    ),
    "fix.reshape-image": ("insert Reshape to (C, H, W) before it", "在它之前插入变形层，变为 (C, H, W)"),
    "fix.use-for-signals": ("use {alt} for 1-D signals", "一维信号请使用 {alt}"),
    "fix.use-for-images": ("use {alt} for images", "图像请使用 {alt}"),
    "fix.volumes": (
        "use a 3-D layer (Conv3D, MaxPool3D, AvgPool3D) for volumes",
        "三维体数据请使用三维层（Conv3D、MaxPool3D、AvgPool3D）",
    ),
    "expect.signal": (
        "{layer} expects a channels-first signal (N,C,L), got {got}",
        "{layer} 需要通道在前的信号 (N,C,L)，实际为 {got}",
    ),
    "fix.signal.sequence": (
        "a sequence keeps its features last; use an LSTM/GRU layer for sequences",
        "序列的特征在最后一个轴；序列请使用 LSTM/GRU 层",
    ),
    "fix.signal": ("feed {layer} a channels-first signal (N, C, L)", "给 {layer} 输入通道在前的信号 (N, C, L)"),
    "expect.sequence": ("{layer} expects a sequence (N,T,F), got {got}", "{layer} 需要序列 (N,T,F)，实际为 {got}"),
    "expect.sequence.tokens": (
        "{layer} expects float feature vectors per step, got token ids {got}",
        "{layer} 需要每个时间步的浮点特征向量，实际为词元编号 {got}",
    ),
    "fix.reshape-sequence": (
        "insert Reshape to [steps, features] before {layer}",
        "在 {layer} 之前插入变形层，变为 [步数, 特征数]",
    ),
    "expect.pool": (
        "{layer} expects a feature map (N,C,H,W), a volume (N,C,D,H,W), a signal (N,C,L) or a sequence (N,T,F), got {got}",
        "{layer} 需要特征图 (N,C,H,W)、体数据 (N,C,D,H,W)、信号 (N,C,L) 或序列 (N,T,F)，实际为 {got}",
    ),
    "kernel-too-large": (
        "{layer}: kernel {k} (dilation {d}) is larger than the padded input ({size})",
        "{layer}：卷积核 {k}（膨胀率 {d}）大于填充后的输入 ({size})",
    ),
    "kernel-too-large.fix": (
        "use a smaller kernel, add padding, or remove a pooling layer before it",
        "使用更小的卷积核、增加填充，或删除它之前的一个池化层",
    ),
    "embedding.float": (
        "Embedding expects integer token ids (N,T), got float values {got}",
        "嵌入层需要整数词元编号 (N,T)，实际为浮点数值 {got}",
    ),
    "embedding.float.fix": (
        "feed it from a Token Input; for float features use Dense instead",
        "用词元输入为它提供数据；浮点特征请改用全连接层",
    ),
    "reshape.size": (
        "Reshape to {target} needs {n} values per sample, the input has {m}",
        "变形为 {target} 需要每个样本 {n} 个值，而输入有 {m} 个",
    ),
    "reshape.size.fix": ("choose a target shape whose sizes multiply to {m}", "选择各维乘积等于 {m} 的目标形状"),
    "classification.input": (
        "Classification expects class scores (N, K), per-step scores (N, T, K) or per-pixel scores (N, K, H, W), "
        "got {got}",
        "分类输出头需要类别得分 (N, K)、逐步得分 (N, T, K) 或逐像素得分 (N, K, H, W)，实际为 {got}",
    ),
    "classification.input.fix": (
        "insert Flatten and a Dense layer with one unit per class before the head",
        "在输出头之前插入展平层和一个每类一个单元的全连接层",
    ),
    "classification.classes": ("Classification needs at least 2 classes", "分类至少需要 2 个类别"),
    "classification.classes.fix": ("give the last layer one unit per class", "让最后一层每个类别一个单元"),
    "binary.input": (
        "Binary classification expects one score per sample (N, 1), got {got}",
        "二分类需要每个样本一个得分 (N, 1)，实际为 {got}",
    ),
    "binary.input.fix": ("end the model with Dense(1)", "用 Dense(1) 结束模型"),
    "merge.inputs": ("{layer} needs at least 2 inputs, got {n}", "{layer} 至少需要 2 个输入，实际为 {n} 个"),
    "merge.inputs.fix": ("connect another layer to {layer}", "再连接一个层到 {layer}"),
    "batchnorm.input": (
        "BatchNorm expects (N,F), (N,C,L) or (N,C,H,W), got {got}",
        "批归一化需要 (N,F)、(N,C,L) 或 (N,C,H,W)，实际为 {got}",
    ),
    # --- a GAN's parts (graph/gan.py)
    "gan.one-generated": ("a GAN has one Generated head", "GAN 只能有一个生成输出头"),
    "gan.one-generated.fix": ("delete the other Generated heads", "删除其他生成输出头"),
    "gan.noise": ("the generator must start from exactly one Noise Input", "生成器必须从恰好一个噪声输入开始"),
    "gan.noise.fix": ("connect one Noise Input to the generator", "把一个噪声输入连接到生成器"),
    "gan.reads": ("the generator reads {names}; it may read only noise", "生成器读取了 {names}；它只能读取噪声"),
    "gan.reads.fix": ("feed it from a Noise Input", "用噪声输入为它提供数据"),
    "gan.critics": (
        "a GAN needs one discriminator ending in a Binary head (found {n})",
        "GAN 需要一个以二分类输出头结尾的判别器（找到 {n} 个）",
    ),
    "gan.critics.fix": (
        "add a discriminator: an Input shaped like the generated samples → layers → Dense(1) → Binary",
        "添加判别器：形状与生成样本相同的输入 → 若干层 → Dense(1) → 二分类",
    ),
    "gan.own-input": (
        "the discriminator must read one Input of its own (real or generated samples)",
        "判别器必须读取一个自己的输入（真实或生成的样本）",
    ),
    "gan.own-input.fix": (
        "start the discriminator from an Input shaped like the generated samples, separate from the generator",
        "让判别器从一个形状与生成样本相同、与生成器分开的输入开始",
    ),
    "gan.extra-head": ("a GAN trains only its generator and discriminator", "GAN 只训练生成器和判别器"),
    "gan.extra-head.fix": ("delete this head", "删除这个输出头"),
    # --- merging branches (graph/layers/merge.py)
    "merge.rank": (
        "{layer} needs inputs of the same rank: input {a} is {first}, input {b} is {other} (Keras stores channels "
        "last, so aligning the trailing axes would pair different axes there)",
        "{layer} 需要秩相同的输入：输入 {a} 是 {first}，输入 {b} 是 {other}（Keras 把通道放在最后，"
        "对齐末尾的轴会配错轴）",
    ),
    "merge.rank.fix.reshape": (
        "insert Reshape to {target} on input {a} first, so its sizes of 1 repeat over {other} (as in "
        "squeeze-and-excitation: GlobalAvgPool → Dense → Reshape → Multiply)",
        "先在输入 {a} 上插入变形层，变为 {target}，使大小为 1 的轴在 {other} 上重复（如挤压激励模块："
        "GlobalAvgPool → Dense → Reshape → Multiply）",
    ),
    "merge.layout": (
        "{layer} needs inputs of the same layout: input {a} is {first}, input {b} is {other} (Keras stores them "
        "in different axis orders)",
        "{layer} 需要布局相同的输入：输入 {a} 是 {first}，输入 {b} 是 {other}（Keras 中它们的轴顺序不同）",
    ),
    "merge.layout.fix": (
        "bring both branches to the same layout first (e.g. Flatten both, or keep reduced axes with ReduceMean "
        "and Keep dims)",
        "先让两个分支的布局一致（例如都展平，或用 ReduceMean 并保留维度）",
    ),
    "merge.layout.fix2": (
        "bring both branches to the same layout first (e.g. Flatten both)",
        "先让两个分支的布局一致（例如都展平）",
    ),
    "merge.sizes": (
        "{layer} needs sizes that are equal or 1 on every axis: {before} {first}, input {b} is {other} "
        "(axis {k}: {d} vs {e})",
        "{layer} 需要每个轴上的大小相等或为 1：{before} {first}，输入 {b} 是 {other}（轴 {k}：{d} 与 {e}）",
    ),
    "merge.sizes.fix": (
        "make the shapes equal (e.g. a 1×1 Conv2D or Dense on one branch), reduce one side to size 1 on that "
        "axis, or use Concatenate",
        "让形状相等（例如在一个分支上加 1×1 Conv2D 或全连接层），把一侧在该轴上缩减为 1，或改用拼接层",
    ),
    "concat.kind": (
        "Concatenate needs inputs of the same kind: input 1 is {first}, input {n} is {other}",
        "拼接层需要同类的输入：输入 1 是 {first}，输入 {n} 是 {other}",
    ),
    "concat.sizes": (
        "Concatenate along axis {axis} needs every other size equal: input 1 is {first}, input {n} is {other}",
        "沿轴 {axis} 拼接需要其他各轴大小相等：输入 1 是 {first}，输入 {n} 是 {other}",
    ),
    "concat.sizes.fix": (
        "make the sizes equal on every axis except {axis} (e.g. pool or pad one branch)",
        "让除轴 {axis} 以外的各轴大小相等（例如对一个分支做池化或填充）",
    ),
    "vectors-per-step": (
        "{layer} expects vectors per step, got token ids {got}",
        "{layer} 需要每步的向量，实际为词元编号 {got}",
    ),
    # --- layer names (graph/model.py name_problem)
    "name.text": ("a layer name must be text", "层名称必须是文本"),
    "name.empty": ("a layer name cannot be empty", "层名称不能为空"),
    "name.long": (
        "a layer name can have at most {max} characters (this one has {n})",
        "层名称最多 {max} 个字符（这个有 {n} 个）",
    ),
    "name.invisible": (
        "a layer name cannot contain the invisible or control character {char}",
        "层名称不能包含不可见字符或控制字符 {char}",
    ),
    "name.taken": ("another layer is already named {name}", "已有另一个层名为 {name}"),
    # --- connection refusals (graph/model.py connection_problem); {port} is quoted (repr)
    "connect.ends": ("both ends of a connection must be layers in this graph", "连接的两端必须都是本图中的层"),
    "connect.self": ("a layer cannot be connected to itself", "层不能连接到自身"),
    "connect.into-input": (
        "{layer} is an input layer; nothing can be connected into it",
        "{layer} 是输入层；不能把任何层连接到它",
    ),
    "connect.after-head": (
        "{layer} is an output head; nothing can follow it",
        "{layer} 是输出头；它之后不能再接任何层",
    ),
    "connect.no-output": ("{layer} has no output named {port}", "{layer} 没有名为 {port} 的输出"),
    "connect.no-input": ("{layer} has no input named {port}", "{layer} 没有名为 {port} 的输入"),
    "connect.already": ("these ports are already connected", "这两个端口已经连接"),
    "connect.taken": (
        "input {port} of {layer} is already connected; disconnect it first",
        "{layer} 的输入 {port} 已经连接；请先断开它",
    ),
    "connect.cycle": ("connecting {src} to {dst} would create a cycle", "把 {src} 连接到 {dst} 会形成环"),
    "connect.block-split": (
        "this connection would leave block {block} and come back into it; a block must stay one unit",
        "这条连接会离开块 {block} 再回到它里面；块必须保持为一个整体",
    ),
    # --- block (group) refusals (graph/model.py group_problem)
    "block.empty": ("select at least one layer to make a block", "请至少选择一个层来组成块"),
    "block.missing": ("there is no layer with id {id}", "没有 id 为 {id} 的层"),
    "block.io": (
        "{layer} is an input or an output head; a block holds only the layers between them",
        "{layer} 是输入层或输出头；块只能包含它们之间的层",
    ),
    "block.nested": (
        "{layer} already belongs to block {block}; ungroup that block first",
        "{layer} 已属于块 {block}；请先取消该块的分组",
    ),
    "block.split": (
        "a path leaves the selection and comes back into it at {layer}; select the layers on that path too",
        "有一条路径离开所选的层后又在 {layer} 回到其中；请把这条路径上的层也选上",
    ),
    "block.name-taken": ("another block is already named {name}", "已有另一个块名为 {name}"),
    "block.bad-port": ("block port {port} is not a port of one of its layers", "块端口 {port} 不是其中某个层的端口"),
    # --- parameter refusals (graph/spec.py Param.check); {param} is the parameter's name, shown by its title
    "param.min": ("{param} must be ≥ {min} (got {got})", "{param} 必须 ≥ {min}（当前为 {got}）"),
    "param.max": ("{param} must be ≤ {max} (got {got})", "{param} 必须 ≤ {max}（当前为 {got}）"),
    "param.too-large": ("{param} is too large (got {got})", "{param} 太大（当前为 {got}）"),
    "param.integer": ("{param} must be an integer", "{param} 必须是整数"),
    "param.finite": ("{param} must be a finite number", "{param} 必须是有限的数"),
    "param.number": ("{param} must be a number", "{param} 必须是数字"),
    "param.bool": ("{param} must be true or false", "{param} 必须是 true 或 false"),
    "param.choice": ("{param} must be one of {choices} (got {got})", "{param} 必须是 {choices} 之一（当前为 {got}）"),
    "param.ints": ("{param} must be a list of integers", "{param} 必须是整数列表"),
    "param.length": ("{param} must have {n} values (got {got})", "{param} 必须有 {n} 个值（当前为 {got} 个）"),
    "param.text": ("{param} must be text", "{param} 必须是文本"),
    "param.too-long": ("{param} is too long", "{param} 太长"),
    "param.null": ("{param} cannot contain a null character", "{param} 不能包含空字符"),
    "param.unknown": ("{layer} has no parameter {name}", "{layer} 没有参数 {name}"),
    "setup.unknown": ("unknown training setting {name}", "未知的训练设置 {name}"),
}

# English words that appear as values inside messages (layer names, roles, kinds of targets).
WORDS_ZH: dict[str, str] = {
    "Input": "输入层",
    "head": "输出头",
    "none": "无",
    "real values": "实数值",
    "input 1 is": "输入 1 是",
}


@lru_cache(maxsize=1)
def layer_words() -> tuple[tuple[str, str], ...]:
    """(English, Chinese) display names of the built-in layers, for ``localize(..., words=)``."""
    from graph.catalog import default_catalog

    return tuple((s.display_name, s.display_name_zh) for s in default_catalog() if s.display_name_zh)


def message(key: str, **values) -> str:
    """The English text of catalog entry ``key`` with ``values`` filled in."""
    return MESSAGES[key][0].format(**values)


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern, str]]:
    out = []
    for english, chinese in MESSAGES.values():
        parts = re.split(r"\{(\w+)\}", english)
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        out.append((re.compile(f"^{regex}$", re.DOTALL), chinese))
    return out


_BIG_NUMBER = re.compile(r"a number of about (\d+) digits")  # graph.spec.show_number of a huge integer


def _match(text: str) -> tuple[re.Match, str] | None:
    for pattern, chinese in _patterns():
        found = pattern.match(text)
        if found:
            return found, chinese
    return None


def known(text: str) -> bool:
    """True when the catalog has a template for this English message."""
    return _match(text) is not None


@lru_cache(maxsize=4096)
def localize(text: str | None, lang: str = "en", words: tuple[tuple[str, str], ...] = ()) -> str | None:
    """``text`` in ``lang`` (``zh``…): the Chinese template filled with the values of the English text.

    ``words`` (pairs of English and Chinese) translate captured values such as layer type names;
    unknown messages come back unchanged (English)."""
    if not text or not lang.startswith("zh"):
        return text
    found = _match(text)
    if found is None:
        return text
    match, chinese = found
    table = {**WORDS_ZH, **dict(words)}
    values = {k: table.get(v, v) for k, v in match.groupdict().items()}
    if "param" in values:  # a parameter's name: its Chinese title (graph/glossary.py)
        from graph.glossary import param_name

        values["param"] = param_name(match.group("param"), "zh")
    if "got" in values:
        values["got"] = _BIG_NUMBER.sub(r"约 \1 位的数", values["got"])
    return chinese.format(**values)


__all__ = ["MESSAGES", "WORDS_ZH", "known", "layer_words", "localize", "message"]
