"""The ``searchkit`` command (Click) and its rendering; nothing in the library imports this package."""

from .main import cli, main

__all__ = ["cli", "main"]
