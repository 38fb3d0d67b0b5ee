"""optgui: live experiments for optimisation in neural networks and Newton's method."""

__version__ = "0.1.0"
