"""Entities (with canonical names), speakers and quotes for paragraphs: the one place that knows spaCy.

Importing this package does not import spaCy; the model loads on the first call to :func:`annotate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from ..model import Article, Paragraph
from .aliases import ALIASES_FILE, load_aliases
from .records import Unannotated

__all__ = ["ALIASES_FILE", "Unannotated", "annotate", "load_aliases"]


def annotate(
    items: Iterable[tuple[Article, list[Paragraph]]],
    aliases: Mapping[str, str] | None = None,
    workers: int = 1,
) -> Iterator[list[Paragraph] | Unannotated]:
    """For each (article, paragraphs) in order, yield the paragraphs with speakers, entities and quotes
    filled, or ``Unannotated`` (why) for an article the model or the rules failed on.

    ``aliases`` (from :func:`load_aliases`) rename canonical names; ``workers`` > 1 runs that many
    model processes, which pays only on large inputs.
    """
    from .pipeline import annotate_items

    return annotate_items(items, aliases, workers)
