"""Name keys for reconciliation: when two spellings name the same thing.

Curated records and CIViC spell the same entity differently: ``non-small
cell lung carcinoma`` vs ``Lung Non-small Cell Carcinoma`` (no: word order
differs, so these do *not* match by name; they match by DOID), ``ado-
trastuzumab emtansine`` vs ``Trastuzumab Emtansine`` (yes), ``HER2`` vs
``ERBB2`` (through the curated synonym). A key ignores case, accents,
spaces, hyphens and punctuation, and nothing else: word order, plural and
"cancer" vs "carcinoma" still distinguish names, because a wrong merge is
worse than a missed one (a missed one shows up in the report).
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["SALT_WORDS", "drug_key", "name_key", "resolver_key", "salt_moiety", "strip_gene_prefix"]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
#: USAN/FDA prefixes of biologics that name the same molecule (ado-trastuzumab emtansine, fam-trastuzumab deruxtecan).
_BIOLOGIC_PREFIXES = ("ado-", "ado ", "fam-", "fam ")


#: Counter-ions that name a salt of a drug ("Imatinib Mesylate" is imatinib's mesylate salt). The curated
#: convention is the moiety (data/README.md, "Drug forms"), so a salt whose moiety is known merges into it.
#: "Acetate" is left out on purpose: cyproterone acetate is an ester, a drug of its own, not a salt.
SALT_WORDS = frozenset(
    {
        "mesylate",
        "bismesylate",
        "dimesylate",
        "hydrochloride",
        "dihydrochloride",
        "hydrobromide",
        "tosylate",
        "ditosylate",
        "besylate",
        "maleate",
        "dimaleate",
        "fumarate",
        "succinate",
        "tartrate",
        "bitartrate",
        "citrate",
        "sulfate",
        "phosphate",
        "malate",
        "sodium",
        "disodium",
        "potassium",
        "calcium",
    }
)


def salt_moiety(name: str) -> str | None:
    """``Imatinib Mesylate`` → ``Imatinib``: the name without its trailing counter-ion words, or None if it has none."""
    words = name.split()
    end = len(words)
    while end > 1 and words[end - 1].casefold() in SALT_WORDS:
        end -= 1
    return " ".join(words[:end]) if end < len(words) else None


def name_key(name: str) -> str:
    """Lower-case letters and digits only: ``Lung Non-small Cell Carcinoma`` → ``lungnonsmallcellcarcinoma``."""
    text = unicodedata.normalize("NFKD", name).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", text)


@functools.lru_cache(maxsize=65536)
def resolver_key(name: str) -> str:
    """The key the query resolver folds a name to (:func:`kg.runtime.resolve.name_key`: plurals, word forms too).

    Used to find names that the resolver would confuse (:mod:`kg.civic.duplicates`), so it must be the
    resolver's own function; memoised because CIViC repeats the same aliases on variants and profiles, and
    imported on first use so that loading data does not import the graph libraries.
    """
    from kg.runtime.resolve import name_key as resolver_name_key

    return resolver_name_key(name)


def drug_key(name: str) -> str:
    """:func:`name_key` after dropping an ``ado-``/``fam-`` prefix (same molecule, regulatory spelling)."""
    text = name.strip()
    if text.casefold().startswith(_BIOLOGIC_PREFIXES):
        text = text[4:]
    return name_key(text)


def strip_gene_prefix(name: str, gene_names: tuple[str, ...]) -> str | None:
    """The variant part of a gene-qualified name: ``HER2 amplification`` → ``amplification``.

    Returns ``None`` when ``name`` does not start with one of ``gene_names``
    followed by a separator, so unqualified names are not mistaken for variants.
    """
    folded = name.strip()
    for gene in sorted(gene_names, key=len, reverse=True):
        if len(folded) > len(gene) and folded[: len(gene)].casefold() == gene.casefold():
            rest = folded[len(gene) :]
            if rest[0] in " -_:":
                return rest.lstrip(" -_:")
    return None
