"""Figures in Chinese bulletin text: parse them, and check an answer's figures against quoted sources.

Every figure an answer states must be found in a quoted source span. One job per module:

* ``vocab.toml`` / ``vocab``: the word lists (magnitudes, units, qualifiers, numerals) as data;
* ``parse``: text -> ``Figure`` records (``parse_figures``);
* ``match``: answer figure vs source figure (``matches``, ``figure_grounded``, ``ungrounded``);
* ``index``: figure tokens for the BM25 index (``index_tokens``);
* ``figure``: the ``Figure`` record itself.
"""

from service.figures.figure import Figure, with_offset
from service.figures.index import index_tokens
from service.figures.match import figure_grounded, matches, ungrounded
from service.figures.parse import parse_figures

__all__ = [
    "Figure",
    "figure_grounded",
    "index_tokens",
    "matches",
    "parse_figures",
    "ungrounded",
    "with_offset",
]
