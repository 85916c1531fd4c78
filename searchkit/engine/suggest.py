"""Did you mean: what a search does with a respelling of its query, the same on every engine.

Each engine finds the respelling its own way (its lexicon, its suggester); what follows is shared, so
the CLI, the Python API and both engines word and apply a suggestion alike.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import SearchResult
from ..options import SearchOptions


def offer(
    result: SearchResult, text: str, suggestion: str, opts: SearchOptions, search: Callable[[str], SearchResult]
) -> None:
    """Put ``suggestion`` (``text`` respelled) on ``result`` as a warning; with ``opts.correct``, run it
    (``search``) and take its hits instead when it finds more, saying so."""
    if suggestion == text:
        return
    result.suggestion = suggestion
    if not opts.correct:
        result.warnings.append(f'did you mean "{suggestion}"? (--correct searches for it)')
        return
    better = search(suggestion)
    if better.total > result.total:
        result.__dict__.update({**better.__dict__, "warnings": [f"searched for {suggestion!r} instead of {text!r}"]})
        result.suggestion = suggestion
    else:
        result.warnings.append(f'did you mean "{suggestion}"? (it finds no more)')
