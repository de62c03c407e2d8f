"""The words for outcome measures: one table that questions and papers are both read with.

"mPFS", "median progression-free survival" and "median PFS" name one
measure; "5-year OS" and "overall survival at 5 years" another. The
question reader (``/ask``: "rank by hazard ratio") and the results grammar
(``kg propose``, the CIViC import: "HR = 0.51, 95% CI 0.38-0.69") look
measure words up here, so a word understood in a question is understood in
a paper, and the other way round.

Three families, because the grammar of a figure decides the measure as much
as the word does:

* **endpoints** (PFS, OS, DFS, RFS, EFS, TTP, TTF, DOR): a time ("7.2
  months") makes the endpoint a median; a share at a timepoint ("3-year OS
  of 64%") makes it a rate;
* **response rates** (ORR, DCR, CBR, CR, PR, pCR): a share of patients;
* **ratios** (HR, OR, RR): a number without a unit.

Short abbreviations that are also English words or common tokens ("OS",
"OR", "RR", "CR", "PR", "HR") only count in upper case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from kg.model.terms import OutcomeMeasure

__all__ = [
    "ENDPOINTS",
    "RATIOS",
    "RESPONSE_MEASURES",
    "RESPONSE_RATES",
    "Family",
    "MeasureTerm",
    "find_measure_terms",
    "measure_terms",
]


class Family(StrEnum):
    """How a figure of a measure is written, which decides the measure together with the word."""

    ENDPOINT = "endpoint"  # a time to an event: median (a duration) or rate (a share at a timepoint)
    RESPONSE_RATE = "response_rate"  # a share of patients who responded
    RATIO = "ratio"  # a hazard, odds or risk ratio


@dataclass(frozen=True)
class MeasureTerm:
    """One measure concept and every way it is written.

    ``median`` and ``rate`` are the measures of an endpoint as a duration and
    as a share at a timepoint; a response rate or ratio has only ``measure``.
    ``names`` are matched case-insensitively as whole words, ``abbreviations``
    case-sensitively (an upper-case "OS" is overall survival; "os" is not).
    """

    key: str
    family: Family
    label: str
    names: tuple[str, ...]
    abbreviations: tuple[str, ...] = ()
    measure: OutcomeMeasure | None = None
    median: OutcomeMeasure | None = None
    rate: OutcomeMeasure | None = None

    @property
    def measures(self) -> tuple[OutcomeMeasure, ...]:
        """Every measure this term can stand for, the most usual first."""
        return tuple(m for m in (self.measure, self.median, self.rate) if m is not None)


def _endpoint(
    key: str,
    label: str,
    names: tuple[str, ...],
    abbreviations: tuple[str, ...],
    median: OutcomeMeasure,
    rate: OutcomeMeasure | None,
) -> MeasureTerm:
    return MeasureTerm(key, Family.ENDPOINT, label, names, abbreviations, median=median, rate=rate)


#: Time-to-event endpoints: median (a duration) or rate at a timepoint (a share).
ENDPOINTS: tuple[MeasureTerm, ...] = (
    _endpoint("pfs", "progression-free survival", ("progression-free survival", "progression free survival", "progression-free-survival"), ("PFS",), OutcomeMeasure.PFS_MEDIAN, OutcomeMeasure.PFS_RATE),
    _endpoint("os", "overall survival", ("overall survival", "survival time"), ("OS",), OutcomeMeasure.OS_MEDIAN, OutcomeMeasure.OS_RATE),
    _endpoint("dfs", "disease-free survival", ("disease-free survival", "disease free survival", "leukemia-free survival", "leukemia free survival", "leukaemia-free survival"), ("DFS",), OutcomeMeasure.DFS_MEDIAN, OutcomeMeasure.DFS_RATE),
    _endpoint("rfs", "relapse-free survival", ("relapse-free survival", "relapse free survival", "recurrence-free survival", "recurrence free survival"), ("RFS",), OutcomeMeasure.RFS_MEDIAN, OutcomeMeasure.RFS_RATE),
    _endpoint("efs", "event-free survival", ("event-free survival", "event free survival"), ("EFS",), OutcomeMeasure.EFS_MEDIAN, OutcomeMeasure.EFS_RATE),
    _endpoint("ttp", "time to progression", ("time to progression", "time-to-progression"), ("TTP",), OutcomeMeasure.TTP_MEDIAN, None),
    _endpoint("ttf", "time to treatment failure", ("time to treatment failure", "time-to-treatment failure"), ("TTF",), OutcomeMeasure.TTF_MEDIAN, None),
    _endpoint("dor", "duration of response", ("duration of response", "response duration"), ("DOR", "DoR"), OutcomeMeasure.DOR_MEDIAN, None),
    _endpoint("ttr", "time to response", ("time to response", "time to objective response", "time-to-response"), (), OutcomeMeasure.TIME_TO_EVENT, None),
    _endpoint("dot", "duration of treatment", ("duration of treatment", "treatment duration", "time on treatment", "duration of therapy", "time on therapy"), (), OutcomeMeasure.TIME_TO_EVENT, None),
)  # fmt: skip

#: Shares of patients who responded.
RESPONSE_RATES: tuple[MeasureTerm, ...] = (
    MeasureTerm("orr", Family.RESPONSE_RATE, "objective response rate", ("objective response rate", "overall response rate", "objective response", "overall response", "response rate", "objective remission rate"), ("ORR",), measure=OutcomeMeasure.ORR),
    MeasureTerm("dcr", Family.RESPONSE_RATE, "disease control rate", ("disease control rate", "disease control"), ("DCR",), measure=OutcomeMeasure.DCR),
    MeasureTerm("cbr", Family.RESPONSE_RATE, "clinical benefit rate", ("clinical benefit rate", "clinical benefit"), ("CBR",), measure=OutcomeMeasure.CBR),
    MeasureTerm("pcr", Family.RESPONSE_RATE, "pathological complete response rate", ("pathological complete response", "pathologic complete response"), ("pCR",), measure=OutcomeMeasure.PCR_RATE),
    MeasureTerm("cr", Family.RESPONSE_RATE, "complete response rate", ("complete response rate", "complete response", "complete remission", "complete hematologic response", "complete haematologic response", "complete cytogenetic response", "complete molecular response", "complete hematological response"), ("CR", "CRs", "CHR", "CCyR"), measure=OutcomeMeasure.CR_RATE),
    MeasureTerm("pr", Family.RESPONSE_RATE, "partial response rate", ("partial response rate", "partial response"), ("PR", "PRs"), measure=OutcomeMeasure.PR_RATE),
)  # fmt: skip

#: Measures of responders: whose count may carry its share, and whose counts one arm after another are compared.
RESPONSE_MEASURES = frozenset(term.measure for term in RESPONSE_RATES)

#: Ratios: a number without a unit, compared with 1.
RATIOS: tuple[MeasureTerm, ...] = (
    MeasureTerm("hr", Family.RATIO, "hazard ratio", ("hazard ratio", "hazards ratio"), ("HR",), measure=OutcomeMeasure.HAZARD_RATIO),
    MeasureTerm("or", Family.RATIO, "odds ratio", ("odds ratio",), ("OR",), measure=OutcomeMeasure.ODDS_RATIO),
    MeasureTerm("rr", Family.RATIO, "relative risk", ("relative risk", "risk ratio", "rate ratio"), ("RR",), measure=OutcomeMeasure.RISK_RATIO),
)  # fmt: skip


def measure_terms() -> tuple[MeasureTerm, ...]:
    """Every measure term, endpoints first."""
    return (*ENDPOINTS, *RESPONSE_RATES, *RATIOS)


@dataclass(frozen=True)
class MeasureMention:
    """A measure word found in a text, with its span and whether it was qualified as a median."""

    term: MeasureTerm
    text: str
    start: int
    end: int
    median: bool  # "median PFS", "mPFS"


@cache
def _pattern() -> re.Pattern[str]:
    """One alternation of every name (longest first), with an optional 'median'/'m' prefix on endpoints."""
    alternatives: list[tuple[str, str]] = []
    for index, term in enumerate(measure_terms()):
        for name in term.names:
            words = r"[\s-]+".join(re.escape(part) for part in re.split(r"[\s-]+", name))
            plural = "s?" if name.endswith(("response", "remission", "ratio", "rate")) else ""
            alternatives.append((f"(?i:{words}{plural})", f"t{index}"))
        for abbreviation in term.abbreviations:
            prefix = "m?" if term.family is Family.ENDPOINT else ""
            alternatives.append((prefix + re.escape(abbreviation), f"t{index}"))
    alternatives.sort(key=lambda pair: -len(pair[0]))
    body = "|".join(f"(?P<{group}_{n}>{alt})" for n, (alt, group) in enumerate(alternatives))
    return re.compile(r"(?<![\w-])(?P<median>(?i:median)\s+)?(?:" + body + r")(?![\w-])")


def find_measure_terms(text: str) -> list[MeasureMention]:
    """Every measure word in ``text``, left to right, longest name first where names overlap."""
    terms = measure_terms()
    mentions: list[MeasureMention] = []
    for match in _pattern().finditer(text):
        group = next(name for name, value in match.groupdict().items() if value is not None and name != "median")
        term = terms[int(group[1:].split("_", 1)[0])]
        word = match.group(group)
        median = match.group("median") is not None or (
            term.family is Family.ENDPOINT and word[:1] == "m" and word[1:] in term.abbreviations
        )
        mentions.append(MeasureMention(term, match.group(0), match.start(), match.end(), median))
    return mentions
