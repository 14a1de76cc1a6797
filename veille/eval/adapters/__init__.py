"""Evaluation adapters for public gold sets, one module per family of sets.

Each module exposes `TASK` (one of `veille.eval.registry.TASKS`), `NAMES` (the sets it reads),
`detect(path) -> bool` and `evaluate(path, *, show_errors=False) -> {"metrics": {...},
"errors": [...]}`. `veille.eval.registry` discovers them; nothing else needs editing.
"""
