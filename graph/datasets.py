"""Datasets as descriptors: what each dataset the app offers looks like, without loading it.

A descriptor knows the per-sample input shape (channels-first), the input dtype and the targets it
provides (``graph.tasks.Targets``), so the Input node and the output head can be checked against the
chosen data. Loading the data is the generated script's job (``codegen``); here we read headers and
metadata only: a CSV's rows are streamed, an NPZ's array headers are read without loading ``x``.
"""

from __future__ import annotations

import csv
import functools
import itertools
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from graph.tasks import LABELS, TargetNeed, Targets, fmt_shape, target_problem
from graph.tensors import TensorType

SYNTHETIC = ("spirals", "moons", "circles", "xor")
KINDS = ("digits", *SYNTHETIC, "mnist", "csv", "npz", "image_folder", "text", "text_classes", "audio_folder")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
AUDIO_EXTENSIONS = (".wav",)
TEXT_EXTENSIONS = (".txt",)
MAX_DISTINCT = 100_000  # distinct labels/tokens counted before a description gives up counting
MAX_SAMPLED_ROWS = 200_000  # CSV rows a description reads; the count of a larger file is estimated
MAX_SAMPLED_FILES = 2_000  # text files of a folder dataset a description reads
MAX_TEXT_BYTES = 256 * 2**20  # a text corpus the scripts read whole

DESCRIPTIONS = {
    "digits": ("8×8 handwritten digits (1,797 images, bundled, from scikit-learn)", "8×8 手写数字（1797 张，内置）"),
    "spirals": ("Two interleaved spirals in 2-D (synthetic)", "二维交错螺旋（合成数据）"),
    "moons": ("Two interleaving half circles in 2-D (synthetic)", "二维双月形（合成数据）"),
    "circles": ("A small circle inside a large one in 2-D (synthetic)", "二维同心圆（合成数据）"),
    "xor": ("Four 2-D clusters labelled by XOR (synthetic)", "二维异或四簇（合成数据）"),
    "mnist": ("MNIST 28×28 handwritten digits from the Keras cache (mnist.npz)", "MNIST 手写数字（Keras 缓存文件）"),
    "csv": ("A CSV table: numeric feature columns and one target column", "CSV 表格：数值特征列和一个目标列"),
    "npz": (
        "A NumPy .npz file with arrays x and y (features, images or token ids; labels, values or masks)",
        "NumPy .npz 文件，包含数组 x 和 y（特征、图像或词元；标签、数值或掩码）",
    ),
    "image_folder": ("A folder with one sub-folder of images per class", "图像文件夹：每个类别一个子文件夹"),
    "text": ("A plain-text file for character-level language modelling", "纯文本文件，用于字符级语言模型"),
    "text_classes": (
        "Labelled texts: a CSV with text and label columns, or a folder with one sub-folder of .txt files per class",
        "带标签的文本：包含 text 和 label 列的 CSV，或每个类别一个 .txt 文件子文件夹",
    ),
    "audio_folder": (
        "A folder with one sub-folder of WAV files per class (resampled, padded or cropped to the Signal Input)",
        "音频文件夹：每个类别一个 WAV 子文件夹（重采样并补齐或截断到信号输入的长度）",
    ),
}


class DatasetError(ValueError):
    """The dataset cannot be described (missing file, bad header…); the message names it."""


