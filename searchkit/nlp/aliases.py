"""User aliases: a collection's own spelling choices, applied after automatic canonicalisation.

The file ``aliases.txt`` in a collection folder holds one canonical name per line, then ``=``, then
the other names it should absorb, separated by commas::

    # comments and blank lines are ignored
    Volodymyr Zelenskyy = Zelensky, Zelenskiy, Volodymyr Zelensky
    United Nations = UN, U.N.

Matching is case-insensitive; the canonical name is kept as written. This module does not import
spaCy, so the CLI can validate the file cheaply.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

ALIASES_FILE = "aliases.txt"


def load_aliases(path: Path) -> dict[str, str]:
    """Alias (lower-cased) → canonical name. A missing file means no aliases."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc}); save it as UTF-8 text") from None
    aliases: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        canonical, sep, rest = line.partition("=")
        canonical = canonical.strip()
        names = [name.strip() for name in rest.split(",")]
        if not sep or not canonical or not all(names):
            raise InputError(f"{path} line {number}: expected 'Canonical Name = alias, other alias', got {line!r}")
        aliases[canonical.lower()] = canonical
        for name in names:
            aliases[name.lower()] = canonical
    return aliases
