"""Conservative extraction of plainly stated outcomes from CIViC evidence statements.

CIViC statements are free text written by curators. Some state a number
plainly: "the objective response rate was 53% (95% CI 44-62%)", "median PFS
of 7.2 months", "HR 0.41, 95% CI 0.30-0.55". Those become
:class:`~kg.model.Outcome` records marked ``machine_extracted=True`` with a
label that quotes the phrase they came from.

Precision beats recall here, because an outcome is shown as a fact: a phrase
is only used when

* the measure is named right before the number (ORR, median PFS/OS, HR);
* the number is written with a ``.`` decimal point, exactly as it will be
  checked against the quote (``0·59`` is left alone);
* no comparison follows ("7.2 vs 4.1 months", "46% and 12%",
  "respectively"): with two numbers we cannot tell which arm is which;
* a confidence interval, when present, contains the value (else nothing
  from that phrase is kept);
* a "k of n" next to a rate agrees with the rate to within one point.

Every number therefore appears verbatim in the quote, which
``kg.curation.validate.check_outcome_numbers`` checks again on the merged corpus.
"""

from __future__ import annotations

import re
from decimal import Decimal

from kg.model import Outcome
from kg.model.terms import OutcomeMeasure, Unit

__all__ = ["extract_outcomes"]

_NUM = r"(\d+(?:\.\d+)?)(?![\d·])"
_DASH = r"\s*(?:-|–|—|to)\s*"
_CI = (
    r"(?:\s*[,;(\[]\s*|\s+)(?:with\s+(?:a\s+)?)?(95)\s*%\s*(?:CI|confidence interval(?:\s*\[CI\])?)\s*[:;,=]?\s*"
    r"(?:between\s+|of\s+)?" + _NUM + r"\s*%?" + _DASH + _NUM + r"\s*%?"
)
_COUNT = r"(?:\s*\((\d+)\s*(?:of|/)\s*(\d+)(?:\s*patients)?\))?"
_LINK = r"\s*(?:\((?:ORR|m?PFS|m?OS|HR)\)\s*)?(?:was\s+(?:\w+\s+)?|were\s+|of\s+|=\s*|:\s*|,\s*)?"

_ORR = re.compile(
    r"\b(ORR|objective response rate|overall response rate)\b" + _LINK + _NUM + r"\s*%" + f"(?:{_CI})?" + _COUNT,
    re.IGNORECASE,
)
_MEDIAN = re.compile(
    r"\b(median\s+(?:progression[- ]free survival|PFS|overall survival|OS)|mPFS|mOS)\b"
    + _LINK
    + _NUM
    + r"\s*(months?|years?)\b"
    + f"(?:{_CI}\\s*(?:months?|years?)?)?",
    re.IGNORECASE,
)
_HR = re.compile(
    r"\b(HR|hazard ratio)\b(?:\s*\[HR\])?(?:\s+for\s+(?:death|progression|recurrence|relapse|OS|PFS|DFS|EFS|survival))?"
    + _LINK
    + _NUM
    + f"(?:{_CI})?",
    re.IGNORECASE,
)
_COMPARISON_AFTER = re.compile(
    r"^\s*%?\s*(?:\)|\])?\s*(?:,\s*)?(?:vs\.?|versus|v\.|compared|and\s+(?:\d|a\b)|or\s+\d|,\s*\d|/\s*\d|to\s+\d|-\s*\d)",
    re.IGNORECASE,
)
_MENTIONS = re.compile(r"ORR|response rate|median|mPFS|mOS|\bHR\b|hazard ratio", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-Z(])")


def _sentences(text: str) -> list[tuple[int, str]]:
    """Sentences of ``text`` with their start offsets (a split at ". " before a capital)."""
    spans: list[tuple[int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, text[start : match.start()]))
        start = match.end()
    spans.append((start, text[start:]))
    return spans


def _ci(match: re.Match[str], first: int) -> dict[str, Decimal]:
    """CI fields from groups ``first`` (level), ``first+1`` (lower), ``first+2`` (upper), when present."""
    if match.group(first) is None:
        return {}
    return {
        "ci_level": Decimal(match.group(first)),
        "ci_lower": Decimal(match.group(first + 1)),
        "ci_upper": Decimal(match.group(first + 2)),
    }