@dataclass(frozen=True)
class DatasetInfo:
    """The shape of one sample and the targets of a dataset."""

    kind: str
    sample_shape: tuple[int, ...] | None  # channels-first, without the batch axis; None: adapts to the Input
    dtype: str  # "float32" or "int64" (token ids)
    targets: Targets
    num_samples: int = 0
    vocab: int = 0  # text kinds: distinct characters (or words) in the file
    adapts_to: str = ""  # with sample_shape None: the Input type the data are fitted to
    arrays: dict = field(default_factory=dict)  # .npz: array name -> DatasetInfo of that array alone
    mapping: dict = field(default_factory=dict)  # the setup's "arrays": layer name -> array name
    path: str = ""  # .npz: the file, for the target statistics read on demand

    def array_info(self, name: str, as_targets: bool = False) -> DatasetInfo:
        """One .npz array as a dataset of its own; ``as_targets`` reads its values (once) for the head check."""
        info = self.arrays[name]
        if not as_targets or info.targets.classes or info.targets.zero_one or not self.path:
            return info
        return _scanned_array(self.path, name, info.sample_shape, os.stat(self.path).st_mtime_ns)

    @property
    def num_classes(self) -> int:
        return self.targets.classes

    def input_problem(self, t: TensorType) -> str | None:
        """Why an Input producing ``t`` cannot take this data, or None when it fits."""
        if self.dtype == "int64":
            if t.dtype != "int64":
                return f"{self.kind} data are token ids; use a Token Input (got {t.label()})"
        elif t.dtype == "int64":
            shape = fmt_shape(self.sample_shape) if self.sample_shape else "real values"
            return f"{self.kind} data are real-valued ({shape} per sample); use a float Input"
        if self.sample_shape is None:
            return _adapt_problem(self, t)
        size = 1
        for d in self.sample_shape:
            size *= d
        if t.size() != size:
            return (
                f"the Input gives {t.short()} ({t.size()} values) per sample, "
                f"but {self.kind} samples are {fmt_shape(self.sample_shape)} ({size} values)"
            )
        return None

    def input_fix(self, input_type: str) -> str:
        if self.dtype == "int64":
            return "use a Token Input"
        if self.sample_shape is None:
            return {"image": "use an Image Input with 1 or 3 channels", "signal": "use a Signal Input with 1 channel"}[
                self.adapts_to
            ]
        dims = ", ".join(str(d) for d in self.sample_shape)
        return f"set the Input's shape to ({dims})"

    def head_problem(self, need: TargetNeed) -> tuple[str, str] | None:
        """(message, fix) when the head's targets do not fit this dataset's."""
        return target_problem(need, self.targets, self.kind)

    def array_for(self, layer: str, role: str, single: bool) -> str:
        """The .npz array that feeds an Input (role "input") or a head ("head") named ``layer``.

        The setup's mapping first; else an array named like the layer; else x (y) for the only Input (head).
        """
        if layer in self.mapping:
            return self.mapping[layer]
        if layer in self.arrays or not single:
            return layer
        return "x" if role == "input" else "y"

    def array_problem(self, layer: str, role: str, single: bool) -> tuple[str, str] | None:
        """(message, fix) when the array for this layer is missing from the file."""
        name = self.array_for(layer, role, single)
        if name in self.arrays:
            return None
        what = "Input" if role == "input" else "head"
        found = ", ".join(sorted(self.arrays)) or "none"
        return (
            f"the .npz file has no array {name!r} for the {what} {layer!r} (its arrays: {found})",
            f"name the {what} after one of its arrays, or set Arrays in the training setup ({layer}=array)",
        )


def _adapt_problem(info: DatasetInfo, t: TensorType) -> str | None:
    """Data fitted to the Input (images resized, audio resampled, text padded): only the kind must fit."""
    if info.adapts_to == "image" and not (t.axes == ("N", "C", "H", "W") and t.dims[1] in (1, 3)):
        return f"{info.kind} gives grey or colour images; the Input gives {t.label()}"
    if info.adapts_to == "signal" and not (t.axes == ("N", "C", "L") and t.dims[1] == 1):
        return f"{info.kind} gives mono signals (N, 1, L); the Input gives {t.label()}"
    return None


def _labels(classes: int) -> Targets:
    return Targets(LABELS, (), classes, zero_one=classes <= 2, integral=True)


