"""Code generation: PyTorch and TensorFlow/Keras scripts from one graph, and weight conversion.

Never imports Qt (checked by import-linter)."""
