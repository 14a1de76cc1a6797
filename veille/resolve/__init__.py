"""Veille resolve stage."""
