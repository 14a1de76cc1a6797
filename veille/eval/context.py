"""One pipeline per process for every evaluator, so spaCy models load once per `veille eval` run.

Tests inject a fake with `use_pipeline(fake)`; `use_pipeline(None)` goes back to the real one.
"""
from __future__ import annotations

from typing import Any

__all__ = ["shared_pipeline", "use_pipeline"]

_pipeline: Any = None


def shared_pipeline() -> Any:
    """The pipeline evaluators run (a `veille.pipeline.Pipeline` unless a fake was injected)."""
    global _pipeline
    if _pipeline is None:
        from veille.pipeline import Pipeline

        _pipeline = Pipeline()
    return _pipeline


def use_pipeline(pipeline: Any) -> None:
    """Inject a pipeline (anything with `process_many(articles)`), or None to reset."""
    global _pipeline
    _pipeline = pipeline
