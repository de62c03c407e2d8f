"""Parse CIViC molecular profile names into their logic: AND, OR, NOT and brackets.

A profile name is an expression over variant names, each written ``GENE
VARIANT`` (``EGFR L858R OR EGFR Exon 19 Deletion``, ``BRAF Amplification AND
( BRAF V600E OR BRAF V600K )``, ``NOT KIT D816V``). Variant names may contain
spaces and brackets themselves (``VHL R200W (c.598C>T)``), so the name is not
split on spaces: the profile's own variants (from ``variant_ids``) are matched
at each position, longest name first, and only what is left must be an
operator or a bracket. Every variant of the profile must appear, and nothing
else may: a mismatch between name and variant ids is a data error.

The result keeps what the model can say: the positively named variants, the
negated ones, and whether the whole is a plain conjunction (``all``), a plain
disjunction (``any``) or something more (``expression``: NOT or nesting; the
profile's text is then the authority).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.model.terms import AlterationLogic

__all__ = ["ParsedProfile", "ProfileSyntaxError", "parse_profile"]

_OPERATORS = ("AND", "OR", "NOT")


class ProfileSyntaxError(ValueError):
    """A profile name that does not parse over its own variants."""


@dataclass(frozen=True)
class ParsedProfile:
    """Variant ids in order of appearance, split by polarity, and the logic that joins them."""

    positive: tuple[int, ...]
    negated: tuple[int, ...]
    logic: AlterationLogic
    operators: frozenset[str]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _tokenize(name: str, variants: Sequence[tuple[int, str]]) -> list[tuple[str, int | str]]:
    """Tokens of ``name``: ("var", id), ("op", "AND"/"OR"/"NOT"), ("(", "("), (")", ")")."""
    text = _squash(name)
    candidates = sorted(((_squash(label), vid) for vid, label in variants), key=lambda pair: -len(pair[0]))
    tokens: list[tuple[str, int | str]] = []
    position = 0
    while position < len(text):
        if text[position] == " ":
            position += 1
            continue
        for label, vid in candidates:
            end = position + len(label)
            if text.startswith(label, position) and (end == len(text) or text[end] in " )"):
                tokens.append(("var", vid))
                position = end
                break
        else:
            if text[position] in "()":
                tokens.append((text[position], text[position]))
                position += 1
                continue
            word = text[position:].split(" ", 1)[0]
            if word in _OPERATORS:
                tokens.append(("op", word))
                position += len(word)
                continue
            raise ProfileSyntaxError(
                f"an expression over its variants ({'; '.join(label for label, _ in candidates)}) "
                f"with AND, OR, NOT and brackets; cannot read from {text[position:]!r}"
            )
    return tokens


class _Parser:
    """Recursive descent: expr := term (OR term)*; term := factor (AND factor)*; factor := NOT factor | ( expr ) | var."""

    def __init__(self, tokens: list[tuple[str, int | str]]) -> None:
        self.tokens = tokens
        self.index = 0
        self.positive: list[int] = []
        self.negated: list[int] = []
        self.operators: set[str] = set()
        self.nested = False

    def peek(self) -> tuple[str, int | str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, int | str]:
        token = self.peek()
        if token is None:
            raise ProfileSyntaxError("a complete expression; it ends after an operator or an open bracket")
        self.index += 1
        return token

    def expression(self, negated: bool, depth: int) -> None:
        self.term(negated, depth)
        while self.peek() == ("op", "OR"):
            self.take()
            self.operators.add("OR")
            self.term(negated, depth)

    def term(self, negated: bool, depth: int) -> None:
        self.factor(negated, depth)
        while self.peek() == ("op", "AND"):
            self.take()
            self.operators.add("AND")
            self.factor(negated, depth)

    def factor(self, negated: bool, depth: int) -> None:
        kind, value = self.take()
        if kind == "op" and value == "NOT":
            self.operators.add("NOT")
            self.factor(not negated, depth)
        elif kind == "(":
            self.nested = True
            self.expression(negated, depth + 1)
            if self.take()[0] != ")":
                raise ProfileSyntaxError("a closing bracket for every opening one")
        elif kind == "var":
            (self.negated if negated else self.positive).append(int(value))
        else:
            raise ProfileSyntaxError(f"a variant, NOT or '(' where {value!r} stands")


def parse_profile(name: str, variants: Sequence[tuple[int, str]]) -> ParsedProfile:
    """Parse ``name`` over ``variants`` ((civic variant id, "GENE VARIANT") pairs); raise ProfileSyntaxError."""
    parser = _Parser(_tokenize(name, variants))
    parser.expression(False, 0)
    if parser.peek() is not None:
        raise ProfileSyntaxError(f"operators between variants; unexpected {parser.peek()[1]!r}")  # type: ignore[index]
    named = parser.positive + parser.negated
    expected = {vid for vid, _ in variants}
    if set(named) != expected:
        missing = sorted(expected - set(named))
        raise ProfileSyntaxError(f"every variant of variant_ids named in the profile; not named: {missing}")
    if len(named) != len(set(named)):
        raise ProfileSyntaxError("each variant named once")
    if "NOT" in parser.operators or parser.nested or {"AND", "OR"} <= parser.operators:
        logic = AlterationLogic.EXPRESSION
    elif "OR" in parser.operators:
        logic = AlterationLogic.ANY
    else:
        logic = AlterationLogic.ALL
    return ParsedProfile(tuple(parser.positive), tuple(parser.negated), logic, frozenset(parser.operators))
