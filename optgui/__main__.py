"""``python -m optgui`` starts the app."""

import sys

from optgui.cli import main

sys.exit(main())
