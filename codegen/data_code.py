"""Data loading code shared by both scripts (plain NumPy), one loader per dataset kind.

Both frameworks get exactly the same arrays in the same order: the split is a seeded NumPy
permutation. Arrays are channels-first here; the Keras script moves channels last afterwards.
"""

from __future__ import annotations

from codegen.pyfmt import lit

DIGITS = '''
def load_data(path):
    """The 8×8 digits bundled with LayerLab (pixels 0–16), standardised per pixel."""
    if not path:
        path = bundled_file("digits.npz")
    with np.load(path, allow_pickle=False) as data:
        x, y = data["x"].astype("float32"), data["y"].astype("int64")
    # Mean 0 and spread about 1 for every pixel: networks train much faster on it.
    x = (x - x.mean(axis=0)) / np.maximum(x.std(axis=0), 1.0)
    return {"x": x, "y": y, "classes": [str(d) for d in range(10)]}


def bundled_file(name):
    """A data file shipped with LayerLab (its ``resources`` package)."""
    try:
        import resources  # LayerLab's own package (on the path when it is installed)
    except ImportError:
        resources = None
    if resources is not None and getattr(resources, "__file__", None):
        path = Path(resources.__file__).parent / "data" / name
        if path.exists():
            return path
    raise DataError(f"cannot find LayerLab's bundled {name}; pass --data PATH/{name}")
'''

MNIST = '''
MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"


def load_data(path):
    """MNIST in the Keras cache format (x_train, y_train, x_test, y_test)."""
    path = Path(path) if path else Path.home() / ".keras" / "datasets" / "mnist.npz"
    if not path.exists():
        download(MNIST_URL, path)
    with np.load(path, allow_pickle=False) as data:
        return {
            "x": data["x_train"].astype("float32") / 255.0,
            "y": data["y_train"].astype("int64"),
            "x_test": data["x_test"].astype("float32") / 255.0,
            "y_test": data["y_test"].astype("int64"),
            "classes": [str(d) for d in range(10)],
        }


def download(url, path):
    """Fetch ``url`` into ``path``; give up after 10 s without an answer (offline)."""
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            content = response.read()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as err:
        raise DataError(
            f"MNIST is not in the Keras cache ({path}) and could not be "
            f"downloaded ({err}). Copy mnist.npz there or pass --data PATH."
        ) from None
'''

SYNTHETIC = {
    "spirals": '''
def load_data(path):
    """Interleaved 2-D spirals, one arm per class (synthetic, seeded)."""
    rng = np.random.default_rng(SEED)
    per_class = SAMPLES // CLASSES
    xs, ys = [], []
    for c in range(CLASSES):
        r = np.linspace(0.05, 1.0, per_class)
        angle = 4.0 * r + 2.0 * np.pi * c / CLASSES
        angle = angle + rng.normal(0.0, NOISE, per_class)
        xs.append(np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1))
        ys.append(np.full(per_class, c))
    return {"x": np.concatenate(xs).astype("float32"), "y": np.concatenate(ys)}
''',
    "moons": '''
def load_data(path):
    """Two interleaving half circles (synthetic, seeded)."""
    rng = np.random.default_rng(SEED)
    n = SAMPLES // 2
    t = np.linspace(0.0, np.pi, n)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    x = np.concatenate([upper, lower]) + rng.normal(0.0, NOISE, (2 * n, 2))
    y = np.concatenate([np.zeros(n), np.ones(n)]).astype("int64")
    return {"x": x.astype("float32"), "y": y}
''',
    "circles": '''
def load_data(path):
    """A small circle inside a large one (synthetic, seeded)."""
    rng = np.random.default_rng(SEED)
    n = SAMPLES // 2
    t = np.linspace(0.0, 2.0 * np.pi, n, endpoint=False)
    ring = np.stack([np.cos(t), np.sin(t)], axis=1)
    x = np.concatenate([ring, 0.5 * ring]) + rng.normal(0.0, NOISE, (2 * n, 2))
    y = np.concatenate([np.zeros(n), np.ones(n)]).astype("int64")
    return {"x": x.astype("float32"), "y": y}
''',
    "xor": '''
def load_data(path):
    """Four clusters labelled by the XOR of their quadrant (synthetic, seeded)."""
    rng = np.random.default_rng(SEED)
    x = rng.uniform(-1.0, 1.0, (SAMPLES, 2))
    y = ((x[:, 0] > 0) != (x[:, 1] > 0)).astype("int64")
    x = x + rng.normal(0.0, NOISE, x.shape)
    return {"x": x.astype("float32"), "y": y}
''',
}

