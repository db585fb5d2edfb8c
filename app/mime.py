"""MIME types shared by the palette, the canvas and the clipboard."""

from graph.clipboard import MIME_TYPE as PROJECT_MIME

LAYER_MIME = "application/x-layerlab-layer"  # payload: the layer type id, UTF-8

__all__ = ["LAYER_MIME", "PROJECT_MIME"]
