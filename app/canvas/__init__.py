"""The node-editor canvas: a scene that mirrors the graph through events, and its view."""
