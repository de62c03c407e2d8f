"""What the HTTP benchmarks ask: the paths each endpoint is loaded with.

One module for the workload, read by both the load generator
(:mod:`benchmarks.http_load`) and the per-request cost split
(:mod:`benchmarks.request_cost`), so each measures the same requests and
neither imports the other.
"""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["ENDPOINTS", "QUESTION"]

#: The headline question, in free text.
QUESTION = "what evidence supports pyrotinib in HER2-amplified NSCLC?"

#: Endpoint name → the one path it is loaded with (``ping`` is the pre-serialized ceiling).
ENDPOINTS: dict[str, str] = {
    "ping": "/health/ping",
    "evidence": "/evidence?therapy=pyrotinib&alteration=HER2%20amplification&disease=NSCLC",
    "ask": f"/ask?q={quote(QUESTION)}",
}