CSV = """
def load_data(path):
    \"\"\"A CSV table: numeric feature columns (standardised) and one target column.\"\"\"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if len(rows) < 2:
        raise DataError(f"{path}: the CSV file has no data rows")
    header, rows = rows[0], [r for r in rows[1:] if r]
    target = header.index(TARGET_COLUMN) if TARGET_COLUMN else len(header) - 1
    features = [i for i in range(len(header)) if i != target]
    x = np.array([[number(r, i, path) for i in features] for r in rows], dtype="float32")
    x = (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-7)
    labels = [r[target] for r in rows]
    if TARGETS == "values" or (TARGETS == "binary" and set(labels) <= {"0", "1", "0.0", "1.0"}):
        y = np.array([number(r, target, path) for r in rows], dtype="float32")
        return {"x": x, "y": y}
    classes = sorted(set(labels))  # class names, in sorted order: ids 0, 1, …
    y = np.array([classes.index(v) for v in labels], dtype="int64")
    return {"x": x, "y": y, "classes": classes}


def number(row, column, path):
    \"\"\"One cell as a float; a DataError naming the cell when it is not a number.\"\"\"
    try:
        return float(row[column])
    except (ValueError, IndexError):
        value = row[column] if column < len(row) else "(missing)"
        raise DataError(f"{path}: {value!r} in column {column + 1} is not a number") from None
"""

NPZ = """
def load_data(path):
    \"\"\"A NumPy .npz file with arrays x and y (8-bit arrays are images: scaled to 0–1).\"\"\"
    with np.load(path, allow_pickle=False) as data:
        if "x" not in data.files or "y" not in data.files:
            raise DataError(f"{path}: needs arrays named x and y (found {data.files})")
        x, y = data["x"], data["y"]
    if len(x) != len(y):
        raise DataError(f"{path}: x has {len(x)} samples but y has {len(y)}")
    x = x.astype("int64") if TOKEN_IDS else scaled(x)
    y = y.astype("int64") if TARGETS == "labels" else scaled(y)
    return {"x": x, "y": y}


def scaled(a):
    \"\"\"Float32 values; 8-bit arrays (images) divided by 255.\"\"\"
    return a.astype("float32") / 255.0 if a.dtype == np.uint8 else a.astype("float32")
"""

IMAGE_FOLDER = """
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


def load_data(path):
    \"\"\"One sub-folder of images per class, resized to the model's input.\"\"\"
    try:
        from PIL import Image
    except ImportError:
        raise DataError("an image folder needs Pillow: pip install pillow") from None
    channels, height, width = INPUT_SHAPE
    classes = sorted(p.name for p in Path(path).iterdir() if p.is_dir())
    xs, ys = [], []
    for label, name in enumerate(classes):
        for file in sorted((Path(path) / name).iterdir()):
            if file.suffix.lower() in IMAGE_EXTENSIONS:
                image = Image.open(file).convert("L" if channels == 1 else "RGB")
                pixels = np.asarray(image.resize((width, height)), dtype="float32")
                xs.append(pixels.reshape(height, width, -1).transpose(2, 0, 1) / 255.0)
                ys.append(label)
    if not xs:
        raise DataError(f"no images in the class folders of {path}")
    return {"x": np.stack(xs), "y": np.array(ys, dtype="int64"), "classes": classes}
"""

