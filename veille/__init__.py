"""Veille: news articles in, evidence-backed PLOVER events out (offline, multilingual)."""
__version__ = "0.1.0"
__all__ = ["__version__"]
