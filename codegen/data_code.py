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
    with np.load(path) as data:
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
    with np.load(path) as data:
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

CSV = '''
def load_data(path):
    """A CSV table: numeric feature columns (standardised) and one target column."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, rows = rows[0], [r for r in rows[1:] if r]
    target = header.index(TARGET_COLUMN) if TARGET_COLUMN else len(header) - 1
    features = [i for i in range(len(header)) if i != target]
    x = np.array([[float(r[i]) for i in features] for r in rows], dtype="float32")
    x = (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-7)
    labels = [r[target] for r in rows]
    if TASK != "classification":
        y = np.array(labels, dtype="float32").reshape(len(rows), 1)
        return {"x": x, "y": y}
    classes = sorted(set(labels))
    y = np.array([classes.index(v) for v in labels], dtype="int64")
    return {"x": x, "y": y, "classes": classes}
'''

NPZ = '''
def load_data(path):
    """A NumPy .npz file with arrays x and y."""
    with np.load(path, allow_pickle=False) as data:
        x, y = data["x"].astype("float32"), data["y"]
    y = y.astype("int64") if TASK == "classification" else y.astype("float32")
    return {"x": x, "y": y}
'''

IMAGE_FOLDER = '''
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


def load_data(path):
    """One sub-folder of images per class, resized to the model's input."""
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
'''

TEXT = '''
def load_data(path):
    """Character-level text: windows of STEPS characters, targets shifted by one."""
    text = Path(path).read_text(encoding="utf-8")
    vocab = sorted(set(text))
    ids = np.array([vocab.index(ch) for ch in text], dtype="int64")
    starts = np.arange(0, len(ids) - STEPS - 1, STEPS)
    x = np.stack([ids[s : s + STEPS] for s in starts])
    y = np.stack([ids[s + 1 : s + STEPS + 1] for s in starts])
    if not PER_STEP_TARGETS:
        y = y[:, -1]
    return {"x": x, "y": y, "vocab": vocab}
'''

DATA_ERROR = '''
class DataError(Exception):
    """The dataset is missing or cannot be read."""
'''

READ = '''
def read_data(path):
    """load_data, with any failure to read the dataset reported as a DataError."""
    try:
        return load_data(path)
    except (OSError, ValueError, KeyError) as err:
        raise DataError(f"cannot read the dataset {path!r}: {err}") from err
'''

SPLIT = '''
def split_data(data, seed):
    """Shuffle once (seeded), hold out the test and validation fractions."""
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
    for part in ("train", "val", "test"):
        data[f"x_{part}"] = prepare_inputs(data[f"x_{part}"])
        data[f"y_{part}"] = prepare_targets(data[f"y_{part}"])
    return data


def prepare_inputs(x):
    """Reshape samples to the model's input shape (channels first)."""
    return x.reshape(len(x), *INPUT_SHAPE)
'''


LOADERS = {"digits": DIGITS, "mnist": MNIST, "csv": CSV, "npz": NPZ, "image_folder": IMAGE_FOLDER, "text": TEXT}


def loader(kind: str) -> str:
    """DataError, the load_data function for one dataset kind and read_data."""
    load = SYNTHETIC.get(kind) or LOADERS[kind]
    return "\n\n\n".join(part.strip("\n") for part in (DATA_ERROR, load, READ))


def constants(project, plan, info) -> list[tuple[str, str, str]]:
    """(NAME, literal, comment) dataset constants the loader reads."""
    s = project.setup
    kind = s["dataset"]
    out = [("INPUT_SHAPE", lit(tuple(plan.input_step.out.features)), "per-sample input shape, channels first")]
    if kind in SYNTHETIC:
        classes = info.num_classes if info and info.num_classes else 2
        out += [("SAMPLES", lit(s["samples"]), ""), ("NOISE", lit(float(s["noise"])), "")]
        out.append(("CLASSES", lit(classes), ""))
    if kind in ("csv", "npz"):
        task = info.task if info else ("regression" if plan.head_type == "output.regression" else "classification")
        if plan.head_type == "output.regression":
            task = "regression"
        if kind == "csv":
            out.append(("TARGET_COLUMN", lit(s["dataset_target"]), "empty: the last column"))
        out.append(("TASK", lit(task), ""))
    if kind == "text":
        out.append(("STEPS", lit(plan.input_step.out.dims[1]), "characters per training window"))
        per_step = plan.output_type is not None and plan.output_type.rank == 3
        out.append(("PER_STEP_TARGETS", lit(per_step), "predict every next character"))
    return out


def needs_csv(kind: str) -> bool:
    return kind == "csv"
