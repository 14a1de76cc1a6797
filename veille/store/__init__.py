"""Veille store stage."""
