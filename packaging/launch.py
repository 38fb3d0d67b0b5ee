"""Entry point of the frozen (PyInstaller) app: ``optgui [options]``.

Until ``optgui.app`` knows ``--smoke-test`` itself, the launcher handles it:
it creates the main window and runs :func:`optgui.smoke.run_smoke_test`.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import sys

if __name__ == "__main__":  # a worker process runs this executable too: step, then end
    multiprocessing.freeze_support()

from optgui.cli import main, parse_args  # noqa: E402


def app_knows(flag: str) -> bool:
    """Whether optgui's own command line accepts ``flag``."""
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            parse_args([flag])
    except SystemExit:
        return False
    return True


def smoke_test() -> int:
    from optgui.app import create_window
    from optgui.smoke import run_smoke_test

    window = create_window()
    window.show()
    code = run_smoke_test(window)
    window.close()
    return code


if __name__ == "__main__":
    if "--smoke-test" in sys.argv[1:] and not app_knows("--smoke-test"):
        raise SystemExit(smoke_test())
    raise SystemExit(main())
