"""Veille ingest stage."""
