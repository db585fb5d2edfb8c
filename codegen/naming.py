"""One naming object per generated script: every identifier in the code comes from here.

Like torch.fx's ``_Namespace``: user layer names become legal, readable Python identifiers that
are never keywords, builtins or names the script already uses, and never collide with each other.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata

from codegen.reserved import KERAS_MODEL, TORCH_MODULE

# Names the generated scripts define or import themselves; a layer may never take one of them.
RESERVED = frozenset(
    {
        "argparse",
        "json",
        "math",
        "os",
        "sys",
        "time",
        "csv",
        "np",
        "torch",
        "nn",
        "F",
        "tf",
        "keras",
        "layers",
        "ops",
        "Path",
        "Model",
        "Control",
        "Progress",
        "main",
        "model",
        "self",
        "x",
        "y",
        "args",
        "data",
        "device",
        "logits",
        "loss",
        "inputs",
        "outputs",
        "optimizer",
        "build_model",
        "load_data",
        "split_data",
        "parse_args",
        "run",
        "train_epoch",
        "evaluate",
        "generate_text",
        "resources",
    }
)

_ILLEGAL = re.compile(r"[^0-9a-zA-Z_]+")


def _ascii(text: str) -> str:
    """Transliterate accents (é → e); drop what has no ASCII form."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def sanitize(text: str, fallback: str = "layer") -> str:
    """A lower-case snake_case identifier made from ``text`` (not yet checked for clashes)."""
    name = _ILLEGAL.sub("_", _ascii(text).strip()).strip("_").lower()
    name = re.sub(r"_+", "_", name)[:40].rstrip("_")
    if not name:
        name = fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return name


BACKEND_RESERVED = TORCH_MODULE | KERAS_MODEL


class Namespace:
    """Hands out unique, legal identifiers and remembers which object got which name."""

    def __init__(self, reserved: frozenset[str] | set[str] = RESERVED):
        self._reserved = set(reserved) | BACKEND_RESERVED
        self._used: set[str] = set()
        self._by_key: dict[object, str] = {}

    def create_name(self, candidate: str, key: object = None, fallback: str = "layer") -> str:
        """A fresh identifier based on ``candidate``; the same ``key`` always gets the same name."""
        if key is not None and key in self._by_key:
            return self._by_key[key]
        base = sanitize(candidate, fallback)
        if self._taken(base):
            base = f"{base}_"  # keywords/builtins/clashes get a suffix: list -> list_1
        name, i = base.rstrip("_"), 1
        if self._taken(name):
            while self._taken(f"{name}_{i}"):
                i += 1
            name = f"{name}_{i}"
        self._used.add(name)
        if key is not None:
            self._by_key[key] = name
        return name

    def name_of(self, key: object) -> str:
        return self._by_key[key]

    def knows(self, key: object) -> bool:
        return key in self._by_key

    def remember(self, key: object, name: str) -> None:
        """Give ``key`` a name this namespace already handed out."""
        self._by_key[key] = name

    def suffixes_of(self, owner: object) -> list[str]:
        """The suffixes of the names keyed ``(owner, suffix)`` (a node's helper layers), in creation order."""
        return [
            k[1]
            for k in self._by_key
            if isinstance(k, tuple) and len(k) == 2 and k[0] == owner and isinstance(k[1], str)
        ]

    def taken(self, name: str) -> bool:
        """Whether ``name`` is used or reserved here (``create_name`` would not return it as it is)."""
        return self._taken(name)

    def _taken(self, name: str) -> bool:
        return (
            name in self._used
            or name in self._reserved
            or keyword.iskeyword(name)
            or keyword.issoftkeyword(name)
            or hasattr(builtins, name)
            or name.startswith("__")
        )
