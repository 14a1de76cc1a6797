"""Veille eval stage."""
