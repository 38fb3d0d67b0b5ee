"""``python -m optgui`` starts the app."""

import sys

from optgui.app import main

sys.exit(main())