AUDIO_FOLDER = """
def load_data(path):
    \"\"\"One sub-folder of WAV files per class: mono, resampled, padded or cut to the Signal length.\"\"\"
    classes = sorted(p.name for p in Path(path).iterdir() if p.is_dir())
    length = INPUT_SHAPE[-1]
    xs, ys = [], []
    for label, name in enumerate(classes):
        for file in sorted((Path(path) / name).iterdir()):
            if file.suffix.lower() == ".wav":
                xs.append(fit_length(read_wav(file), length))
                ys.append(label)
    if not xs:
        raise DataError(f"no .wav files in the class folders of {path}")
    return {"x": np.stack(xs)[:, None, :], "y": np.array(ys, dtype="int64"), "classes": classes}


def read_wav(file):
    \"\"\"A PCM WAV file as mono samples in [-1, 1] at SAMPLE_RATE (linear resampling).\"\"\"
    try:
        with wave.open(str(file)) as w:
            rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
            frames = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as err:
        raise DataError(f"{file}: not a PCM WAV file ({err})") from None
    if width not in (1, 2, 4):
        raise DataError(f"{file}: {8 * width}-bit samples are not supported (use 8, 16 or 32-bit PCM)")
    a = np.frombuffer(frames, dtype={1: "u1", 2: "<i2", 4: "<i4"}[width]).astype("float32")
    a = (a - 128.0) / 128.0 if width == 1 else a / float(2 ** (8 * width - 1))
    a = a[: len(a) // channels * channels].reshape(-1, channels).mean(axis=1)
    if rate != SAMPLE_RATE and len(a) > 1:
        n = max(int(round(len(a) * SAMPLE_RATE / rate)), 1)
        a = np.interp(np.linspace(0, len(a) - 1, n), np.arange(len(a)), a).astype("float32")
    return a


def fit_length(a, length):
    \"\"\"Cut to ``length`` samples, or pad with silence at the end.\"\"\"
    return np.pad(a[:length], (0, max(0, length - len(a))))
"""

TEXT = """
def load_data(path):
    \"\"\"Character-level text: windows of STEPS characters, targets shifted by one.\"\"\"
    text = Path(path).read_text(encoding="utf-8")
    vocab = sorted(set(text))
    if len(text) < STEPS + 2:
        raise DataError(f"{path}: the text is shorter than one window of {STEPS + 1} characters")
    index = {ch: i for i, ch in enumerate(vocab)}
    ids = np.array([index[ch] for ch in text], dtype="int64")
    starts = np.arange(0, len(ids) - STEPS - 1, STEPS)
    x = np.stack([ids[s : s + STEPS] for s in starts])
    y = np.stack([ids[s + 1 : s + STEPS + 1] for s in starts])
    if not PER_STEP_TARGETS:
        y = y[:, -1]
    return {"x": x, "y": y, "vocab": vocab}
"""

TEXT_CLASSES = """
def load_data(path):
    \"\"\"Labelled texts: a CSV with text and label columns, or one sub-folder of .txt files per class.\"\"\"
    path = Path(path)
    texts, labels = read_folder(path) if path.is_dir() else read_table(path)
    if len(texts) < 2:
        raise DataError(f"{path}: needs at least two labelled texts (found {len(texts)})")
    classes = sorted(set(labels))  # class names, in sorted order: ids 0, 1, …
    index = {name: i for i, name in enumerate(classes)}
    y = np.array([index[v] for v in labels], dtype="int64")
    return {"x": np.array(texts), "y": y, "classes": classes}


def read_table(path):
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise DataError(f"{path}: the CSV file is empty")
    header = rows[0]
    text = header.index("text") if "text" in header else 0
    label = header.index("label") if "label" in header else len(header) - 1
    rows = [r for r in rows[1:] if len(r) > max(text, label)]
    return [r[text] for r in rows], [r[label] for r in rows]


def read_folder(path):
    texts, labels = [], []
    for folder in sorted(p for p in path.iterdir() if p.is_dir()):
        for file in sorted(folder.glob("*.txt")):
            texts.append(file.read_text(encoding="utf-8"))
            labels.append(folder.name)
    return texts, labels


def tokenize(text):
    \"\"\"Characters, or lower-cased words separated by white space.\"\"\"
    return text.lower().split() if TOKENS == "word" else list(text)


def build_vocab(texts):
    \"\"\"The training split's most frequent tokens (ids from 2; 0 pads, 1 is an unknown token).\"\"\"
    counts = collections.Counter(token for text in texts for token in tokenize(text))
    common = sorted(counts, key=lambda token: (-counts[token], token))[: VOCAB_SIZE - 2]
    return ["<pad>", "<unk>", *common]


def encode(texts, vocab):
    \"\"\"Token ids, cut to STEPS tokens and padded with 0 in front (the text ends at the last step).\"\"\"
    index = {token: i for i, token in enumerate(vocab)}
    x = np.zeros((len(texts), STEPS), dtype="int64")
    for row, text in enumerate(texts):
        ids = [index.get(token, 1) for token in tokenize(str(text))][:STEPS]
        if ids:
            x[row, STEPS - len(ids) :] = ids
    return x
"""

