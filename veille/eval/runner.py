"""Runs evaluators on gold paths and renders results as a table or as stable JSON.

`run(paths)` groups paths by evaluator (all event gold paths are scored together, each adapter
path on its own); `run_all(root)` evaluates every set under a root such as ../shared/eval.
"""
from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veille.errors import Errors, EvalError
from veille.eval.metrics import summary_value
from veille.eval.registry import Evaluator, find_evaluator

__all__ = [
    "EvalResult", "HEADLINES", "default_root", "discover_sets", "run", "run_all",
    "format_result", "format_summary",
]

#: The figures the summary table shows for each task.
HEADLINES: dict[str, tuple[str, ...]] = {
    "events": ("news.f1", "background.f1", "news.p", "news.r"),
    "types": ("accuracy", "macro_f1", "actor_country_acc", "actor_sector_acc"),
    "places": ("acc_161km", "country_acc", "exact_id_acc", "median_km"),
    "dates": ("value_acc", "recognition_f1"),
    "entities": ("f1",),
    "event-places": ("accuracy",),
    "arguments": ("attacker_acc", "target_acc", "place_acc"),
}


@dataclass(frozen=True)
class EvalResult:
    task: str
    evaluator: str
    gold: tuple[str, ...]
    metrics: Mapping[str, Any]
    errors: Sequence[Mapping[str, Any]] = ()
    warnings: Sequence[str] = ()
    seconds: float = 0.0
    failure: str | None = field(default=None)

    def to_dict(self, *, show_errors: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"task": self.task, "gold": list(self.gold), "metrics": dict(self.metrics)}
        if self.failure:
            out["error"] = self.failure
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if show_errors:
            out["errors"] = list(self.errors)
        return out


def default_root() -> Path:
    """../shared/eval beside the repository (where CI clones it)."""
    return Path(__file__).resolve().parents[2].parent / "shared" / "eval"


def _call(ev: Evaluator, paths: list[Path], show_errors: bool, predictions: Path | None) -> EvalResult:
    start = time.perf_counter()
    if ev.name == "events":
        out = ev.module.evaluate(paths, show_errors=show_errors, predictions=predictions)
    else:
        if predictions is not None:
            raise EvalError(Errors.E501.format(path=paths[0], reason=f"--predictions applies to event gold only, not {ev.task}"))
        out = ev.module.evaluate(paths[0], show_errors=show_errors)
    return EvalResult(
        task=ev.task, evaluator=ev.name, gold=tuple(str(p) for p in paths),
        metrics=out.get("metrics", {}), errors=out.get("errors", []),
        warnings=out.get("warnings", []), seconds=round(time.perf_counter() - start, 2),
    )


def run(paths: Sequence[Path], *, task: str | None = None, show_errors: bool = False,
        predictions: Path | None = None) -> list[EvalResult]:
    """One result for all event gold paths together, and one per other gold path."""
    groups: list[tuple[Evaluator, list[Path]]] = []
    for path in paths:
        ev = find_evaluator(path, task)
        if ev.name == "events" and groups and any(g[0].name == "events" for g in groups):
            next(g for g in groups if g[0].name == "events")[1].append(path)
        else:
            groups.append((ev, [path]))
    return [_call(ev, ps, show_errors, predictions) for ev, ps in groups]


def discover_sets(root: Path) -> list[Path]:
    """Every gold set under root: its folders, and the folders of root/public."""
    if not root.is_dir():
        raise EvalError(Errors.E101.format(path=root))
    sets = [p for p in sorted(root.iterdir()) if p.is_dir() and p.name != "public"]
    public = root / "public"
    if public.is_dir():
        sets += [p for p in sorted(public.iterdir()) if p.is_dir()]
    return sets


