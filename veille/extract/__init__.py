"""Veille extract stage."""
