"""The Whoosh engine: the only package that imports Whoosh.

``patches.apply()`` runs here, before any module of this package imports Whoosh, so the patches are in
place from the first use of the engine and never when only ``searchkit`` (or its pure-Python parts) is
imported.
"""

from . import patches

patches.apply()