DATA_ERROR = '''
class DataError(Exception):
    """The dataset is missing or cannot be read, or does not fit the model."""
'''

READ = '''
def read_data(path):
    """load_data, with any failure to read the dataset reported as a DataError that names it."""
    try:
        data = load_data(path)
        data["source"] = str(path) if path else DATASET  # named by errors found later (splits, targets)
        return data
    except DataError:
        raise
    except MemoryError:
        raise
    except Exception as err:  # a truncated, corrupt or wrongly shaped file: say which and why
        raise DataError(f"cannot read the dataset {path!r}: {type(err).__name__}: {err}") from err
'''

SPLIT = '''
def split_data(data, seed):
    """Shuffle once (seeded), hold out the test and validation fractions, prepare every split."""
    rng = np.random.default_rng(seed)
    x, y = data["x"], data["y"]
    order = rng.permutation(len(x))
    x, y = x[order], y[order]
    if "x_test" not in data:
        n_test = int(round(len(x) * TEST_SPLIT))
        data["x_test"], data["y_test"] = x[:n_test], y[:n_test]
        x, y = x[n_test:], y[n_test:]
    n_val = int(round(len(x) * VALIDATION_SPLIT))
    data["x_val"], data["y_val"] = x[:n_val], y[:n_val]
    data["x_train"], data["y_train"] = x[n_val:], y[n_val:]
    if len(data["x_train"]) == 0:
        raise DataError(f"{data['source']}: no training samples are left after the test and validation splits")
    if TEST_SPLIT > 0 and len(data["x_test"]) == 0:
        raise DataError(f"{data['source']}: too few samples ({len(data['x'])}) for a {TEST_SPLIT:.0%} test split")
    data["vocab"] = build_vocab(data["x_train"])  #[vocab]
    for part in ("train", "val", "test"):
        data[f"x_{part}"] = prepare_inputs(data[f"x_{part}"])  #[!vocab]
        data[f"x_{part}"] = prepare_inputs(data[f"x_{part}"], data["vocab"])  #[vocab]
        data[f"y_{part}"] = prepare_targets(data[f"y_{part}"])
    return data
'''


LOADERS = {
    "digits": DIGITS,
    "mnist": MNIST,
    "csv": CSV,
    "npz": NPZ,
    "image_folder": IMAGE_FOLDER,
    "text": TEXT,
    "text_classes": TEXT_CLASSES,
    "audio_folder": AUDIO_FOLDER,
}
STDLIB = {"csv": ("csv",), "text_classes": ("collections", "csv"), "audio_folder": ("wave",)}


def loader(kind: str) -> str:
    """DataError, the load_data function for one dataset kind and read_data."""
    load = SYNTHETIC.get(kind) or LOADERS[kind]
    return "\n\n\n".join(part.strip("\n") for part in (DATA_ERROR, load, READ))


def split_block(kind: str) -> str:
    from codegen.script_common import select

    return select(SPLIT.strip("\n"), vocab=kind == "text_classes")


def stdlib_imports(kind: str) -> tuple[str, ...]:
    """Standard-library modules the loader of this dataset kind needs."""
    return STDLIB.get(kind, ())


