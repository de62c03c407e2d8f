"""OpenAPI helpers: the headline question as the example everywhere, and documented error answers.

The API exists to answer questions like "what evidence supports pyrotinib
in HER2-amplified NSCLC?", so that question (in its structured and free-text
forms) is the example of every parameter that can carry it; ``/docs`` then
runs it with one click. Error answers are documented per status with the one
error shape (:class:`ErrorBody`, built by :mod:`api.errors`), so clients and
schemathesis know exactly which statuses an endpoint can give.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "HEADLINE_ALTERATION",
    "HEADLINE_DISEASE",
    "HEADLINE_QUESTION",
    "HEADLINE_THERAPY",
    "ErrorBody",
    "error_responses",
    "example",
]


class Suggestion(BaseModel):
    """An entity the unknown name may have meant."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(examples=["drug:pyrotinib"])
    label: str = Field(examples=["pyrotinib"])
    type: str = Field(examples=["drug"])


class ErrorDetail(BaseModel):
    """What went wrong; ``parameter`` names the culprit, ``suggestions`` offer "did you mean"."""

    model_config = ConfigDict(extra="allow")  # a few code-specific fields (expected, supported, timeout_s, ...)

    code: str = Field(description="Stable machine-readable code.", examples=["unknown_entity"])
    message: str = Field(
        description="What to change, in plain words.", examples=["unknown therapy 'pyrotinb'; did you mean: pyrotinib?"]
    )
    parameter: str | None = Field(default=None, description="The parameter at fault.", examples=["therapy"])
    suggestions: list[Suggestion] | None = Field(default=None, description="Entities the value may have meant.")


class ErrorBody(BaseModel):
    """The one error shape of this API."""

    model_config = ConfigDict(extra="forbid")

    error: ErrorDetail


HEADLINE_QUESTION = "what evidence supports pyrotinib in HER2-amplified NSCLC?"
HEADLINE_THERAPY = "pyrotinib"
HEADLINE_ALTERATION = "HER2 amplification"
HEADLINE_DISEASE = "NSCLC"

_DESCRIPTIONS = {
    400: "Malformed or forbidden request (the message says what to change).",
    404: "Unknown entity or resource; `suggestions` lists what the value may have meant.",
    406: "None of the media types in `Accept` can be served; the message lists those that can.",
    413: "Request body too large.",
    414: (
        "Query string too long (over the server's limit, 32 KiB by default; a GET `/sparql` query over 8,192 "
        "characters too: POST it). A request line over 64 KiB never reaches the API: the HTTP server refuses it "
        "with a plain-text 400."
    ),
    415: "Unsupported request `Content-Type`.",
    422: "A parameter has an invalid value; `parameter` names it and `errors` lists every problem.",
    500: "The server failed; the error was logged.",
    503: "Temporarily unavailable (e.g. the SPARQL store is still being built, or every worker is busy); retry.",
    504: "The query was stopped at the time limit; nothing was returned.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries documenting the given error statuses with the error shape."""
    return {status: {"model": ErrorBody, "description": _DESCRIPTIONS[status]} for status in statuses}


def example(summary: str, value: Any) -> dict[str, dict[str, Any]]:
    """``openapi_examples=`` with one named example."""
    return {"headline": {"summary": summary, "value": value}}
