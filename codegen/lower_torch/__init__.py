"""PyTorch lowerings, one module per layer family (registered with ``@lower``)."""
