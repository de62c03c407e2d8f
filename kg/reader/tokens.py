"""Tokens of results text: numbers with their exact text, words and symbols, each with its offsets.

The results grammar (:mod:`kg.reader.numbers`, :mod:`kg.reader.results`)
reads tokens, not characters, so that "0·62", "0,62", ".0006", "1,170",
"1.2 × 10−8" and "eleven" are each one number that keeps the text it was
written with, and every token knows where it stands in the text (a figure's
span is the span of its first and last token).

Why not a general-purpose tokenizer (spaCy, NLTK): they split "10.6-40.8%"
and "P<0.001" in ways that lose the distinction between a decimal point, a
range dash and a minus sign, and they ship models this project cannot
download. The token classes here are few and tested one by one.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import NamedTuple

__all__ = ["NUMBER_WORDS", "Kind", "Token", "number_value", "tokenize"]


class Kind(StrEnum):
    """What a token is."""

    NUMBER = "number"  # digits ("22.2", "0·62", ".0006", "1,170", "1.2 × 10−8") or a number word ("eleven")
    WORD = "word"  # letters, possibly followed by digits ("HER2", "mPFS", "pT1cN2MO"), or an ordinal ("6th")
    SYMBOL = "symbol"  # one punctuation or comparison sign ("%", "(", "≥", "<=", "–")


#: Number words up to ninety; "twenty-one" and "Twenty eight" are read as one compound.
NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_UNITS_WORDS = "one|two|three|four|five|six|seven|eight|nine"
_TENS_WORDS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"

_SCIENTIFIC = r"\d+(?:[.·]\d+)?\s?[x×]\s?10\s?\^?\s?[-−–]?\s?\d+|\d+(?:\.\d+)?[eE][-−]?\d+(?![\w])"
# a comma decimal only where it cannot be a thousands separator or a list: "0,62", or before a unit ("12,5%")
_COMMA_DECIMAL = r"0,\d+(?![\d,])|\d+,\d{1,2}(?=\s?(?:%|percent|months?|mos?|m|weeks?|days?|years?)\b|\s?%)"
_THOUSANDS = r"\d{1,3}(?:,\d{3})+(?![\d,])"
_DECIMAL = r"\d+(?:[.·]\d+)?(?![.·]\d)|[.·]\d+"

#: Words first (most tokens are words, and no other class starts with a letter); a number word is a word whose
#: lower-case text is in NUMBER_WORDS (:func:`tokenize` decides), so the regex need not try thirty alternatives at
#: every letter. "twenty-one" is one alternative, tried only where a tens word starts.
_TOKEN = re.compile(
    rf"(?P<compound>(?i:\b(?:{_TENS_WORDS})[- ](?:{_UNITS_WORDS})\b))"
    r"|(?P<word>[^\W\d_][\w]*)"
    rf"|(?P<sci>(?<![\w.·]){_SCIENTIFIC})"
    rf"|(?P<comma>(?<![\w.·,]){_COMMA_DECIMAL})"
    rf"|(?P<thousands>(?<![\w.·,]){_THOUSANDS})"
    r"|(?P<ordinal>(?<![\w.·])\d+(?:st|nd|rd|th)(?![^\W\d_]))"
    # "60mo", "12wks": a whole number glued to a unit of time is the number, then the unit word
    r"|(?P<glued>(?<![\w.·])\d+(?=(?:mos?|months?|wks?|weeks?|yrs?|years?|days)\b))"
    r"|(?P<alnum>(?<![\w.·])\d+[^\W\d_][\w]*)"  # "3TC", "1q21", "50mg": not a number of a result
    # the guards hold for ".22" too: "vs.1.2" is "vs", ".", "1.2"; "v1.1" leaves no number "1"
    rf"|(?P<decimal>(?<![\w])(?<!\d[.·])(?:{_DECIMAL}))"
    r"|(?P<symbol><=|>=|=<|=>|\+/-|\S)"
)


class Token(NamedTuple):
    """One token: its kind, its exact text and its span ``text[start:end]``; numbers also carry their value.

    A named tuple, not a frozen dataclass: a statement has a hundred tokens and CIViC 4,375 statements, and a
    tuple is built in a third of the time (frozen dataclasses set every field through ``object.__setattr__``).
    ``lower`` is the text in lower case, computed once by :func:`tokenize` (the only place tokens are made).
    """

    kind: Kind
    text: str
    start: int
    end: int
    value: Decimal | None  # numbers only: the value the text denotes ("0·62" → 0.62, "eleven" → 11)
    lower: str  # the text in lower case

    @property
    def is_number(self) -> bool:
        return self.kind is Kind.NUMBER

    @property
    def is_word_number(self) -> bool:
        """A number written as a word ("eleven"): never a decimal, never a percentage on its own."""
        return self.kind is Kind.NUMBER and self.text[:1].isalpha()

    def is_(self, *texts: str) -> bool:
        """Whether the token's lower-case text is one of ``texts``."""
        return self.lower in texts


_NUMBER_GROUPS = frozenset({"sci", "comma", "thousands", "decimal", "compound", "glued"})
_WORD_GROUPS = frozenset({"ordinal", "alnum"})
_WORD_CHAR = re.compile(r"\w")


def number_value(text: str) -> Decimal | None:
    """The value of a number token's text ("0·62" → 0.62, "1,170" → 1170, ".0006" → 0.0006), or None."""
    folded = text.lower()
    if folded in NUMBER_WORDS:
        return Decimal(NUMBER_WORDS[folded])
    if ("-" in folded or " " in folded) and re.split("[- ]", folded)[0] in NUMBER_WORDS:
        tens, units = re.split("[- ]", folded, maxsplit=1)
        return Decimal(NUMBER_WORDS[tens] + NUMBER_WORDS.get(units, 0))
    scientific = re.fullmatch(r"(\d+(?:[.·]\d+)?)\s?[x×]\s?10\s?\^?\s?([-−–]?)\s?(\d+)", text)
    if scientific:
        mantissa, sign, exponent = scientific.groups()
        power = -int(exponent) if sign else int(exponent)
        return Decimal(mantissa.replace("·", ".")).scaleb(power)
    cleaned = text.replace("·", ".").replace("−", "-")
    if re.fullmatch(_THOUSANDS, text):
        cleaned = text.replace(",", "")
    elif "," in text:
        cleaned = text.replace(",", ".")
    if cleaned.startswith("."):
        cleaned = "0" + cleaned
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Every token of ``text``; spans are offsets into ``text`` plus ``offset``."""
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN.finditer(text):
        group = match.lastgroup
        word = match.group()
        lower = word.lower()
        start, end = match.start() + offset, match.end() + offset
        if group == "word":
            # a number word stands alone: not glued after a digit or "_" ("1.5one" is a word, as \b would say)
            if lower in NUMBER_WORDS and not (match.start() and _WORD_CHAR.match(text, match.start() - 1)):
                append(Token(Kind.NUMBER, word, start, end, number_value(word), lower))
            else:
                append(Token(Kind.WORD, word, start, end, None, lower))
        elif group in _NUMBER_GROUPS:
            append(Token(Kind.NUMBER, word, start, end, number_value(word), lower))
        elif group in _WORD_GROUPS:
            append(Token(Kind.WORD, word, start, end, None, lower))
        else:
            append(Token(Kind.SYMBOL, word, start, end, None, lower))
    return tokens
