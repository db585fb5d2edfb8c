"""The layer catalog: a registry of LayerSpecs that refuses duplicate ids and resolves legacy ids."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from graph.spec import LayerSpec

# Display order of categories in the palette and docs.
CATEGORIES = (
    "Input",
    "Core",
    "Convolution",
    "Pooling",
    "Normalization",
    "Recurrent",
    "Attention",
    "Activation",
    "Merge",
    "Output",
)

CATEGORY_ZH = {
    "Input": "输入",
    "Core": "核心层",
    "Convolution": "卷积",
    "Pooling": "池化",
    "Normalization": "归一化",
    "Recurrent": "循环层",
    "Attention": "注意力",
    "Activation": "激活函数",
    "Merge": "合并",
    "Output": "输出与损失",
}


class UnknownLayerError(KeyError):
    """Raised when a type id is not in the catalog."""

    def __str__(self) -> str:
        return f"unknown layer type {self.args[0]!r}"


class Catalog:
    """An ordered registry of layer specs keyed by stable type id."""

    def __init__(self, specs: Iterable[LayerSpec] = ()):
        self._specs: dict[str, LayerSpec] = {}
        self._legacy: dict[str, str] = {}
        for spec in specs:
            self.register(spec)

    def register(self, spec: LayerSpec) -> None:
        """Add a spec; a duplicate id (or legacy id) is refused."""
        taken = set(self._specs) | set(self._legacy)
        for tid in (spec.type_id, *spec.legacy_ids):
            if tid in taken:
                raise ValueError(f"duplicate layer type id {tid!r}")
        if spec.category not in CATEGORIES:
            raise ValueError(f"{spec.type_id}: unknown category {spec.category!r}")
        self._specs[spec.type_id] = spec
        for old in spec.legacy_ids:
            self._legacy[old] = spec.type_id

    def __contains__(self, type_id: str) -> bool:
        return type_id in self._specs or type_id in self._legacy

    def __getitem__(self, type_id: str) -> LayerSpec:
        spec = self._specs.get(type_id)  # a current id (no id is both current and legacy): one lookup
        return spec if spec is not None else self.get(type_id)

    def get(self, type_id: str) -> LayerSpec:
        spec = self._specs.get(self._legacy.get(type_id, type_id))
        if spec is None:
            raise UnknownLayerError(type_id)
        return spec

    def canonical_id(self, type_id: str) -> str:
        """The current id for ``type_id`` (following legacy renames)."""
        return self.get(type_id).type_id

    def __iter__(self) -> Iterator[LayerSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def by_category(self) -> dict[str, list[LayerSpec]]:
        """Specs grouped by category, in palette order."""
        out: dict[str, list[LayerSpec]] = {c: [] for c in CATEGORIES}
        for spec in self:
            out[spec.category].append(spec)
        return {c: v for c, v in out.items() if v}


_DEFAULT: Catalog | None = None


def default_catalog() -> Catalog:
    """The catalog of every built-in layer (built once, on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        from graph.layers import all_specs

        _DEFAULT = Catalog(all_specs())
    return _DEFAULT