def describe(config: dict, base_dir: str | os.PathLike | None = None) -> DatasetInfo:
    """Describe a dataset from its project configuration; raises DatasetError naming the problem."""
    kind = config.get("kind")
    if kind not in KINDS:
        raise DatasetError(f"unknown dataset kind {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "digits":
        return DatasetInfo("digits", (1, 8, 8), "float32", _labels(10), 1797)
    if kind == "mnist":
        return DatasetInfo("mnist", (1, 28, 28), "float32", _labels(10), 70000)
    if kind in SYNTHETIC:
        classes = int(config.get("classes", 2)) if kind == "spirals" else 2
        return DatasetInfo(kind, (2,), "float32", _labels(classes), int(config.get("samples", 1000)))
    path = resolve_path(config, base_dir)
    return _FILE_DESCRIBERS[kind](path, config)


def resolve_path(config: dict, base_dir: str | os.PathLike | None) -> Path:
    """The dataset's file path, relative paths taken from the project's folder."""
    raw = config.get("path")
    if not raw or not isinstance(raw, str):
        raise DatasetError(f"the {config.get('kind')} dataset needs a file path")
    if "\x00" in raw:
        raise DatasetError("the dataset path contains a null character")
    path = Path(raw).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    try:
        info = path.stat()
    except UnicodeEncodeError:
        raise DatasetError("the dataset path is not valid text (it contains a lone surrogate)") from None
    except (OSError, ValueError):
        raise DatasetError(f"dataset file not found: {path}") from None
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        raise DatasetError(f"{path}: not a regular file or folder (a device or pipe)")
    return path


def _regular_file(path: Path, what: str) -> Path:
    if not path.is_file():
        raise DatasetError(f"{path}: a {what} dataset must be a file, not a folder")
    return path


class _Counted:
    """Lines of a text file, counting the characters read (to estimate the rows of a large file)."""

    def __init__(self, fh):
        self.fh, self.chars = fh, 0

    def __iter__(self):
        for line in self.fh:
            self.chars += len(line)
            yield line

    def close(self) -> None:
        self.fh.close()


def _read_csv(path: Path):
    """(header, rows iterator, file handle) of a UTF-8 CSV file; the handle counts the characters read."""
    _regular_file(path, "CSV")
    try:
        fh = _Counted(open(path, newline="", encoding="utf-8"))  # noqa: SIM115 (closed by the caller)
        reader = csv.reader(fh)
        header = next(reader, None)
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise DatasetError(f"{path}: cannot read the CSV file ({err})") from None
    if not header:
        fh.close()
        raise DatasetError(f"{path}: the CSV file is empty")
    return header, reader, fh


def _sampled_rows(reader):
    """The first MAX_SAMPLED_ROWS rows (``_estimate_rows`` extrapolates the count of a larger file)."""
    return itertools.islice(reader, MAX_SAMPLED_ROWS)


def _estimate_rows(rows: int, fh, path: Path) -> int:
    """Rows in the whole file, from the sample's rows per character when the sample stopped early."""
    if rows < MAX_SAMPLED_ROWS or not fh.chars:
        return rows
    return int(rows * path.stat().st_size / fh.chars)


def _describe_csv(path: Path, config: dict) -> DatasetInfo:
    header, reader, fh = _read_csv(path)
    target = config.get("target") or header[-1]
    if target not in header:
        fh.close()
        raise DatasetError(f"{path}: no column named {target!r} (columns: {', '.join(header)})")
    ti = header.index(target)
    values, rows, numeric = set(), 0, True
    try:
        for row in _sampled_rows(reader):
            if not row:
                continue
            if ti >= len(row):
                raise DatasetError(f"{path}: row {rows + 2} has no {target!r} column")
            rows += 1
            if len(values) < MAX_DISTINCT:
                values.add(row[ti])
        rows = _estimate_rows(rows, fh, path)
    except (UnicodeDecodeError, csv.Error) as err:
        raise DatasetError(f"{path}: cannot read the CSV file ({err})") from None
    finally:
        fh.close()
    numbers = []
    for v in values:
        try:
            numbers.append(float(v))
        except ValueError:
            numeric = False
            break
    if not numeric:
        targets = Targets(LABELS, (), len(values), zero_one=False)
    else:
        integral = all(n.is_integer() and n >= 0 for n in numbers)
        zero_one = all(n in (0.0, 1.0) for n in numbers)
        targets = Targets("numbers", (), len(values), zero_one=zero_one, integral=integral)
    return DatasetInfo("csv", (len(header) - 1,), "float32", targets, rows)


def npz_headers(path: Path) -> dict[str, tuple[tuple[int, ...], str]]:
    """{array name: (shape, dtype string)} of an .npz file, read from the headers only."""
    import numpy as np

    _regular_file(path, "NPZ")
    out = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not name.endswith(".npy"):
                    continue
                with archive.open(name) as member:
                    version = np.lib.format.read_magic(member)
                    read = (
                        np.lib.format.read_array_header_1_0
                        if version == (1, 0)
                        else np.lib.format.read_array_header_2_0
                    )
                    shape, _, dtype = read(member)
                out[name[:-4]] = (tuple(int(d) for d in shape), dtype.str)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as err:
        raise DatasetError(f"{path}: cannot read the .npz file ({err})") from None
    return out


MAX_SCANNED_VALUES = 50_000_000  # target statistics are read from arrays up to this size


def _describe_npz(path: Path, config: dict) -> DatasetInfo:
    """x and y, or several named arrays (one per Input and head); every array has the same samples.

    Only the headers are read, plus the values of y (or, later and once, of an array a head trains on).
    """
    headers = npz_headers(path)
    if not headers:
        raise DatasetError(f"{path}: the .npz file holds no arrays")
    for name, (shape, dtype) in headers.items():
        if "O" in dtype or dtype.lstrip("<>|=")[:1] not in "biuf":
            raise DatasetError(f"{path}: array {name!r} must be numeric (object and other arrays are refused)")
        if not shape:
            raise DatasetError(f"{path}: array {name!r} is a single value; every array needs one row per sample")
    counts = {name: shape[0] for name, (shape, _) in headers.items()}
    if len(set(counts.values())) > 1:
        listed = ", ".join(f"{k} {headers[k][0]}" for k in sorted(counts))
        raise DatasetError(f"{path}: the arrays must have the same number of samples ({listed})")
    mapping = parse_arrays(config.get("arrays", ""))
    arrays = {name: _npz_array(shape, dtype) for name, (shape, dtype) in headers.items()}
    samples = next(iter(counts.values()))
    extra = {"arrays": arrays, "mapping": mapping, "path": str(path)}
    if "x" in arrays and "y" in arrays:
        x = arrays["x"]
        y = _scanned_array(str(path), "y", arrays["y"].sample_shape, os.stat(path).st_mtime_ns)
        arrays["y"] = y
        return DatasetInfo("npz", x.sample_shape, x.dtype, y.targets, samples, **extra)
    return DatasetInfo("npz", None, "float32", Targets("numbers", None), samples, **extra)


def _npz_array(shape: tuple[int, ...], dtype: str) -> DatasetInfo:
    """One array from its header: its samples as inputs; its values are not read here."""
    import numpy as np

    kind = np.dtype(dtype).kind
    tokens = kind in "iu" and np.dtype(dtype).itemsize > 1
    targets = Targets("numbers", tuple(shape[1:]), 0, integral=kind in "ub")
    return DatasetInfo("npz", tuple(shape[1:]), "int64" if tokens else "float32", targets, shape[0])


@functools.lru_cache(maxsize=64)
def _scanned_array(path: str, name: str, sample_shape: tuple[int, ...], mtime: int) -> DatasetInfo:
    """One array with its values read: which targets it can be (class ids, 0/1, real values)."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as data:
            values = data[name]
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as err:
        raise DatasetError(f"{path}: cannot read the .npz file ({err})") from None
    low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    zero_one = bool(values.size) and bool(np.isin(values, (0, 1)).all())
    integral = values.dtype.kind in "iub" and low >= 0
    classes = int(high) + 1 if integral else 0
    # Numbers that may serve as class ids (whole, ≥ 0), 0/1 values, or real values: the head decides.
    targets = Targets("numbers", sample_shape, classes, zero_one=zero_one, integral=integral)
    tokens = values.dtype.kind in "iu" and values.dtype.itemsize > 1
    return DatasetInfo("npz", sample_shape, "int64" if tokens else "float32", targets, len(values))


def parse_arrays(text: str) -> dict[str, str]:
    """The setup's Arrays text ("left=a, right=b") as {layer name: array name}; DatasetError if malformed."""
    out: dict[str, str] = {}
    for item in (part.strip() for part in text.replace("\n", ",").split(",")):
        if not item:
            continue
        layer, sep, array = (t.strip() for t in item.partition("="))
        if not sep or not layer or not array:
            raise DatasetError(f"Arrays: {item[:80]!r} is not layer=array (for example left=x1, right=x2)")
        if layer in out:
            raise DatasetError(f"Arrays: {layer[:80]!r} is mapped twice")
        out[layer] = array
    return out


def _class_folders(path: Path, extensions: tuple[str, ...], what: str) -> tuple[list[str], int]:
    if not path.is_dir():
        raise DatasetError(f"{path}: a {what} dataset must be a folder")
    classes = sorted(p.name for p in path.iterdir() if p.is_dir())
    if len(classes) < 2:
        raise DatasetError(f"{path}: needs one sub-folder per class (found {len(classes)})")
    count = sum(1 for c in classes for f in (path / c).iterdir() if f.suffix.lower() in extensions)
    if not count:
        raise DatasetError(f"{path}: no {'/'.join(extensions)} files in the class folders")
    return classes, count


def _describe_image_folder(path: Path, config: dict) -> DatasetInfo:
    classes, count = _class_folders(path, IMAGE_EXTENSIONS, "image-folder")
    return DatasetInfo("image_folder", None, "float32", _labels(len(classes)), count, adapts_to="image")


def _describe_audio_folder(path: Path, config: dict) -> DatasetInfo:
    classes, count = _class_folders(path, AUDIO_EXTENSIONS, "audio-folder")
    return DatasetInfo("audio_folder", None, "float32", _labels(len(classes)), count, adapts_to="signal")


def _read_text(path: Path) -> str:
    _regular_file(path, "text")
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise DatasetError(f"{path}: the text file is larger than {MAX_TEXT_BYTES // 2**20} MB")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DatasetError(f"{path}: cannot read the text file ({err})") from None


def _describe_text(path: Path, config: dict) -> DatasetInfo:
    text = _read_text(path)
    if len(text) < 2:
        raise DatasetError(f"{path}: the text file is empty")
    vocab = len(set(text))
    targets = Targets(LABELS, None, vocab, integral=True)
    return DatasetInfo("text", None, "int64", targets, len(text), vocab=vocab)


def _describe_text_classes(path: Path, config: dict) -> DatasetInfo:
    if path.is_dir():
        classes, count = _class_folders(path, TEXT_EXTENSIONS, "text-classes")
        tokens = set()
        files = (f for c in classes for f in sorted((path / c).iterdir()) if f.suffix.lower() in TEXT_EXTENSIONS)
        for f in itertools.islice(files, MAX_SAMPLED_FILES):  # the vocabulary of a bounded sample
            tokens.update(_tokens(_read_text(f), config))
        return DatasetInfo("text_classes", None, "int64", _labels(len(classes)), count, vocab=len(tokens))
    header, reader, fh = _read_csv(path)
    text_col = header.index("text") if "text" in header else 0
    label_col = header.index("label") if "label" in header else len(header) - 1
    if text_col == label_col:
        fh.close()
        raise DatasetError(f"{path}: a text-classes CSV needs a text column and a label column (found {header})")
    labels, tokens, rows = set(), set(), 0
    try:
        for row in _sampled_rows(reader):
            if len(row) <= max(text_col, label_col):
                continue
            rows += 1
            labels.add(row[label_col])
            if len(tokens) < MAX_DISTINCT:
                tokens.update(_tokens(row[text_col], config))
        rows = _estimate_rows(rows, fh, path)
    except (UnicodeDecodeError, csv.Error) as err:
        raise DatasetError(f"{path}: cannot read the CSV file ({err})") from None
    finally:
        fh.close()
    if rows < 2 or len(labels) < 2:
        raise DatasetError(f"{path}: needs at least two labelled texts of two classes (found {rows} rows)")
    return DatasetInfo("text_classes", None, "int64", _labels(len(labels)), rows, vocab=len(tokens))


def _tokens(text: str, config: dict):
    """Characters, or lower-cased words, as the scripts split them."""
    return text.lower().split() if config.get("tokens") == "word" else text


_FILE_DESCRIBERS = {
    "csv": _describe_csv,
    "npz": _describe_npz,
    "image_folder": _describe_image_folder,
    "text": _describe_text,
    "text_classes": _describe_text_classes,
    "audio_folder": _describe_audio_folder,
}
