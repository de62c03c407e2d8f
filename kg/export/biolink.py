"""Biolink terms, checked offline: a frozen snapshot of the model, and the real toolkit when installed.

``biolink_terms.json`` lists every category and predicate of the Biolink
Model release we target (4.4.6), with the abstract/mixin/canonical flags and
the KnowledgeLevel and AgentType enums, generated with ``bmt`` from the YAML
the ``biolink-model`` PyPI package ships (no download). The KGX writer and
the tests check terms against it, so they work on machines without bmt; a
test compares the snapshot with the real model whenever ``bmt`` and
``biolink-model`` are installed.

:func:`offline_toolkit` builds a ``bmt.Toolkit`` without touching the
network: by default bmt downloads the model YAML and a predicate map from
GitHub; here the schema is the packaged YAML and the predicate map is empty
(it only serves mappings from other vocabularies, which we do not use).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["BiolinkTerms", "biolink_terms", "offline_toolkit"]


class BiolinkTerms:
    """The snapshot: which categories, predicates and enum values exist."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data["biolink_model_version"]
        self.categories: dict[str, dict[str, bool]] = data["categories"]
        self.predicates: dict[str, dict[str, bool]] = data["predicates"]
        self.knowledge_levels: frozenset[str] = frozenset(data["knowledge_level"])
        self.agent_types: frozenset[str] = frozenset(data["agent_type"])

    def is_category(self, curie: str) -> bool:
        """Whether ``curie`` is a Biolink class a node may have (not a mixin)."""
        entry = self.categories.get(curie)
        return entry is not None and not entry["mixin"]

    def is_predicate(self, curie: str) -> bool:
        """Whether ``curie`` is a Biolink predicate an edge may have (not abstract, not a mixin)."""
        entry = self.predicates.get(curie)
        return entry is not None and not entry["mixin"] and not entry["abstract"]


@cache
def biolink_terms() -> BiolinkTerms:
    """The frozen snapshot shipped with evidence-kg."""
    text = resources.files("kg.export").joinpath("biolink_terms.json").read_text(encoding="utf-8")
    return BiolinkTerms(json.loads(text))


def offline_toolkit() -> Any:
    """A ``bmt.Toolkit`` on the Biolink YAML of the installed ``biolink-model`` package; never downloads.

    Raises ``ImportError`` when bmt or biolink-model is not installed.
    """
    from bmt import Toolkit

    schema = resources.files("biolink_model").joinpath("schema").joinpath("biolink_model.yaml")
    return Toolkit(schema=str(schema), predicate_map={"predicate mappings": []})
