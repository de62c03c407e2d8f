"""Run the real ``kgx`` validator on a KGX export, offline.

``kgx`` is not a dependency of evidence-kg (it pins its own stack); install it
in a separate environment (``python -m venv /tmp/kgx && /tmp/kgx/bin/pip install kgx``,
which also brings ``bmt`` and ``biolink-model``) and run, from the repository root::

    python -c "from pathlib import Path; from kg.runtime.knowledge_graph import load_knowledge_graph as l; from kg.export import write_export as w; w(l(), 'kgx', Path('kg-kgx.zip'))"
    /tmp/kgx/bin/python kg/export/kgx_validate.py kg-kgx.zip [--own-prefixes]

Out of the box ``import kgx`` downloads the Biolink model (``bmt.Toolkit()``)
and ``kgx.validator.Validator()`` downloads Biolink's JSON-LD context. This
script blocks the network, points ``bmt`` at the YAML shipped in the
``biolink-model`` package (with an empty predicate map, which only serves
mappings from other vocabularies) and seeds kgx's context cache with the prefix
map that package ships, then validates. ``--own-prefixes`` declares our record
prefixes (``ev``, ``drug``, ...), which Biolink's context does not know.

Measured with kgx 2.6.0 / bmt 1.5.0 / Biolink 4.4.6: "no errors" with
``--own-prefixes`` on the curated export (367 nodes, 1,183 edges) and on the
curated + CIViC export (11,663 nodes, 32,531 edges); without it, the only
errors are our own prefixes missing from Biolink's JSON-LD context.
"""

from __future__ import annotations

import json
import socket
import sys
import tempfile
import zipfile
from importlib.resources import files
from pathlib import Path
from typing import Any

# Run as a script, this file's directory comes first on sys.path, and kg/export/kgx.py would shadow the kgx package.
_HERE = str(Path(__file__).resolve().parent)
sys.path[:] = [entry for entry in sys.path if str(Path(entry or ".").resolve()) != _HERE]


def _block_network() -> None:
    def refuse(*args: object, **_: object) -> None:
        raise RuntimeError(f"network blocked: {args[:1]}")

    socket.socket.connect = lambda _self, address: refuse(address)  # type: ignore[method-assign]
    socket.getaddrinfo = refuse  # type: ignore[assignment]


def _preseed_biolink() -> None:
    import bmt
    import bmt.toolkit

    schema = str(files("biolink_model").joinpath("schema").joinpath("biolink_model.yaml"))
    original = bmt.toolkit.Toolkit

    class OfflineToolkit(original):  # type: ignore[misc, valid-type]
        def __init__(self, *_: object, **kwargs: object) -> None:
            kwargs.pop("schema", None)
            kwargs.pop("predicate_map", None)
            super().__init__(schema=schema, predicate_map={"predicate mappings": []}, **kwargs)

    bmt.toolkit.Toolkit = OfflineToolkit
    bmt.Toolkit = OfflineToolkit
    import kgx.config

    prefix_map = files("biolink_model").joinpath("prefixmaps").joinpath("biolink-model-prefix-map.json")
    kgx.config.jsonld_context_map["biolink"] = json.loads(prefix_map.read_text(encoding="utf-8"))


def validate(archive: Path, own_prefixes: bool) -> dict[str, Any]:
    """Errors the kgx Validator reports for the nodes.tsv/edges.tsv in ``archive``."""
    _block_network()
    _preseed_biolink()
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    validator = Validator()
    if own_prefixes:
        from kg.core.vocab import NodeType  # kg.core.vocab needs nothing beyond the standard library

        validator.prefixes |= {node_type.info.id_prefix for node_type in NodeType}
    with tempfile.TemporaryDirectory() as directory:
        zipfile.ZipFile(archive).extractall(directory)
        Transformer(stream=True).transform(
            input_args={"filename": [f"{directory}/nodes.tsv", f"{directory}/edges.tsv"], "format": "tsv"},
            output_args={"format": "null"},
            inspector=validator,
        )
    errors: dict[str, Any] = validator.get_errors()
    return errors


if __name__ == "__main__":
    errors = validate(Path(sys.argv[1]), "--own-prefixes" in sys.argv)
    print(json.dumps(errors, indent=1, default=str)[:20000] if errors else "no errors")
    sys.exit(1 if errors else 0)
