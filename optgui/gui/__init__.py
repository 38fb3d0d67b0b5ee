"""optgui's Qt layer: the run engine, shared widgets and the main window."""
