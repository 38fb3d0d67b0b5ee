"""Files written whole: through a temporary file and a rename, with usual permissions.

A temporary file is created readable by its owner only (``tempfile.mkstemp``); before
it replaces the target it gets the permissions a file saved any other way would have:
the target's own when it exists, otherwise what the user's umask leaves of rw-rw-rw-.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path


def umask() -> int:
    """The process's umask (read from /proc where there is one: no moment without it)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        status = ""
    found = re.search(r"^Umask:\s*([0-7]+)", status, re.M)
    if found:
        return int(found.group(1), 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode(path: str | Path) -> int:
    """The permissions a file saved at ``path`` gets (an existing file keeps its own)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~umask()


def commit(tmp: str | Path, path: str | Path) -> None:
    """Give the finished temporary file its permissions, then put it in ``path``'s place."""
    os.chmod(tmp, new_file_mode(path))
    os.replace(tmp, path)
