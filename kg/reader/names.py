"""Names in text: find the spans of a question or a paper that name entities of the graph.

The question reader (``/ask``) and the paper reader (``kg propose``) find
drugs, genes, alterations, diseases and the other named things here, with
the names the resolver knows (:mod:`kg.runtime.resolve`: labels, synonyms,
identifiers), so a name understood in a question is understood in a paper.
Matching is longest-first over the text's tokens, compared by
:func:`~kg.runtime.resolve.name_key` (case, hyphens and plurals do not
matter).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.core.vocab import NodeType
from kg.runtime.resolve import name_tokens

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["Mention", "recognise"]

_MAX_SPAN = 8  # longest name, in tokens
_TOKEN = re.compile(r"[0-9A-Za-z]+")
# lower-case words that are also gene or drug names: only an upper-case spelling counts as the name
_COMMON_WORDS = frozenset(
    {"met", "kit", "ret", "all", "set", "cat", "can", "was", "has", "map", "arm", "not", "and", "the", "for",
     "her", "men", "car", "nor", "rest", "age", "sex", "aim", "impact", "large", "tube", "mice"}
)  # fmt: skip
_FACET_OF_TYPE = {
    NodeType.DRUG: "therapy",
    NodeType.DRUG_CLASS: "therapy",
    NodeType.ALTERATION: "alteration",
    NodeType.GENE: "alteration",
    NodeType.MOLECULAR_PROFILE: "alteration",
    NodeType.DISEASE: "disease",
}


@dataclass(frozen=True)
class Mention:
    """A span of the question recognised as an entity."""

    text: str
    start: int
    end: int
    entity: str
    label: str
    node_type: NodeType

    @property
    def facet(self) -> str | None:
        return _FACET_OF_TYPE.get(self.node_type)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "id": self.entity,
            "label": self.label,
            "type": self.node_type.value,
            "facet": self.facet,
        }


def _ascii_same_length(text: str) -> str:
    """Fold accents to ASCII one character at a time, keeping offsets."""
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(folded[:1] if folded else " ")
    return "".join(out)


def recognise(kg: KnowledgeGraph, question: str) -> list[Mention]:
    """Longest-first dictionary matching of the question's spans against every name in the graph."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(_ascii_same_length(question))]
    normal = [(name_tokens(text) or [""])[0] for _, _, text in tokens]
    resolver = kg.resolver
    mentions: list[Mention] = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + _MAX_SPAN), i, -1):
            key = "".join(normal[i:j])
            entries = resolver.by_key(key)
            if not entries:
                continue
            span = question[tokens[i][0] : tokens[j - 1][1]]
            if j - i == 1 and key in _COMMON_WORDS and not span.isupper():
                continue
            entry = min(entries, key=lambda e: (e.node_type not in _FACET_OF_TYPE, not e.is_label))
            mentions.append(
                Mention(span, tokens[i][0], tokens[j - 1][1], entry.entity_id, entry.label, entry.node_type)
            )
            i = j
            break
        else:
            i += 1
    return mentions