def run_all(root: Path, *, show_errors: bool = False) -> list[EvalResult]:
    """Evaluate every set under root; a set that fails is reported, the others still run."""
    results = []
    for path in discover_sets(root):
        start = time.perf_counter()
        try:
            ev = find_evaluator(path)
            results.append(_call(ev, [path], show_errors, None))
        except EvalError as exc:
            failure = str(exc)
        except Exception as exc:  # noqa: BLE001 - a broken stage fails its set, the summary goes on
            failure = f"{type(exc).__name__}: {exc}"
        else:
            continue
        results.append(EvalResult(task="?", evaluator="?", gold=(str(path),), metrics={},
                                  seconds=round(time.perf_counter() - start, 2), failure=failure))
    return results


# --- rendering ----------------------------------------------------------------------------

def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _prf_rows(title: str, table: Mapping[str, Mapping[str, Any]]) -> list[str]:
    lines = [f"{title:<22} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for key, row in table.items():
        lines.append(f"  {key:<20} {row['p']:>6.3f} {row['r']:>6.3f} {row['f1']:>6.3f} "
                     f"{row['tp']:>5} {row['fp']:>5} {row['fn']:>5}")
    return lines


def _is_prf(v: Any) -> bool:
    return isinstance(v, Mapping) and {"p", "r", "f1"} <= set(v)


def format_result(result: EvalResult, *, show_errors: bool = False) -> str:
    """A readable table of one result (and its errors when asked)."""
    lines = [f"== {result.task} ({result.evaluator}): {', '.join(result.gold)}  [{result.seconds:.1f} s]"]
    if result.failure:
        lines.append(f"  FAILED: {result.failure}")
        return "\n".join(lines)
    m = result.metrics
    scalars = {k: v for k, v in m.items() if not isinstance(v, Mapping)}
    ratios = {k: v for k, v in m.items() if isinstance(v, Mapping) and "value" in v and "count" in v}
    prfs = {k: v for k, v in m.items() if _is_prf(v)}
    for key, value in scalars.items():
        lines.append(f"  {key:<22} {_fmt(value)}")
    for key, value in ratios.items():
        lines.append(f"  {key:<22} {value['value']:.3f}  (n={value['count']})")
    if prfs:
        lines += _prf_rows("events" if result.task == "events" else "", prfs)
    for key, value in m.items():
        if key in prfs or key in ratios or key in scalars or not isinstance(value, Mapping):
            continue
        inner = list(value.values())
        if inner and all(_is_prf(v) for v in inner):
            lines += _prf_rows(key, value)
        elif inner and all(isinstance(v, Mapping) and "value" in v for v in inner):
            lines.append(f"{key}")
            for name, v in value.items():
                lines.append(f"  {name:<20} {v['value']:>6.3f}  (n={v['count']})")
        else:
            lines.append(f"  {key:<22} {value}")
    for warning in result.warnings:
        lines.append(f"  warning: {warning}")
    if show_errors:
        lines.append(f"errors ({len(result.errors)})")
        for err in result.errors:
            lines.append("  " + "; ".join(f"{k}={_short(v)}" for k, v in err.items() if v is not None))
    return "\n".join(lines)


def _short(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items() if v is not None) + "}"
    text = str(value)
    return text if len(text) <= 160 else text[:157] + "..."


def format_summary(results: Sequence[EvalResult], root: Path | None = None) -> str:
    """One line per set: its task, headline figures and time."""
    lines = [f"{'set':<28} {'task':<13} {'seconds':>7}  figures"]
    total = 0.0
    for r in results:
        total += r.seconds
        name = Path(r.gold[0]).relative_to(root).as_posix() if root and Path(r.gold[0]).is_relative_to(root) else r.gold[0]
        if r.failure:
            figures = f"FAILED: {r.failure}"
        else:
            figures = "  ".join(
                f"{key}={_fmt(v)}" for key in HEADLINES.get(r.task, ())
                if (v := summary_value(r.metrics, key)) is not None
            )
        lines.append(f"{name:<28} {r.task:<13} {r.seconds:>7.1f}  {figures}")
    lines.append(f"{'total':<28} {'':<13} {total:>7.1f}")
    return "\n".join(lines)
