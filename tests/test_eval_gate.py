"""The evaluation gate: pinned floors in veille/eval/baseline.json, hashed gold sets.

The slow test measures every gated set with the real pipeline and fails when a figure drops
below its floor or a gold set changed; the fast ones check the gate's own logic.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from veille.errors import EvalError
from veille.eval import gate

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
HASHES = {"seed": "a" * 64, "public/plover_gsr": "b" * 64}
GATED = {"seed": ("news.f1",), "public/plover_gsr": ("accuracy", "macro_f1")}


def measured(f1=0.5, acc=0.4, macro=0.3):
    return {"seed": {"news": {"f1": f1}}, "public/plover_gsr": {"accuracy": acc, "macro_f1": macro}}


def pinned(**kw):
    return gate.pin({"sets": {}, "history": []}, measured(**kw), HASHES, GATED)


@pytest.mark.slow
def test_figures_stay_at_or_above_their_pinned_floors():
    baseline = gate.load_baseline()
    assert baseline["sets"], "veille/eval/baseline.json pins no set: run `veille eval --pin`"
    result = gate.measure(EVAL, baseline["sets"])
    assert result.failures == {}
    problems = gate.check(baseline, result.metrics, result.hashes)
    assert problems == [], "\n".join(problems)


def test_baseline_pins_the_gated_sets_with_their_hashes():
    baseline = gate.load_baseline()
    for name, entry in baseline["sets"].items():
        assert len(entry["sha256"]) == 64 and entry["floors"], name
        assert (EVAL / name).is_dir(), name
    assert {"seed", "winer_events"} <= set(baseline["sets"])
    assert "news.f1" in baseline["sets"]["seed"]["floors"]


def test_a_drop_below_a_floor_fails():
    baseline = pinned()
    assert gate.check(baseline, measured(), HASHES) == []
    assert gate.check(baseline, measured(f1=0.6), HASHES) == []
    problems = gate.check(baseline, measured(f1=0.49), HASHES)
    assert problems == ["seed: news.f1 = 0.4900 is below its floor 0.5000"]


def test_a_changed_gold_set_fails_clearly():
    problems = gate.check(pinned(), measured(), {**HASHES, "seed": "c" * 64})
    assert len(problems) == 1 and "seed: gold set changed" in problems[0]


def test_a_missing_figure_or_set_fails():
    assert gate.check(pinned(), {"seed": {}, "public/plover_gsr": measured()["public/plover_gsr"]}, HASHES) == [
        "seed: news.f1 was not reported"]
    assert "not measured" in gate.check(pinned(), measured(), {"seed": HASHES["seed"]})[0]


def test_pin_raises_floors_and_refuses_to_lower_them():
    raised = gate.pin(pinned(), measured(f1=0.7), HASHES, GATED)
    assert raised["sets"]["seed"]["floors"]["news.f1"] == 0.7
    with pytest.raises(EvalError, match="refusing to lower"):
        gate.pin(raised, measured(f1=0.6), HASHES, GATED)
    with pytest.raises(EvalError, match="needs --reason"):
        gate.pin(raised, measured(f1=0.6), HASHES, GATED, allow_lower=True)


def test_lowering_is_recorded_with_its_reason():
    lowered = gate.pin(pinned(), measured(f1=0.2), HASHES, GATED, allow_lower=True, reason="new gold v2")
    assert lowered["sets"]["seed"]["floors"]["news.f1"] == 0.2
    assert lowered["history"][-1] == {"date": lowered["history"][-1]["date"], "set": "seed", "change": "news.f1",
                                      "from": 0.5, "to": 0.2, "reason": "new gold v2"}


def test_pin_refuses_a_changed_gold_set_without_a_reason():
    with pytest.raises(EvalError, match="gold set changed"):
        gate.pin(pinned(), measured(), {**HASHES, "seed": "d" * 64}, GATED)


def test_hash_covers_gold_and_text_but_not_notes(tmp_path):
    src = tmp_path / "set"
    src.mkdir()
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text("texte", encoding="utf-8")
    (src / "a.json").write_text(json.dumps({"id": "a", "text_file": "../texts/a.txt", "events": []}), encoding="utf-8")
    (src / "NOTES.md").write_text("notes", encoding="utf-8")
    first = gate.hash_gold_set(src)
    (src / "NOTES.md").write_text("other notes", encoding="utf-8")
    assert gate.hash_gold_set(src) == first
    (tmp_path / "texts" / "a.txt").write_text("texte modifié", encoding="utf-8")
    assert gate.hash_gold_set(src) != first


def test_pin_command_writes_a_baseline(tmp_path, capsys, monkeypatch):
    from veille.cli import main

    root = tmp_path / "eval"
    shutil.copytree(EVAL / "seed", root / "seed")
    (tmp_path / "seed").mkdir()
    shutil.copy(next((EVAL.parent / "seed").glob("*.txt")), tmp_path / "seed")
    monkeypatch.setattr(gate, "GATED", {"seed": ("news.f1", "background.f1")})
    from veille.eval import context

    class NoEvents:
        def process_many(self, articles):
            from veille.models import ArticleResult
            return (ArticleResult(article=a) for a in articles)

    context.use_pipeline(NoEvents())
    try:
        out = tmp_path / "baseline.json"
        assert main(["eval", "--pin", "--root", str(root), "--baseline", str(out)]) == 0
        saved = json.loads(out.read_text(encoding="utf-8"))
        assert saved["sets"]["seed"]["floors"] == {"news.f1": 0.0, "background.f1": 0.0}
        assert main(["eval", "--gate", "--root", str(root), "--baseline", str(out)]) == 0
        (root / "seed" / "seed-fr-01.json").write_text(
            (root / "seed" / "seed-fr-01.json").read_text(encoding="utf-8").replace("Moscow", "Moskva"), encoding="utf-8")
        assert main(["eval", "--gate", "--root", str(root), "--baseline", str(out)]) == 1
        assert "gold set changed" in capsys.readouterr().err
    finally:
        context.use_pipeline(None)


def test_hash_does_not_depend_on_how_the_path_is_spelled(monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])  # the repository root, with ../shared beside it
    relative = Path("..") / "shared" / "eval" / "winer_events"
    assert gate.hash_gold_set(relative) == gate.hash_gold_set(EVAL / "winer_events")
