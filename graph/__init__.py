"""LayerLab: framework-neutral model graph, layer catalog, shapes, validation and file format.

Never imports Qt, torch or tensorflow (checked by import-linter)."""
