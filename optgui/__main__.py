"""``python -m optgui`` starts the app."""

import sys

from optgui.cli import main

if __name__ == "__main__":  # (not in a worker process, which imports this module)
    sys.exit(main())
