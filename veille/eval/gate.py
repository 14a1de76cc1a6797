"""The evaluation gate: pinned floors per gold set, and a hash of each set's files.

`check()` lists every figure below its floor and every gold set whose hash changed; `pin()`
raises floors to the current figures, and lowers one only with an explicit reason, which is
recorded in the baseline's history.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veille.errors import Errors, EvalError
from veille.eval.gold import is_gold_file
from veille.eval.metrics import summary_value

__all__ = [
    "BASELINE_PATH", "GATED", "Measurement", "hash_gold_set", "load_baseline", "save_baseline",
    "measure", "check", "pin",
]

BASELINE_PATH = Path(__file__).with_name("baseline.json")
EPSILON = 1e-9

#: Sets the gate measures (paths relative to ../shared/eval) and the figures it pins.
#: Kept to sets that evaluate in seconds, so the gate can run in `make test`.
GATED: dict[str, tuple[str, ...]] = {
    "seed": ("news.f1",),
    "winer_events": ("news.f1", "background.f1"),
    "public/plover_gsr": ("accuracy", "macro_f1", "actor_country_acc"),
    "public/case2021_task2": ("accuracy", "macro_f1"),
    "public/winer_fr": ("f1",),
    "public/wikievents_test": ("attacker_acc", "target_acc", "place_acc"),
    "public/event_location": ("accuracy",),
    "public/trnews": ("acc_161km", "country_acc"),
    "public/lgl": ("acc_161km", "country_acc"),
    "public/geowebnews": ("acc_161km", "country_acc"),
    "public/fr_timebank": ("value_acc",),
    "public/te3_platinum": ("value_acc",),
}
SKIP_NAMES = ("NOTES.md", "README.md", "README_original.txt")


@dataclass(frozen=True)
class Measurement:
    metrics: dict[str, Mapping[str, Any]]  # set name -> metrics
    tasks: dict[str, str]
    hashes: dict[str, str]
    failures: dict[str, str]  # set name -> why it could not be evaluated


def measure(root: Path, names: Iterable[str]) -> Measurement:
    """Evaluate the named sets under root (e.g. ../shared/eval) and hash them."""
    from veille.eval.runner import run

    metrics: dict[str, Mapping[str, Any]] = {}
    tasks: dict[str, str] = {}
    hashes: dict[str, str] = {}
    failures: dict[str, str] = {}
    for name in names:
        path = root / name
        if not path.exists():
            failures[name] = f"{path}: no such file or directory"
            continue
        hashes[name] = hash_gold_set(path)
        try:
            (result,) = run([path])
        except EvalError as exc:
            failures[name] = str(exc)
            continue
        metrics[name] = result.metrics
        tasks[name] = result.task
    return Measurement(metrics, tasks, hashes, failures)


def hash_gold_set(path: Path) -> str:
    """sha256 over the set's data files (names and bytes) and the article texts they point to."""
    files: set[Path] = set()
    base = path if path.is_dir() else path.parent
    for file in (sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]):
        if file.name in SKIP_NAMES or file.name.startswith("LICENSE"):
            continue
        files.add(file.resolve())
        if file.suffix == ".json" and is_gold_file(file):
            data = json.loads(file.read_text(encoding="utf-8"))
            if data.get("text_file"):
                text = (file.parent / str(data["text_file"])).resolve()
                if text.is_file():
                    files.add(text)
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda p: _label(p, base)):
        digest.update(_label(file, base).encode("utf-8") + b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _label(file: Path, base: Path) -> str:
    resolved, root = file.resolve(), base.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else "external/" + resolved.name


def load_baseline(path: Path = BASELINE_PATH) -> dict[str, Any]:
    if not path.is_file():
        return {"version": 1, "sets": {}, "history": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise EvalError(Errors.E501.format(path=path, reason=f"invalid baseline JSON: {exc}")) from exc
    if not isinstance(data, dict) or not isinstance(data.get("sets"), dict):
        raise EvalError(Errors.E501.format(path=path, reason='baseline has no "sets" object'))
    data.setdefault("history", [])
    return data


def save_baseline(baseline: Mapping[str, Any], path: Path = BASELINE_PATH) -> None:
    path.write_text(json.dumps(baseline, indent=1, sort_keys=False, ensure_ascii=False) + "\n", encoding="utf-8")


def check(baseline: Mapping[str, Any], measured: Mapping[str, Mapping[str, Any]],
          hashes: Mapping[str, str]) -> list[str]:
    """One line per problem: a changed gold set, a missing figure, or a figure below its floor."""
    problems = []
    for name, entry in baseline["sets"].items():
        if name not in hashes:
            problems.append(f"{name}: gold set not measured (missing from the eval root?)")
            continue
        if hashes[name] != entry.get("sha256"):
            problems.append(f"{name}: gold set changed (sha256 {hashes[name][:12]}… != pinned "
                            f"{str(entry.get('sha256'))[:12]}…); re-pin with --pin --allow-lower --reason")
            continue
        for metric, floor in entry.get("floors", {}).items():
            value = summary_value(measured.get(name, {}), metric)
            if value is None:
                problems.append(f"{name}: {metric} was not reported")
            elif value < floor - EPSILON:
                problems.append(f"{name}: {metric} = {value:.4f} is below its floor {floor:.4f}")
    return problems


def pin(baseline: Mapping[str, Any], measured: Mapping[str, Mapping[str, Any]],
        hashes: Mapping[str, str], gated: Mapping[str, tuple[str, ...]] = GATED, *,
        tasks: Mapping[str, str] | None = None, allow_lower: bool = False,
        reason: str | None = None) -> dict[str, Any]:
    """A new baseline whose floors are the measured figures; lowering needs allow_lower + reason."""
    if allow_lower and not (reason and reason.strip()):
        raise EvalError(Errors.E501.format(path=BASELINE_PATH, reason="--allow-lower needs --reason TEXT"))
    today = dt.date.today().isoformat()
    sets: dict[str, Any] = {}
    history = list(baseline.get("history", []))
    refused = []
    for name, metrics in gated.items():
        if name not in measured:
            continue
        old = baseline["sets"].get(name, {})
        if old and old.get("sha256") != hashes[name]:
            if not allow_lower:
                refused.append(f"{name}: gold set changed")
                continue
            history.append({"date": today, "set": name, "change": "gold sha256", "from": old.get("sha256"),
                            "to": hashes[name], "reason": reason})
        floors = {}
        for metric in metrics:
            value = summary_value(measured[name], metric)
            if value is None:
                raise EvalError(Errors.E501.format(path=name, reason=f"{metric} was not reported"))
            value = round(value, 4)
            previous = old.get("floors", {}).get(metric)
            if previous is not None and value < previous - EPSILON:
                if not allow_lower:
                    refused.append(f"{name}: {metric} {value:.4f} < floor {previous:.4f}")
                    floors[metric] = previous
                    continue
                history.append({"date": today, "set": name, "change": metric, "from": previous,
                                "to": value, "reason": reason})
            floors[metric] = value
        sets[name] = {"task": (tasks or {}).get(name), "sha256": hashes[name], "floors": floors}
    if refused:
        raise EvalError(Errors.E501.format(
            path=BASELINE_PATH, reason="refusing to lower floors without --allow-lower --reason: " + "; ".join(refused)))
    for name, entry in baseline["sets"].items():
        sets.setdefault(name, entry)  # sets not measured this time keep their floors
    return {"version": 1, "eval_root": "../shared/eval", "sets": sets, "history": history}
