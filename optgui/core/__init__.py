"""optgui's numeric core: pure numpy (and sympy for typed functions), no Qt.

Use it from a notebook or a script to get the same numbers the app shows.
"""
