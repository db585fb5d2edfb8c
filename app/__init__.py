"""The LayerLab desktop application (PySide6) and its command line."""
