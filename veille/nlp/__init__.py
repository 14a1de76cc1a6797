"""Veille nlp stage."""
