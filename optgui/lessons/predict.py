"""Predict, then reveal: the class guesses a step before → shows it (no Qt).

Two kinds of guess:

- a point: where the next point lands (Newton's next iterate, the next (w, b)); a
  hit is a guess within :data:`HIT_SHARE` of the step's length from the truth;
- signs: which way each parameter moves (↑ or ↓); a hit is every picked sign right.

The truth is read from the records the ordinary step produced, so guessing never
changes the run. The texts here are what the predict bar shows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from optgui.core.format import fmt, roundoff
from optgui.lessons.notation import subscript

#: A point guess is a hit within this share of the step's length from where the step went.
HIT_SHARE = 0.1
#: Significant digits of the numbers in the texts (a guess is a click: fewer).
DIGITS = 5
GUESS_DIGITS = 3
#: The signs a student picks: up (the parameter grows) and down.
UP, DOWN = 1, -1
ARROWS = {UP: "↑", DOWN: "↓", 0: "·"}


def label(name: str) -> str:
    """A parameter's or coordinate's name as students read it: w11 → w₁₁, b2 → b₂."""
    match = re.fullmatch(r"([A-Za-z]+)(\d+)", name)
    return f"{match.group(1)}{subscript(int(match.group(2)))}" if match else name


def point_text(names: Sequence[str], values: Sequence[float], digits: int = DIGITS) -> str:
    """``x = 1.2`` for one coordinate, ``(x, y) = (1.2, −0.5)`` for more; a coordinate
    that is zero but for round-off (b = −4e−17 beside w = 0.2) reads 0."""
    labels = [label(n) for n in names]
    tiny = roundoff([float(v) for v in values])
    numbers = [fmt(0.0 if tiny[i] else float(v), digits) for i, v in enumerate(values)]
    if len(labels) == 1:
        return f"{labels[0]} = {numbers[0]}"
    return f"({', '.join(labels)}) = ({', '.join(numbers)})"


@dataclass(frozen=True)
class Reveal:
    """One guess against the step that followed it."""

    hit: bool
    text: str
    #: a point guess: the distance from the truth and the step's length (signs: None)
    distance: float | None = None
    step_length: float | None = None
    #: a sign guess: how many picked signs were right, of how many picked
    right: int | None = None
    picked: int | None = None


def point_reveal(
    names: Sequence[str],
    guess: Sequence[float],
    truth: Sequence[float],
    before: Sequence[float],
    method: str,
    click: float = 0.0,
) -> Reveal:
    """A point guess: "You guessed x = 0.45, Newton went to x = 0.4773: 0.0273 away …".

    A hit is within a tenth of the step; ``click`` is how far (data units) a click
    can miss by on the plot, so a step too short to click to a tenth of is a hit
    within that instead.
    """
    g, t, b = (np.asarray(v, dtype=float) for v in (guess, truth, before))
    distance = float(np.linalg.norm(g - t))
    length = float(np.linalg.norm(t - b))
    if not (math.isfinite(distance) and math.isfinite(length)):
        text = (
            f"You guessed {point_text(names, g, GUESS_DIGITS)}; {method} went to "
            f"{point_text(names, t)}: "
            "the step left the numbers behind, so it does not count as a hit."
        )
        return Reveal(False, text, distance, length)
    tenth = HIT_SHARE * length
    reach = max(tenth, click)
    hit = distance <= reach
    rule = (
        f"a tenth of the step, {fmt(reach, 3)}"
        if tenth >= click
        else f"{fmt(reach, 3)}, a click's width: a tenth of the step is less"
    )
    verdict = f"a hit (within {rule})" if hit else f"a miss (a hit is within {rule})"
    text = (
        f"You guessed {point_text(names, g, GUESS_DIGITS)}, {method} went to "
        f"{point_text(names, t)}: {fmt(distance, 4)} away, {verdict}."
    )
    return Reveal(hit, text, distance, length)


def moves(names: Sequence[str], before: Sequence[float], after: Sequence[float]) -> dict[str, int]:
    """Which way each parameter moved: +1, −1, or 0 (not at all, or by round-off only)."""
    change = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)
    tiny = roundoff(list(change))
    return {
        name: 0
        if tiny[i] or change[i] == 0 or not math.isfinite(change[i])
        else int(np.sign(change[i]))
        for i, name in enumerate(names)
    }


def sign_reveal(
    names: Sequence[str],
    picked: Mapping[str, int],
    before: Sequence[float],
    after: Sequence[float],
) -> Reveal:
    """A sign guess: each picked ↑/↓ against the parameter's real change."""
    change = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)
    went = moves(names, before, after)
    parts, right = [], 0
    for i, name in enumerate(names):
        sign = picked.get(name, 0)
        if sign == 0:
            continue
        ok = sign == went[name]
        right += ok
        change_text = fmt(change[i], 3)
        change_text = change_text if change_text.startswith("−") else f"+{change_text}"
        parts.append(f"{label(name)} {ARROWS[sign]} {'✓' if ok else '✗'} ({change_text})")
    count = sum(1 for s in picked.values() if s)
    hit = count > 0 and right == count
    unpicked = len(names) - count
    tail = f" ({unpicked} not guessed)" if unpicked else ""
    verdict = "a hit" if hit else "a miss"
    text = f"{', '.join(parts)}: {right} of {count} signs right{tail}, {verdict}."
    return Reveal(hit, text, right=right, picked=count)


@dataclass
class Tally:
    """Guesses and hits since the run started (a reset starts it again)."""

    guesses: int = 0
    hits: int = 0

    def add(self, reveal: Reveal) -> None:
        self.guesses += 1
        self.hits += bool(reveal.hit)

    def reset(self) -> None:
        self.guesses = self.hits = 0

    def text(self) -> str:
        if not self.guesses:
            return "No guesses yet"
        g = "guess" if self.guesses == 1 else "guesses"
        h = "hit" if self.hits == 1 else "hits"
        return f"{self.guesses} {g}, {self.hits} {h}"


def prompt(kind: str, names: Sequence[str], method: str) -> str:
    """What the class is asked before a step."""
    if kind == "signs":
        return "Which way will each parameter move? Pick ↑ or ↓, then press →."
    what = "the next x" if len(names) == 1 else f"the next ({', '.join(label(n) for n in names)})"
    return f"Where will {method} go next? Click {what} on the plot, then press →."


def guessed_text(kind: str, names: Sequence[str], guess) -> str:
    """The guess, as the bar repeats it until → is pressed."""
    if kind == "signs":
        chosen = [f"{label(n)} {ARROWS[s]}" for n, s in guess.items() if s]
        if not chosen:
            return prompt(kind, names, "")
        return f"Your guess: {', '.join(chosen)}. Press → to see the step."
    text = point_text(names, guess, GUESS_DIGITS)
    return f"Your guess: {text}. Press → to see the step (a click moves it)."


#: The step → took showed nothing new (step 0 is the start): the guess waits.
NOTHING_MOVED = (
    "Step {k} shows where the run starts: nothing moved yet. Your guess stands for the "
    "next step: press → again."
)
#: A later step that did not move the point (the run stands still there).
STAYED = "Step {k} did not move the point: {where}. Your guess stands: press → again."
#: A guess needs a single step: Space played on.
PLAYED_ON = "The run played on, so that guess was not scored. Guess again, then press →."
#: → without a guess.
NO_GUESS = "That step was not guessed. Guess the next one, then press →."
