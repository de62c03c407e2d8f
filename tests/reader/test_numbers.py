"""Tokens and the grammar of published numbers: every form of number, CI and p-value the brief lists."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.model.terms import Comparator, Unit
from kg.reader.numbers import parse_bare_interval, parse_ci, parse_p_value, parse_quantity
from kg.reader.tokens import Kind, number_value, tokenize


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("22.2", "22.2"),
        ("0·62", "0.62"),  # middle dot (The Lancet)
        ("0,62", "0.62"),  # comma decimal
        (".0006", "0.0006"),  # "P = .0006"
        ("1,170", "1170"),  # thousands
        ("eleven", "11"),
        ("Fifty-four", "54"),
        ("1.2 × 10−8", "1.2E-8"),
        ("3e-5", "0.00003"),
    ],
)
def test_a_number_is_one_token_with_its_exact_text_and_value(text: str, value: str) -> None:
    tokens = tokenize(f"was {text} in")
    numbers = [token for token in tokens if token.kind is Kind.NUMBER]
    assert [token.text for token in numbers] == [text]
    assert numbers[0].value == Decimal(value)
    assert number_value(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("8,12", ["8", "12"]),  # a list, not a decimal
        ("(13,14)", ["13", "14"]),  # citations
        ("HER1/2/4", ["2", "4"]),  # names keep their digits: "HER1" is a word
        ("T790M exon 19", ["19"]),
        ("50mg", []),
        ("6th edition", []),
        ("pT1cN2MO", []),
    ],
)
def test_digits_inside_names_lists_and_ordinals_are_not_decimals(text: str, numbers: list[str]) -> None:
    assert [token.text for token in tokenize(text) if token.kind is Kind.NUMBER] == numbers


def test_every_token_knows_its_span() -> None:
    text = "ORR was 22.2% (95% CI 10.6-40.8%)"
    assert all(text[token.start : token.end] == token.text for token in tokenize(text))
    assert all(token.start == 100 + text.index(token.text) for token in tokenize("ORR", offset=100))


@pytest.mark.parametrize(
    ("text", "comparator", "value", "high", "unit"),
    [
        ("22.2%", Comparator.EQ, "22.2", None, Unit.PERCENT),
        ("below 20%", Comparator.LT, "20", None, Unit.PERCENT),
        ("up to 10%", Comparator.LE, "10", None, Unit.PERCENT),
        ("≥ 80%", Comparator.GE, "80", None, Unit.PERCENT),
        ("approximately 50-60%", Comparator.APPROX, "50", "60", Unit.PERCENT),
        ("3%-19%", Comparator.EQ, "3", "19", Unit.PERCENT),
        ("5-6 months", Comparator.EQ, "5", "6", Unit.MONTHS),
        ("7.4 weeks", Comparator.EQ, "7.4", None, Unit.WEEKS),
        ("687 days", Comparator.EQ, "687", None, Unit.DAYS),
        ("10.4 years", Comparator.EQ, "10.4", None, Unit.YEARS),
        ("more than 15 months", Comparator.GT, "15", None, Unit.MONTHS),
        ("21+ months", Comparator.GE, "21", None, Unit.MONTHS),
        ("12 per cent", Comparator.EQ, "12", None, Unit.PERCENT),
        ("0·62", Comparator.EQ, "0·62", None, None),
    ],
)
def test_quantities(text: str, comparator: Comparator, value: str, high: str | None, unit: Unit | None) -> None:
    tokens = tokenize(text)
    quantity = parse_quantity(tokens, 0)
    assert quantity is not None
    assert quantity.j == len(tokens), "the whole text is one quantity"
    assert (quantity.comparator, quantity.number.text, quantity.unit) == (comparator, value, unit)
    assert (quantity.high.text if quantity.high else None) == high


def test_a_range_must_run_upwards_and_have_one_unit() -> None:
    assert parse_quantity(tokenize("60-50%"), 0).high is None  # type: ignore[union-attr]
    assert parse_quantity(tokenize("5% to 6 months"), 0).high is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "level", "lower", "upper"),
    [
        ("95% CI 10.6-40.8", "95", "10.6", "40.8"),
        ("95%CI 18.8%-43.2%", "95", "18.8", "43.2"),
        ("confidence interval: 0.31-0.72", None, "0.31", "0.72"),
        ("95% CI 1.8, 14.2", "95", "1.8", "14.2"),
        ("95% CI; 4.1-9.9", "95", "4.1", "9.9"),
        ("95% CI [0.41; 0.88]", "95", "0.41", "0.88"),
        ("90% CI 3.9 - 7.9", "90", "3.9", "7.9"),
        ("99% CI 0.2-0.9", "99", "0.2", "0.9"),
        ("95% CI, 17% to 56%", "95", "17", "56"),
        ("CI 95%: 1.2-3.4", "95", "1.2", "3.4"),
        ("95% confidence interval [CI]; 0.96, 1.17", "95", "0.96", "1.17"),
        ("95%CI = 2.01, 19.41", "95", "2.01", "19.41"),
        ("95% CI: 1.33–5.75", "95", "1.33", "5.75"),
        ("95% CI 12.3- 21.3", "95", "12.3", "21.3"),
    ],
)
def test_confidence_intervals_in_every_common_format(text: str, level: str | None, lower: str, upper: str) -> None:
    tokens = tokenize(text)
    interval = parse_ci(tokens, 0)
    assert interval is not None
    assert interval.j == len(tokens)
    assert (interval.level.text if interval.level else None, interval.lower.text, interval.upper.text) == (
        level,
        lower,
        upper,
    )


@pytest.mark.parametrize("text", ["95% CI 40.8-10.6", "95% CI 1.8", "CI", "95% of patients"])
def test_what_is_not_a_confidence_interval(text: str) -> None:
    assert parse_ci(tokenize(text), 0) is None


def test_bare_intervals_are_read_only_in_brackets() -> None:
    assert parse_bare_interval(tokenize("[0.38, 0.63]"), 0) is not None
    assert parse_bare_interval(tokenize("(1.5-1.7)"), 0) is not None
    assert parse_bare_interval(tokenize("0.38-0.63"), 0) is None


@pytest.mark.parametrize(
    ("text", "comparator", "value"),
    [
        ("p = 0.004", Comparator.EQ, "0.004"),
        ("P<0.001", Comparator.LT, "0.001"),
        ("P = .0006", Comparator.EQ, ".0006"),
        ("p-value of 0.03", Comparator.EQ, "0.03"),
        ("P value was 0.04", Comparator.EQ, "0.04"),
        ("p ≤ 0.05", Comparator.LE, "0.05"),
        ("log-rank P < 0.0001", Comparator.LT, "0.0001"),
        ("P = 1.2 × 10−8", Comparator.EQ, "1.2 × 10−8"),
    ],
)
def test_p_values_with_their_comparator(text: str, comparator: Comparator, value: str) -> None:
    tokens = tokenize(text)
    p = parse_p_value(tokens, 0)
    assert p is not None
    assert (p.comparator, p.number.text) == (comparator, value)


@pytest.mark.parametrize("text", ["p.R175H", "P-loop", "p53", "P = 2.5", "PD-L1"])
def test_what_is_not_a_p_value(text: str) -> None:
    assert parse_p_value(tokenize(text), 0) is None
