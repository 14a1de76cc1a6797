"""Fixtures shared by the test modules."""
from __future__ import annotations

import pytest

from veille.pipeline import Pipeline


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """One real pipeline for the whole run (the spaCy models are loaded once per process anyway)."""
    return Pipeline()