def _consistent(value: Decimal, ci: dict[str, Decimal]) -> bool:
    return not ci or ci["ci_lower"] <= value <= ci["ci_upper"]


def _plain(sentence: str, match: re.Match[str], same_unit: re.Pattern[str] | None = None) -> bool:
    """No comparison right after the number, no 'respectively', no second value of the same unit.

    "median PFS was 7.4 months in the regorafenib group and 1.7 months in the
    placebo group": a second number of the same unit before the next named
    measure means the first belongs to one arm we cannot name, so neither is kept.
    """
    if "respectively" in sentence.lower():
        return False
    rest = sentence[match.end() :]
    if _COMPARISON_AFTER.match(rest):
        return False
    next_measure = _MENTIONS.search(rest)
    before = rest[: next_measure.start()] if next_measure else rest
    if same_unit is not None and same_unit.search(before):
        return False
    return not (same_unit is not None and _ARM_WORDS.match(before))


#: "… was 6.0 months for the placebo group": the number belongs to one arm, which an Outcome here cannot name.
_ARM_WORDS = re.compile(r"^[^.;]{0,40}\b(?:placebo|control|group|arm|cohort)\b", re.IGNORECASE)
_PERCENT_VALUE = re.compile(r"\d\s*%(?!\s*(?:CI|confidence))", re.IGNORECASE)
_TIME_VALUE = re.compile(r"\d\s*(?:months?|mo|years?)\b", re.IGNORECASE)


def extract_outcomes(statement: str) -> tuple[Outcome, ...]:
    """Outcomes plainly stated in ``statement`` (possibly none), each machine-extracted."""
    if not _MENTIONS.search(statement):
        return ()
    outcomes: list[Outcome] = []
    seen: set[tuple[str, str]] = set()
    for _, sentence in _sentences(statement):
        for match in _ORR.finditer(sentence):
            if not _plain(sentence, match, _PERCENT_VALUE):
                continue
            value = Decimal(match.group(2))
            ci = _ci(match, 3)
            if value > 100 or not _consistent(value, ci):
                continue
            fields: dict[str, object] = {}
            if match.group(6) is not None:
                k, n = int(match.group(6)), int(match.group(7))
                if n > 0 and k <= n and abs(Decimal(k * 100) / n - value) <= 1:
                    fields = {"numerator": k, "denominator": n}
            _add(outcomes, seen, OutcomeMeasure.ORR, Unit.PERCENT, value, ci, match.group(0), fields)
        for match in _MEDIAN.finditer(sentence):
            if not _plain(sentence, match, _TIME_VALUE):
                continue
            name = match.group(1).lower()
            measure = OutcomeMeasure.PFS_MEDIAN if "p" in name.replace("median", "") else OutcomeMeasure.OS_MEDIAN
            unit = Unit.MONTHS if match.group(3).lower().startswith("month") else Unit.YEARS
            value = Decimal(match.group(2))
            ci = _ci(match, 4)
            if not _consistent(value, ci):
                continue
            _add(outcomes, seen, measure, unit, value, ci, match.group(0), {})
        for match in _HR.finditer(sentence):
            if match.group(1) != "HR" and not match.group(1).lower().startswith("hazard"):
                continue
            if not _plain(sentence, match):
                continue
            value = Decimal(match.group(2))
            ci = _ci(match, 3)
            if value <= 0 or value > 50 or not _consistent(value, ci):
                continue
            _add(outcomes, seen, OutcomeMeasure.HAZARD_RATIO, Unit.RATIO, value, ci, match.group(0), {})
    return tuple(outcomes)


def _add(
    outcomes: list[Outcome],
    seen: set[tuple[str, str]],
    measure: OutcomeMeasure,
    unit: Unit,
    value: Decimal,
    ci: dict[str, Decimal],
    phrase: str,
    extra: dict[str, object],
) -> None:
    key = (measure.value, str(value))
    if key in seen:
        return
    seen.add(key)
    phrase = " ".join(phrase.split())
    outcomes.append(
        Outcome(
            measure=measure,
            value=value,
            unit=unit,
            label=f"machine-extracted from the CIViC statement: {phrase!r}",
            machine_extracted=True,
            **ci,  # type: ignore[arg-type]
            **extra,  # type: ignore[arg-type]
        )
    )
