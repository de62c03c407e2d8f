"""Text helpers for quotes: whitespace-insensitive matching and the numbers a text states.

Source texts come from PDFs, so a sentence can be broken across lines
("HER2-\\npositive"). A quote is verbatim when it equals a span of the text
after runs of whitespace are collapsed to one space on both sides; every
other character, noise included ("HER?2", "mPES"), must match exactly.
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = [
    "BLANK",
    "contains_verbatim",
    "is_blank",
    "locate_quote",
    "normalize_space",
    "number_text",
    "numbers_in_text",
]

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "half": None,
}  # fmt: skip
_WORD = re.compile(r"\b(" + "|".join(word for word, value in _NUMBER_WORDS.items() if value) + r")\b", re.IGNORECASE)


#: Characters that make a name or question blank: ASCII whitespace only. ``str.strip()``
#: also removes controls such as U+001C that JSON Schema's regexes and pydantic-core's
#: count as text, so a name the API's documented pattern accepts could turn blank and be
#: refused (schemathesis found ``"\x1c"``); with this set, the pattern and the check agree.
BLANK = " \t\n\x0b\x0c\r"


def is_blank(text: str) -> bool:
    """Whether ``text`` holds nothing but :data:`BLANK` characters."""
    return not text.strip(BLANK)


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends."""
    return _SPACE.sub(" ", text).strip()


def contains_verbatim(text: str, quote: str) -> bool:
    """Whether ``quote`` occurs in ``text``, up to whitespace runs."""
    return normalize_space(quote) in normalize_space(text)


def locate_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Start and end offsets of ``quote`` in the whitespace-normalised ``text``, or ``None``."""
    haystack = normalize_space(text)
    needle = normalize_space(quote)
    start = haystack.find(needle)
    return None if start < 0 else (start, start + len(needle))


def numbers_in_text(text: str) -> set[str]:
    """Every number a text states, as written ("30.0", "0.0001"), plus number words as digits ("six" → "6")."""
    found = set(_NUMBER.findall(text))
    found.update(str(_NUMBER_WORDS[word.lower()]) for word in _WORD.findall(text))
    return found


def number_text(value: Decimal | int) -> str:
    """A number as it must appear in a quote: its exact published text."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
