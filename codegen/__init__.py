"""Code generation: PyTorch and TensorFlow/Keras scripts from one graph, and weight conversion.

Never imports Qt (checked by import-linter), and ``generate`` never imports torch or tensorflow."""

from codegen.api import FRAMEWORKS, GeneratedCode, generate

__all__ = ["FRAMEWORKS", "GeneratedCode", "generate"]
