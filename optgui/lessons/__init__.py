"""Each tab's lesson as plain data, without Qt.

A lesson module holds a tab's settings (a frozen, validated dataclass that
round-trips through JSON), the factory that turns settings and data into a core
stepper, and the text builders: the math of a step with its numbers, the
verdicts and the notes, as plain strings that tests read directly. Tabs in
``optgui.tabs`` only lay out widgets, bind them to the settings and draw.

Like :mod:`optgui.core`, importing this package loads no Qt.
"""
