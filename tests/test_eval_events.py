"""The event scorer (veille.eval.events) on hand-made gold/prediction pairs (FORMAT.md rules)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from veille.errors import EvalError
from veille.eval.events import evaluate, match_events, score
from veille.eval.gold import GoldArticle, event_from_dict, load_gold
from veille.eval.metrics import haversine_km

KM_PER_DEG_LAT = 6371.0 * 3.141592653589793 / 180  # 111.19 km along a meridian
BASE = (32.48, 44.42)


def north(km: float) -> tuple[float, float]:
    return BASE[0] + km / KM_PER_DEG_LAT, BASE[1]


def ev(type_="ASSAULT", date="2021-04-07", place=BASE, precision="city", country="IRQ", *,
       bg=False, opt=False, actor=("IRQ", "REB"), target=("USA", "MIL"), no_place=False):
    loc = None if no_place or place is None else {"name": "x", "lat": place[0], "lon": place[1],
                                                   "country": country, "precision": precision}
    return {
        "type": type_, "date": date, "location": loc, "background": bg, "optional": opt,
        "actor": None if actor is None else {"name": "a", "country": actor[0], "sector": actor[1]},
        "target": None if target is None else {"name": "t", "country": target[0], "sector": target[1]},
    }


def run(gold, pred, language="fr"):
    art = GoldArticle(id="a1", gold_path=Path("a1.json"), text_path=Path("a1.txt"), language=language,
                      published="2021-04-07", events=tuple(event_from_dict(g) for g in gold))
    return score([(art, [event_from_dict(p) for p in pred])], show_errors=True)


def counts(result, side="news"):
    m = result["metrics"][side]
    return m["tp"], m["fp"], m["fn"]


def test_perfect_prediction_scores_one():
    r = run([ev()], [ev()])
    assert counts(r) == (1, 0, 0)
    assert r["metrics"]["news"]["f1"] == 1.0


@pytest.mark.parametrize("matched", [True, False])
def test_optional_gold_counts_for_neither_side(matched):
    pred = [ev()] if matched else []
    r = run([ev(opt=True)], pred)
    assert counts(r) == (0, 0, 0)
    assert counts(r, "background") == (0, 0, 0)


def test_background_events_are_scored_apart():
    r = run([ev(bg=True), ev("PROTEST")], [ev(bg=True), ev("PROTEST")])
    assert counts(r, "background") == (1, 0, 0)
    assert counts(r) == (1, 0, 0)
    r = run([ev(bg=True)], [])
    assert counts(r, "background") == (0, 0, 1) and counts(r) == (0, 0, 0)
    r = run([], [ev(bg=True)])
    assert counts(r, "background") == (0, 1, 0) and counts(r) == (0, 0, 0)


def test_background_flag_does_not_prevent_a_match_but_is_a_field():
    r = run([ev(bg=True)], [ev(bg=False)])
    assert counts(r, "background") == (1, 0, 0)
    assert counts(r) == (0, 0, 0)  # a matched prediction is no false alarm
    assert r["metrics"]["fields"]["background.flag"] == {"value": 0.0, "count": 1}


@pytest.mark.parametrize("pred_date,hit", [
    ("2021-04-07", True), ("2021-04-08", True), ("2021-04-06", True),
    ("2021-04-09", False), ("2021-04-05", False), ("2021-04", False), (None, False),
])
def test_day_precision_allows_one_day(pred_date, hit):
    r = run([ev(date="2021-04-07")], [ev(date=pred_date)])
    assert counts(r) == ((1, 0, 0) if hit else (0, 1, 1))


@pytest.mark.parametrize("gold_date,pred_date,hit", [
    ("2020-01", "2020-01-31", True), ("2020-01", "2020-01", True), ("2020-01", "2020-02-01", False),
    ("2020-01", "2019-12-31", False), ("2020-01", "2020", False),
    ("2019", "2019-12-31", True), ("2019", "2019-06", True), ("2019", "2020-01-01", False),
])
def test_coarser_gold_precision_needs_same_month_or_year(gold_date, pred_date, hit):
    r = run([ev(date=gold_date)], [ev(date=pred_date)])
    assert counts(r) == ((1, 0, 0) if hit else (0, 1, 1))


def test_null_gold_date_accepts_any_date():
    r = run([ev(date=None)], [ev(date="1999-01-01")])
    assert counts(r) == (1, 0, 0)
    assert r["metrics"]["fields"]["date.exact"]["count"] == 0


@pytest.mark.parametrize("gold_prec,pred_prec,km,hit", [
    ("city", "city", 39, True), ("city", "city", 41, False),
    ("admin2", "city", 59, True), ("admin2", "city", 61, False),
    ("admin1", "admin1", 149, True), ("admin1", "admin1", 151, False),
    ("admin1", "city", 149, True),   # city prediction vs admin1 gold: the admin1 radius applies
    ("city", "admin1", 149, True),   # and the other way round
    ("city", "admin1", 151, False),
    ("region", "city", 299, True), ("region", "city", 301, False),
    ("city", "admin2", 45, True),
])
def test_place_radius_of_the_coarser_precision(gold_prec, pred_prec, km, hit):
    r = run([ev(precision=gold_prec)], [ev(place=north(km), precision=pred_prec)])
    assert counts(r) == ((1, 0, 0) if hit else (0, 1, 1))


def test_distance_helper_is_haversine():
    assert haversine_km(*BASE, *north(100)) == pytest.approx(100, abs=1e-6)
    assert haversine_km(48.85, 2.35, 51.51, -0.13) == pytest.approx(343.5, abs=1.0)  # Paris-London


@pytest.mark.parametrize("gold_country,pred_country,pred_prec,km,hit", [
    ("IRQ", "IRQ", "country", 900, True),
    ("IRQ", "IRQ", "city", 900, True),     # city prediction inside the gold country
    ("IRQ", "SYR", "country", 100, False),
    (None, "IRQ", "country", 499, True),   # null country: within 500 km
    (None, "IRQ", "country", 501, False),
    ("IRQ", None, "country", 499, True),
])
def test_country_precision(gold_country, pred_country, pred_prec, km, hit):
    r = run([ev(precision="country", country=gold_country)],
            [ev(place=north(km), precision=pred_prec, country=pred_country)])
    assert counts(r) == ((1, 0, 0) if hit else (0, 1, 1))


@pytest.mark.parametrize("pred_place,unstated_ok", [
    (None, True), ({"precision": "country"}, True), ({"precision": "city"}, False),
])
def test_null_gold_place_accepts_any_place(pred_place, unstated_ok):
    pred = ev(no_place=True) if pred_place is None else ev(precision=pred_place["precision"], place=north(3000))
    r = run([ev(no_place=True)], [pred])
    assert counts(r) == (1, 0, 0)
    assert r["metrics"]["fields"]["place.unstated"] == {"value": 1.0 if unstated_ok else 0.0, "count": 1}
    assert r["metrics"]["fields"]["place.country"]["count"] == 0


def test_gold_place_needs_a_predicted_place():
    assert counts(run([ev()], [ev(no_place=True)])) == (0, 1, 1)


def test_type_must_match():
    assert counts(run([ev("ASSAULT")], [ev("COERCE")])) == (0, 1, 1)


@pytest.mark.parametrize("gold_actor,pred_actor,right", [
    (None, None, True), (None, ("IRQ", "REB"), False), (("IRQ", "REB"), None, False),
    (("IRQ", "REB"), ("IRQ", "REB"), True), (("IRQ", "REB"), ("SYR", "MIL"), False),
])
def test_null_gold_actor_must_be_predicted_null(gold_actor, pred_actor, right):
    r = run([ev(actor=gold_actor)], [ev(actor=pred_actor)])
    assert counts(r) == (1, 0, 0)  # actors never prevent a match
    assert r["metrics"]["fields"]["actor.country"]["value"] == (1.0 if right else 0.0)
    assert r["metrics"]["fields"]["actor.sector"]["value"] == (1.0 if right else 0.0)


def test_field_accuracies_on_matched_pairs():
    gold = [ev(), ev("PROTEST", date="2020-01", precision="admin1")]
    pred = [ev(place=north(5), date="2021-04-08", target=("USA", "GOV")),
            ev("PROTEST", date="2020-01-09", place=north(100), precision="city", country="SYR")]
    f = run(gold, pred)["metrics"]["fields"]
    assert f["place<=10km"] == {"value": 1.0, "count": 1}  # only the city-precision gold counts
    assert f["place.country"] == {"value": 0.5, "count": 2}
    assert f["date.exact"] == {"value": 0.5, "count": 2}  # 04-08 != 04-07; 2020-01-09 cut to month is right
    assert f["target.sector"] == {"value": 0.5, "count": 2}
    assert f["actor.country"] == {"value": 1.0, "count": 2}


def test_empty_fields_are_zero_with_zero_count():
    f = run([ev()], [])["metrics"]["fields"]
    assert all(v == {"value": 0.0, "count": 0} for v in f.values())
    assert set(f) == {"actor.country", "actor.sector", "target.country", "target.sector", "place<=10km",
                      "place.country", "place.unstated", "date.exact", "background.flag"}


def test_matching_prefers_agreeing_background_flags_over_distance():
    gold = [ev(place=north(1)), ev(place=north(30), bg=True)]
    m = match_events([event_from_dict(g) for g in gold], [event_from_dict(ev(bg=True))])
    assert [(x.gold, x.predicted) for x in m] == [(1, 0)]


def test_matching_prefers_smaller_distance_then_date_difference():
    gold = [ev(place=north(20)), ev(place=north(2))]
    m = match_events([event_from_dict(g) for g in gold], [event_from_dict(ev())])
    assert [(x.gold, x.predicted) for x in m] == [(1, 0)]
    gold = [ev(date="2021-04-08"), ev(date="2021-04-07")]
    m = match_events([event_from_dict(g) for g in gold], [event_from_dict(ev(date="2021-04-07"))])
    assert [(x.gold, x.predicted) for x in m] == [(1, 0)]


def test_matching_is_one_to_one_best_first():
    # three convoys in three towns, two predictions: each prediction takes its nearest gold
    gold = [ev(place=north(0)), ev(place=north(33)), ev(place=north(66))]
    pred = [ev(place=north(30)), ev(place=north(64)), ev(place=north(65))]
    r = run(gold, pred)
    assert counts(r) == (2, 1, 1)
    m = match_events([event_from_dict(g) for g in gold], [event_from_dict(p) for p in pred])
    assert sorted((x.gold, x.predicted) for x in m) == [(1, 0), (2, 2)]


def test_per_type_and_per_language():
    r = run([ev(), ev("PROTEST")], [ev(), ev("AGREE")], language="en")
    pt = r["metrics"]["per_type"]
    assert (pt["ASSAULT"]["tp"], pt["PROTEST"]["fn"], pt["AGREE"]["fp"]) == (1, 1, 1)
    assert r["metrics"]["per_language"]["en"]["tp"] == 1
    assert r["metrics"]["per_language"]["en"]["f1"] == 0.5


def test_errors_list_misses_false_alarms_and_wrong_fields():
    r = run([ev(), ev("PROTEST", date="2021-04-07")], [ev(actor=("SYR", "REB")), ev("PROTEST", date="2021-03-01")])
    kinds = sorted(e["kind"] for e in r["errors"])
    assert kinds == ["false_alarm", "field", "miss"]
    miss = next(e for e in r["errors"] if e["kind"] == "miss")
    assert miss["type"] == "PROTEST" and "date" in miss["why"]


# --- reading gold files and predictions ---------------------------------------------------

def write_gold(folder: Path, ident: str, events, text="Le texte.\n", **extra) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{ident}.json").write_text(json.dumps({"id": ident, "language": "fr", "published": "2021-04-07",
                                                      "events": events, **extra}), encoding="utf-8")
    if text is not None:
        (folder / f"{ident}.txt").write_text(text, encoding="utf-8")
    return folder / f"{ident}.json"


def test_text_file_lookup(tmp_path):
    write_gold(tmp_path / "g", "beside", [ev()])
    write_gold(tmp_path / "g", "other", [ev()], text=None)
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "other.txt").write_text("x", encoding="utf-8")
    (tmp_path / "t.txt").write_text("y", encoding="utf-8")
    write_gold(tmp_path / "g", "pointed", [ev()], text=None, text_file="../t.txt")
    golds, warnings = load_gold(tmp_path / "g")
    assert {g.id: g.text_path.name for g in golds} == {"beside": "beside.txt", "other": "other.txt", "pointed": "t.txt"}
    assert warnings == []


def test_missing_text_and_bad_type_are_coded_errors(tmp_path):
    write_gold(tmp_path / "a", "x", [ev()], text=None)
    with pytest.raises(EvalError, match=r"\[E501\].*no article text"):
        load_gold(tmp_path / "a")
    write_gold(tmp_path / "b", "y", [ev("BOMBING")])
    with pytest.raises(EvalError, match=r"\[E501\].*event 0.*BOMBING"):
        load_gold(tmp_path / "b")


def test_predictions_file_matched_by_source_basename(tmp_path):
    write_gold(tmp_path, "a", [ev()])
    write_gold(tmp_path, "b", [ev("PROTEST")], text="Autre texte.\n")
    pred = tmp_path / "p.jsonl"
    lines = [{"article": {"id": "zz", "source": "/elsewhere/a.txt", "text": "?"}, "events": [ev()]},
             {"article": {"id": "qq", "source": "nowhere.txt", "text": "?"}, "events": []}]
    pred.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    out = evaluate([tmp_path], predictions=pred)
    assert counts(out) == (1, 0, 1)
    assert any("matches no gold article" in w for w in out["warnings"])
    assert any("b.json" in w and "no line" in w for w in out["warnings"])


def test_pipeline_predictions_use_gold_date_and_language(tmp_path):
    write_gold(tmp_path, "a", [ev()])
    seen = []

    class FakePipeline:
        def process_many(self, articles):
            from veille.models import ArticleResult
            for a in articles:
                seen.append((a.published, a.language))
                yield ArticleResult(article=a, events=())

    out = evaluate([tmp_path], pipeline=FakePipeline())
    assert seen == [("2021-04-07", "fr")]
    assert counts(out) == (0, 0, 1)


def test_bad_predictions_line_is_a_coded_error(tmp_path):
    write_gold(tmp_path, "a", [ev()])
    pred = tmp_path / "p.jsonl"
    pred.write_text('{"article": {}, "events": []}\nnot json\n', encoding="utf-8")
    with pytest.raises(EvalError, match=r"\[E106\].*line 2"):
        evaluate([tmp_path], predictions=pred)
