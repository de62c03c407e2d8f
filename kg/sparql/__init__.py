"""A safe, read-only SPARQL 1.1 query service over the evidence graph.

* :mod:`~kg.sparql.guard` — parse first, refuse updates, LOAD, SERVICE, FROM;
* :mod:`~kg.sparql.store` — build the on-disk pyoxigraph store once per data version;
* :mod:`~kg.sparql.endpoint` and :mod:`~kg.sparql.client` — an external SPARQL 1.1 endpoint, over pooled HTTP;
* :mod:`~kg.sparql.engines` — what Oxigraph, Virtuoso and QLever do differently (half-answers);
* :mod:`~kg.sparql.remote` — run a guarded query on an external engine; inspect it first;
* :mod:`~kg.sparql.versions` — the data version a store declares, and the check against it;
* :mod:`~kg.sparql.runner` — killable worker processes: hard time limit, row cap;
* :mod:`~kg.sparql.service` — :class:`SparqlService`, the facade the HTTP router uses;
* :mod:`~kg.sparql.publish` and :mod:`~kg.sparql.cli` — ``kg publish oxigraph|virtuoso``;
* :mod:`~kg.sparql.formats` — result formats and Accept negotiation;
* :mod:`~kg.sparql.errors` — errors that carry their HTTP status;
* :mod:`~benchmarks.rdflib_baseline` — an rdflib runner for engine benchmarks only.

Names are imported lazily: the worker processes import this package and must
not pay for rdflib or the service machinery at start-up.
"""

from __future__ import annotations

import importlib
from typing import Any

from kg.sparql import errors as _errors

__all__ = [
    "BadQueryError",
    "DataVersionMismatchError",
    "EndpointClient",
    "EndpointSpec",
    "EngineCancelledError",
    "EngineError",
    "ForbiddenQueryError",
    "GuardedQuery",
    "NotAcceptableError",
    "QueryExecutionError",
    "QueryForm",
    "QueryRunner",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "QueryTooCostlyError",
    "QueryTooLargeError",
    "ResultFormat",
    "ServiceBusyError",
    "ServiceClosedError",
    "SparqlError",
    "SparqlResult",
    "SparqlService",
    "StoreDescription",
    "StoreError",
    "StoreInfo",
    "WorkerCrashedError",
    "build_store",
    "guard_query",
    "load_rdflib_graph",
    "negotiate",
    "open_read_only",
    "run_rdflib_baseline",
]

_HOME = {
    "kg.sparql.errors": tuple(_errors.__all__),  # cheap to import: only kg.core.errors
    "kg.sparql.guard": ("GuardedQuery", "QueryForm", "guard_query"),
    "kg.sparql.formats": ("ResultFormat", "negotiate"),
    "kg.sparql.store": ("StoreInfo", "build_store", "open_read_only"),
    "kg.sparql.runner": ("QueryRunner",),
    "kg.sparql.service": ("SparqlResult", "SparqlService", "StoreDescription"),
    "kg.sparql.client": ("EndpointClient",),
    "kg.sparql.endpoint": ("EndpointSpec",),
    "benchmarks.rdflib_baseline": ("load_rdflib_graph", "run_rdflib_baseline"),
}
_MODULE_OF = {name: module for module, names in _HOME.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