def inputs_block(kind: str, channels_last: bool) -> str:
    """prepare_inputs: samples in the model's input shape (and channels last for Keras images)."""
    if kind == "text_classes":
        return '''
def prepare_inputs(texts, vocab):
    """Token ids of the model's input length."""
    return encode(texts, vocab)
'''
    if channels_last:
        return '''
def prepare_inputs(x):
    """Reshape samples to the model's input shape, then move channels last."""
    return np.moveaxis(x.reshape(len(x), *INPUT_SHAPE), 1, -1)
'''
    return '''
def prepare_inputs(x):
    """Reshape samples to the model's input shape (channels first)."""
    return x.reshape(len(x), *INPUT_SHAPE)
'''


def targets_block(need, channels_last: bool, one_hot: bool = False) -> str:
    """prepare_targets: the targets in the form the loss expects, from the head's TargetNeed.

    Dense targets (images) follow the output's layout: channels last in Keras (docs/equivalence.md).
    """
    labels = need.kind == "labels"
    lines = [
        "def prepare_targets(y):",
        f'    """{_targets_doc(need, channels_last, one_hot)}"""',
        f'    y = y.astype("{"int64" if labels else "float32"}")',
        "    if y.size == len(y) * math.prod(TARGET_SHAPE):  # else check_targets names both shapes",
        "        y = y.reshape(len(y), *TARGET_SHAPE)",
    ]
    if channels_last and need.channels_first:
        lines.append("        y = np.moveaxis(y, 1, -1)  # channels last, like the Keras model's output")
    if labels:
        lines += [
            "    if y.size and (y.min() < 0 or y.max() >= NUM_CLASSES):",
            "        low, high = int(y.min()), int(y.max())",
            '        raise DataError(f"class labels must be 0…{NUM_CLASSES - 1}; the data have {low}…{high}")',
        ]
    if one_hot:  # Keras applies label smoothing to one-hot targets only
        lines.append('    y = np.eye(NUM_CLASSES, dtype="float32")[y]')
    lines.append("    return y")
    return "\n".join(lines)


def _targets_doc(need, channels_last: bool, one_hot: bool) -> str:
    text = f"Targets for the loss: {need.text()}"
    if one_hot:
        text += ", one-hot"
    if channels_last and need.channels_first:
        text += ", channels last"
    return text + "."


def constants(project, plan, info) -> list[tuple[str, str, str]]:
    """(NAME, literal, comment) dataset constants the loader reads."""
    s = project.setup
    kind, need = s["dataset"], plan.need
    out = [("INPUT_SHAPE", lit(tuple(plan.input_step.out.features)), "per-sample input shape, channels first")]
    out.append(("TARGET_SHAPE", lit(tuple(need.shape)), "per-sample target shape (images channels first)"))
    if need.kind == "labels":
        out.append(("NUM_CLASSES", lit(need.classes), "classes the model predicts"))
    if kind in SYNTHETIC:
        classes = info.num_classes if info and info.num_classes else 2
        out += [("SAMPLES", lit(s["samples"]), ""), ("NOISE", lit(float(s["noise"])), "")]
        out.append(("CLASSES", lit(classes), ""))
    if kind == "csv":
        out.append(("TARGET_COLUMN", lit(s["dataset_target"]), "empty: the last column"))
    if kind in ("csv", "npz"):
        out.append(("TARGETS", lit(need.kind), "labels (class ids), binary (0/1) or values"))
    if kind == "npz":
        out.append(("TOKEN_IDS", lit(plan.input_step.out.dtype == "int64"), "x holds integer token ids"))
    if kind in ("text", "text_classes"):
        out.append(("STEPS", lit(plan.input_step.out.dims[1]), "tokens per sample"))
    if kind == "text":
        per_step = plan.output_type is not None and plan.output_type.rank == 3
        out.append(("PER_STEP_TARGETS", lit(per_step), "predict every next character"))
    if kind == "text_classes":
        out.append(("TOKENS", lit(project.setup["tokens"]), "char or word"))
        out.append(("VOCAB_SIZE", lit(plan.input_step.params["vocab_size"]), "token ids the model knows"))
    if kind == "audio_folder":
        out.append(("SAMPLE_RATE", lit(s["sample_rate"]), "audio is resampled to this rate"))
    return out
