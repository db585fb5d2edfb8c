"""MIME types shared by the palette, the canvas and the clipboard."""

from graph.clipboard import MIME_TYPE as PROJECT_MIME

LAYER_MIME = "application/x-layerlab-layer"  # payload: the layer type id, UTF-8
BLOCK_MIME = "application/x-layerlab-block"  # payload: the palette's block key, UTF-8

__all__ = ["BLOCK_MIME", "LAYER_MIME", "PROJECT_MIME"]
