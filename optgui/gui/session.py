"""Sessions: every tab's settings and run in one versioned JSON file.

A session stores what a run is made of (function, data including points added
by clicking, learning rate, initial parameters, seeds …) and the run as data:
how many steps were taken, the settings each stretch of steps ran with (from
which step), and where the run was continued from an earlier step. Opening it
replays every stretch with its own settings, which reproduces each step bit for
bit because every method is deterministic. No pickle: only JSON values.

Format versions: 1 (optgui 0.1) kept only the final settings and a step count;
such files still open, and their steps are replayed with those settings.
Version 2 adds each tab's ``run``.

Reading is strict: a file that is not JSON, is truncated, comes from a newer
optgui or holds values of the wrong kind raises :class:`SessionError` with a
sentence a student understands, before anything in the app changes. Writing
goes to a temporary file that replaces the old one only when complete.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from optgui.gui import files

FORMAT = "optgui-session"
VERSION = 2
MAX_BYTES = 20 * 1024 * 1024


class SessionError(ValueError):
    """A session file that cannot be used, in words."""


def _check_json_value(value: Any, where: str) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise SessionError(f"{where} holds a number that is not finite")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise SessionError(f"{where} has a key that is not text")
            _check_json_value(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_json_value(item, f"{where}[{i}]")
    elif not isinstance(value, str | int | float | bool | type(None)):
        raise SessionError(f"{where} holds a {type(value).__name__}, which JSON cannot")


def dumps(tabs: dict[str, dict[str, Any]], current: str | None = None) -> str:
    document = {"format": FORMAT, "version": VERSION, "current": current, "tabs": tabs}
    _check_json_value(document, "session")
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)


def save(path: str | Path, tabs: dict[str, dict[str, Any]], current: str | None = None) -> Path:
    """Write a session atomically (temporary file, then rename)."""
    path = Path(path)
    text = dumps(tabs, current)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise SessionError(f"the folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".optgui-session-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        files.commit(tmp, path)  # (with the permissions of any saved file)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def loads(text: str) -> dict[str, Any]:
    """Parse and check a session; returns {"current": …, "tabs": {title: state}}."""
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise SessionError(
            f"this is not a session file (not valid JSON at line {error.lineno}); "
            "it may be truncated or damaged"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SessionError("this JSON file is not an optgui session")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SessionError("the session has no version number")
    if version > VERSION:
        raise SessionError(
            f"this session was saved by a newer optgui (format {version}); "
            f"this one reads format {VERSION} — please update optgui"
        )
    tabs = document.get("tabs")
    if not isinstance(tabs, dict) or not all(isinstance(v, dict) for v in tabs.values()):
        raise SessionError("the session's tab settings are missing or damaged")
    current = document.get("current")
    if current is not None and not isinstance(current, str):
        raise SessionError("the session's current tab is damaged")
    return {"current": current, "tabs": tabs}


def load(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SessionError(f"the file is {size / 1e6:.0f} MB; a session is far smaller")
        raw = path.read_bytes()
    except OSError as error:
        raise SessionError(f"could not read the file: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SessionError("this is not a session file (it is not text)") from None
    return loads(text)


def _no_constant(name: str) -> float:
    raise SessionError(f"the session holds {name}, which is not a number optgui accepts")


def get(state: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any = None):
    """A value from a tab's state, checked for its kind (SessionError if wrong)."""
    if key not in state:
        if default is not None:
            return default
        raise SessionError(f"the session has no '{key}'")
    value = state[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, bool) and kind is not bool:
        raise SessionError(f"'{key}' in the session should be a {_name(kind)}")
    if not isinstance(value, kind):
        raise SessionError(f"'{key}' in the session should be a {_name(kind)}")
    return value


def _name(kind) -> str:
    names = {float: "number", int: "whole number", str: "text", list: "list", bool: "yes/no"}
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def number_list(state: dict[str, Any], key: str, length: int | None = None) -> list[float]:
    values = get(state, key, list)
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise SessionError(f"'{key}' in the session should hold numbers only")
        out.append(float(v))
    if length is not None and len(out) != length:
        raise SessionError(f"'{key}' in the session should hold {length} numbers")
    return out
