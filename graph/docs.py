"""The catalog as documentation: text for the CLI and JSON for tools."""

from __future__ import annotations

from graph.catalog import CATEGORY_ZH, Catalog
from graph.glossary import param_title


def spec_json(spec) -> dict:
    """One layer spec as JSON-native data."""
    return {
        "type": spec.type_id,
        "category": spec.category,
        "name": spec.display_name,
        "name_zh": spec.display_name_zh,
        "summary": spec.summary,
        "summary_zh": spec.summary_zh,
        "formula": spec.formula,
        "inputs": [{"name": p.name, "variadic": p.variadic} for p in spec.inputs],
        "outputs": [p.name for p in spec.outputs],
        "params": [
            {
                "name": p.name,
                "kind": p.kind,
                "default": p.default,
                "min": p.minimum,
                "max": p.maximum,
                "choices": list(p.choices) or None,
                "doc": p.doc,
                "doc_zh": p.doc_zh,
                "title": p.title,
                "title_zh": param_title(p, "zh"),
            }
            for p in spec.params
        ],
    }


def catalog_json(catalog: Catalog) -> list[dict]:
    return [spec_json(s) for s in catalog]


def catalog_text(catalog: Catalog, lang: str = "en") -> str:
    """Layers grouped by category, one line each."""
    zh = lang.startswith("zh")
    lines = []
    for category, specs in catalog.by_category().items():
        lines.append(CATEGORY_ZH[category] if zh else category)
        for s in specs:
            name = s.display_name_zh if zh else s.display_name
            summary = s.summary_zh if zh else s.summary
            lines.append(f"  {s.type_id:<24} {name:<18} {summary}")
    lines.append(f"{len(catalog)} layer types")
    return "\n".join(lines)
