"""Finds the evaluator for a gold path: the event scorer, or an adapter in `veille.eval.adapters`.

An adapter is any module in that package exposing `TASK`, `NAMES`, `detect(path) -> bool` and
`evaluate(path, *, show_errors=False) -> {"metrics": ..., "errors": [...]}`; new modules plug in
without edits here.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from veille.errors import Errors, EvalError

__all__ = ["TASKS", "Evaluator", "evaluators", "broken_adapters", "find_evaluator"]

TASKS = ("events", "types", "places", "dates", "entities", "event-places", "arguments")
REQUIRED = ("TASK", "NAMES", "detect", "evaluate")


@dataclass(frozen=True)
class Evaluator:
    name: str  # module name, e.g. "events" or "plover_gsr"
    task: str
    names: tuple[str, ...]  # the gold sets it was written for
    module: ModuleType


_cache: tuple[list[Evaluator], dict[str, str]] | None = None


def _load() -> tuple[list[Evaluator], dict[str, str]]:
    global _cache
    if _cache is not None:
        return _cache
    import veille.eval.adapters as pkg
    from veille.eval import events

    found = [Evaluator("events", events.TASK, tuple(events.NAMES), events)]
    broken: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        try:
            mod = importlib.import_module(f"veille.eval.adapters.{info.name}")
        except Exception as exc:  # noqa: BLE001 - one broken adapter must not hide the others
            broken[info.name] = f"{type(exc).__name__}: {exc}"
            continue
        missing = [attr for attr in REQUIRED if not hasattr(mod, attr)]
        if missing:
            broken[info.name] = f"missing {', '.join(missing)}"
            continue
        found.append(Evaluator(info.name, str(mod.TASK), tuple(mod.NAMES), mod))
    _cache = (found, broken)
    return _cache


def evaluators() -> list[Evaluator]:
    """The event scorer first, then every adapter that imports and has the interface."""
    return list(_load()[0])


def broken_adapters() -> dict[str, str]:
    """Adapter modules that failed to import or lack the interface, with the reason."""
    return dict(_load()[1])


def find_evaluator(path: Path, task: str | None = None) -> Evaluator:
    """The evaluator whose `detect(path)` accepts the path (limited to `task` when given)."""
    if not path.exists():
        raise EvalError(Errors.E101.format(path=path))
    if task is not None and task not in TASKS:
        raise EvalError(Errors.E501.format(path=path, reason=f"unknown task {task!r} (one of {', '.join(TASKS)})"))
    candidates = [e for e in evaluators() if task is None or e.task == task]
    for ev in candidates:
        if ev.module.detect(path):
            return ev
    reason = f"no {task + ' ' if task else ''}evaluator recognises this gold data"
    broken = broken_adapters()
    if broken:
        reason += "; adapters that failed to load: " + "; ".join(f"{k} ({v})" for k, v in broken.items())
    raise EvalError(Errors.E501.format(path=path, reason=reason))
