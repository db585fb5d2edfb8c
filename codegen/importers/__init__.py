"""Import existing models into LayerLab graphs: Keras files and configs, PyTorch modules (torch.fx), ONNX.

Every importer maps the source model onto catalog layers through one ``GraphBuilder``
(``codegen.importers.builder``); nothing unsupported is half-imported: the builder collects every node
the catalog cannot express and ``finish`` refuses the whole import with that list. The importers run in
a child process (``codegen.importers.child``) because they import frameworks and, for PyTorch, run the
user's code; ``codegen.importers.run`` starts it and never imports a framework itself.
"""

from codegen.importers.builder import GraphBuilder, Imported, ImportFailed, Ref

__all__ = ["GraphBuilder", "ImportFailed", "Imported", "Ref"]
