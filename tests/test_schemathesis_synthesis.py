"""Property-based testing of the synthesis endpoints (``/synthesis``, ``/synthesis/view``) with schemathesis.

The whole-document run (:mod:`tests.test_schemathesis_api`) gives every
operation a few examples; these two get many more, since their parameters
are /evidence's plus ``q``, ``format`` and ``bundle`` and their answers come
in three media types (JSON, CSV, HTML). Checks: no 5xx, documented status and
content type, the body matches the documented schema. "Schema-valid request
rejected" is relaxed as for ``/ask``: a ``q`` naming nothing in the graph and
``q`` together with structured parameters are 422 by design, each with a
message saying why.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from api.app import create_app
from api.settings import ApiSettings
from kg.runtime.knowledge_graph import load_knowledge_graph
from tests.conftest import DATA_DIR

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("schemathesis-synthesis")]

app = create_app(load_knowledge_graph(DATA_DIR, include_civic=True), settings=ApiSettings(sparql_enabled=False))
schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex="^/synthesis")


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_synthesis_endpoints_never_misbehave_on_generated_input(case) -> None:
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
