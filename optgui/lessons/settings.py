"""The base of every lesson's settings: a frozen dataclass that checks itself.

A subclass declares its fields with types and defaults; :func:`spec` adds a
range or a list of choices to a field. Validation, the JSON round trip and the
error messages (in words a student understands) come from here::

    @dataclass(frozen=True)
    class RaceLesson(Settings):
        learning_rate: float = spec(0.1, low=1e-6, high=100, label="learning rate α")
        method: str = spec("newton", choices=("newton", "damped"))

    RaceLesson.from_json({"learning_rate": 0.5}).learning_rate   # 0.5
    RaceLesson(learning_rate=-1)                                  # SettingsError
"""

from __future__ import annotations

import dataclasses
import math
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T", bound="Settings")


class SettingsError(ValueError):
    """Settings that cannot be used, in words; ``field`` names the setting at fault."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def spec(
    default: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    choices: tuple[Any, ...] | None = None,
    label: str = "",
) -> Any:
    """A settings field with a default, a closed range ``[low, high]`` or choices."""
    meta = {"low": low, "high": high, "choices": choices, "label": label}
    if isinstance(default, list | dict):
        raise TypeError("settings hold tuples, not lists or dicts (they are frozen)")
    return field(default=default, metadata=meta)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _convert(value: Any, kind: Any, name: str) -> Any:
    """``value`` (from JSON or from a caller) as ``kind``; SettingsError if it is not one."""
    origin = typing.get_origin(kind)
    if kind is float:
        if not _is_number(value) or not math.isfinite(value):
            raise SettingsError(f"{name} should be a number")
        return float(value)
    if kind is int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise SettingsError(f"{name} should be a whole number")
        return value
    if kind is bool:
        if not isinstance(value, bool):
            raise SettingsError(f"{name} should be yes or no")
        return value
    if kind is str:
        if not isinstance(value, str):
            raise SettingsError(f"{name} should be text")
        return value
    if origin is tuple:
        args = typing.get_args(kind)
        if not isinstance(value, list | tuple):
            raise SettingsError(f"{name} should be a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(v, args[0], name) for v in value)
        if len(value) != len(args):
            raise SettingsError(f"{name} should hold {len(args)} values")
        return tuple(_convert(v, a, name) for v, a in zip(value, args, strict=True))
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        args = typing.get_args(kind)
        if value is None and type(None) in args:
            return None
        for a in args:
            if a is type(None):
                continue
            try:
                return _convert(value, a, name)
            except SettingsError:
                continue
        raise SettingsError(f"{name} has a value of the wrong kind")
    raise TypeError(f"settings cannot hold a {kind}")


def _to_json(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    return value


@dataclass(frozen=True)
class Settings:
    """Frozen, validated settings; subclasses are ``@dataclass(frozen=True)`` too."""

    def __post_init__(self) -> None:
        hints = typing.get_type_hints(type(self))
        for f in dataclasses.fields(self):
            try:
                self._check(f, hints[f.name])
            except SettingsError as error:
                error.field = error.field or f.name
                raise
        self.validate()

    def _check(self, f: dataclasses.Field, kind: Any) -> None:
        name = f.metadata.get("label") or f.name.replace("_", " ")
        value = _convert(getattr(self, f.name), kind, name)
        object.__setattr__(self, f.name, value)  # ints become floats where declared
        low, high = f.metadata.get("low"), f.metadata.get("high")
        if low is not None and value < low or high is not None and value > high:
            raise SettingsError(f"{name} should be between {low:g} and {high:g}")
        choices = f.metadata.get("choices")
        if choices is not None and value not in choices:
            raise SettingsError(f"{name} should be one of {', '.join(map(str, choices))}")

    def validate(self) -> None:
        """Checks across fields (subclasses raise :class:`SettingsError`)."""

    def replace(self: T, **changes: Any) -> T:
        """A copy with ``changes`` (validated)."""
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return {f.name: _to_json(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_json(cls: type[T], data: Any) -> T:
        """Settings from JSON values; missing keys take their defaults, unknown keys
        are ignored (a newer file), a wrong value raises :class:`SettingsError`."""
        if not isinstance(data, dict):
            raise SettingsError("the settings are damaged (not a table of values)")
        names = {f.name for f in dataclasses.fields(cls)}
        try:
            return cls(**{k: v for k, v in data.items() if k in names})
        except TypeError as error:  # a required field is missing
            raise SettingsError(f"the settings are incomplete ({error})") from None
