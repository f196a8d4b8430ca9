"""A graph view as a file for analysts' tools: GraphML or GEXF (Gephi, Cytoscape, yEd).

What is written is what the explorer shows, node for node: each node's caption as its label,
its kind, its key and its facts as text (secrets dropped, ID numbers masked, exactly as
`explore.facts` gives them), each relationship with its type. networkx writes both formats.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from collab.analysis.explore import caption, facts
from collab.errors import N_, ValidationError
from collab.graph.codec import Node, Rel

FORMATS = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}
# Characters XML 1.0 cannot carry at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def write(nodes: Sequence[Node], rels: Sequence[Rel], fmt: str) -> bytes:
    """The nodes and the relationships between them, in `fmt` (graphml or gexf)."""
    import networkx as nx

    if fmt not in FORMATS:
        raise ValidationError(N_("unknown graph file format %(fmt)r; one of: %(formats)s"),
                              fmt=fmt, formats=", ".join(FORMATS))
    graph = nx.MultiDiGraph()
    for node in nodes:
        shown = {f"fact_{name}": _clean(value) for name, value in facts(node)}
        graph.add_node(node.uid, label=_clean(caption(node)), kind=node.label,
                       key=_clean(node.key), **shown)
    held = {n.uid for n in nodes}
    for rel in rels:
        if rel.src in held and rel.dst in held:
            graph.add_edge(rel.src, rel.dst, key=rel.type, label=rel.type, type=rel.type)
    out = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, out, encoding="utf-8")
    else:
        nx.write_gexf(graph, out, encoding="utf-8")
    return out.getvalue()
