"""Adapter registry and the public-set adapters (types, entities, arguments) with fake pipelines."""
from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from veille.errors import EvalError
from veille.eval import context
from veille.eval.adapters import case2021, plover_gsr, wikievents, winer_fr
from veille.eval.adapters._common import load_data
from veille.eval.registry import broken_adapters, evaluators, find_evaluator
from veille.eval.runner import discover_sets
from veille.models import PLOVER_TYPES, Actor, ArticleResult, Event, Evidence, Place

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
PUBLIC = EVAL / "public"


class FakePipeline:
    """Returns, for each article, the events `make(article)` gives."""

    def __init__(self, make):
        self.make = make

    def process_many(self, articles, batch_size=16):
        for a in articles:
            yield ArticleResult(article=a, events=tuple(self.make(a)))


@pytest.fixture
def fake():
    def use(make):
        context.use_pipeline(FakePipeline(make))
    yield use
    context.use_pipeline(None)


def event(type_, text="", start=0, end=None, actor=None, target=None, place=None, trigger=None, confidence=0.5):
    return Event(type=type_, evidence=Evidence(text, start, len(text) if end is None else end),
                 actor=actor, target=target, trigger=trigger, confidence=confidence,
                 location=Place(place, None, None, None, None, None, "city") if place else None)


def test_every_adapter_module_loads_with_the_interface():
    assert broken_adapters() == {}
    for ev in evaluators():
        assert ev.task and ev.names and callable(ev.module.detect) and callable(ev.module.evaluate)


@pytest.mark.parametrize("name,task,evaluator", [
    ("seed", "events", "events"), ("winer_events", "events", "events"),
    ("public/plover_gsr", "types", "plover_gsr"), ("public/case2021_task2", "types", "case2021"),
    ("public/winer_fr", "entities", "winer_fr"), ("public/wikievents_test", "arguments", "wikievents"),
])
def test_task_is_recognised_from_the_data(name, task, evaluator):
    ev = find_evaluator(EVAL / name)
    assert (ev.task, ev.name) == (task, evaluator)
    assert find_evaluator(EVAL / name, task).name == evaluator


@pytest.mark.parametrize("path", discover_sets(EVAL), ids=lambda p: p.name)
def test_every_shared_set_has_an_evaluator(path):
    assert find_evaluator(path).task


def test_wrong_task_or_unknown_data_is_a_coded_error(tmp_path):
    with pytest.raises(EvalError, match=r"\[E501\].*no types evaluator"):
        find_evaluator(EVAL / "seed", "types")
    (tmp_path / "x.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(EvalError, match=r"\[E501\]"):
        find_evaluator(tmp_path)
    with pytest.raises(EvalError, match=r"\[E101\]"):
        find_evaluator(tmp_path / "missing")


# --- plover_gsr ----------------------------------------------------------------------------

def gsr_records():
    return [json.loads(line) for line in (PUBLIC / "plover_gsr" / "plover_gsr_cameo.jsonl").open(encoding="utf-8")]


def test_legacy_types_map_to_todays_plover_types():
    types = load_data("plover_legacy_types.json")["types"]
    assert set(types.values()) <= set(PLOVER_TYPES)
    assert {r["event"] for r in gsr_records()} <= set(types)
    assert (types["DEMAND"], types["FIGHT"], types["DISAPPROVE"], types["INVESTIGATE"]) == (
        "REQUEST", "ASSAULT", "ACCUSE", "ACCUSE")


@pytest.mark.parametrize("side,countries,sectors", [
    ([{"code": "JAP"}], {"JPN"}, set()),
    ([{"code": "IGO"}], {None}, {"IGO"}),
    ([{"code": "SRB", "sector": "CVLalb"}], {"SRB"}, {"CVL"}),
    ([{"code": "ISM", "sector": "***"}], set(), set()),
    ({"code": "USA", "sector": "GOV"}, {"USA"}, {"GOV"}),
])
def test_gold_actor_codes(side, countries, sectors):
    assert plover_gsr.gold_actor_codes(side) == (countries, sectors)


def test_plover_gsr_scores_the_top_event(fake):
    fake(lambda a: [event("PROTEST", confidence=0.1), event("ASSAULT", actor=Actor("x", "USA", "GOV"), confidence=0.9)])
    m = plover_gsr.evaluate(PUBLIC / "plover_gsr")["metrics"]
    gold = Counter(load_data("plover_legacy_types.json")["types"][r["event"]] for r in gsr_records())
    assert m["count"] == 322
    assert m["accuracy"] == round(gold["ASSAULT"] / 322, 4)
    assert m["per_type"]["ASSAULT"]["r"] == 1.0 and m["per_type"]["PROTEST"]["tp"] == 0
    usa = sum(1 for r in gsr_records() if plover_gsr.gold_actor_codes(r.get("source"))[0]
              and "USA" in plover_gsr.gold_actor_codes(r.get("source"))[0])
    assert m["actor_country_acc"] == round(usa / m["actor_country_count"], 4)


def test_plover_gsr_with_no_events_scores_zero(fake):
    fake(lambda a: [])
    m = plover_gsr.evaluate(PUBLIC / "plover_gsr")["metrics"]
    assert (m["accuracy"], m["macro_f1"], m["no_event"]) == (0.0, 0.0, 322)


# --- case2021 -------------------------------------------------------------------------------

def test_every_case2021_subtype_is_mapped_to_a_plover_type():
    mapping = load_data("acled_subtypes.json")["subtypes"]
    with (PUBLIC / "case2021_task2" / "test_set_with_labels_sample.tsv").open(encoding="utf-8") as h:
        labels = {row["SubType"] for row in csv.DictReader(h, delimiter="\t", quoting=csv.QUOTE_NONE)}
    assert labels <= set(mapping)
    assert {v["type"] for v in mapping.values() if v} <= set(PLOVER_TYPES)


def test_case2021_no_event_is_right_only_for_unmapped_subtypes(fake):
    fake(lambda a: [])
    m = case2021.evaluate(PUBLIC / "case2021_task2")["metrics"]
    assert m["accuracy"] == round(m["none_gold"] / m["count"], 4) and m["macro_f1"] == 0.0


# --- winer_fr -------------------------------------------------------------------------------

def test_place_overrides_relabel_exact_spans_and_add_free_ones():
    spans = [(0, 6, "ORG"), (10, 20, "PER"), (30, 40, "LOC")]
    out, changed = winer_fr.apply_place_overrides(spans, [(0, 6), (12, 15), (50, 55), (30, 40)])
    assert out == [(0, 6, "LOC"), (10, 20, "PER"), (30, 40, "LOC"), (50, 55, "LOC")]
    assert changed == 2


def test_span_scoring_is_exact_per_type():
    gold = [{(0, 5, "PER"), (10, 15, "LOC")}]
    pred = [{(0, 5, "PER"), (10, 14, "LOC"), (20, 25, "ORG")}]
    s = winer_fr.score_spans(gold, pred, ("PER", "ORG", "LOC"))
    assert (s["tp"], s["fp"], s["fn"]) == (1, 2, 1)
    assert s["per_type"]["PER"]["f1"] == 1.0 and s["per_type"]["LOC"]["f1"] == 0.0


# --- wikievents -----------------------------------------------------------------------------

@pytest.mark.parametrize("pred,gold,ok", [
    ("U.S. nationals", ["Nationals"], True), ("the Taliban", ["Taliban"], True),
    ("Kabul", ["Kandahar"], False), (None, ["x"], False), ("", ["x"], False),
])
def test_names_agree(pred, gold, ok):
    assert wikievents.names_agree(pred, gold) is ok


def test_pair_event_prefers_the_type_then_the_trigger():
    a = event("PROTEST", "s", 0, 50, trigger="attack", confidence=0.9)
    b = event("ASSAULT", "s", 0, 50, trigger="bombed", confidence=0.2)
    c = event("ASSAULT", "s", 0, 50, trigger="attack", confidence=0.1)
    d = event("ASSAULT", "s", 60, 90, trigger="attack", confidence=1.0)
    assert wikievents.pair_event({"start": 10, "text": "attack"}, "ASSAULT", [a, b, c, d]) is c
    assert wikievents.pair_event({"start": 55, "text": "attack"}, "ASSAULT", [a, b, c]) is None


def test_wikievents_oracle_scores_high_and_empty_scores_zero(fake):
    docs = {json.loads(line)["text"]: json.loads(line)
            for line in (PUBLIC / "wikievents_test" / "wikievents_test_compact.jsonl").open(encoding="utf-8")}
    mapping = load_data("kairos_roles.json")

    def oracle(article):
        out = []
        for m in docs[article.text]["event_mentions"]:
            plover = mapping["types"].get(".".join(m["event_type"].split(".")[:2]))
            if not plover:
                continue
            args = {mapping["roles"].get(a["role"]): a["text"] for a in m["arguments"]}
            t = m["trigger"]
            out.append(event(plover, article.text[t["start"]:t["end"]], t["start"], t["end"], trigger=t["text"],
                             actor=Actor(args.get("attacker")), target=Actor(args.get("target")),
                             place=args.get("place")))
        return out

    fake(oracle)
    m = wikievents.evaluate(PUBLIC / "wikievents_test")["metrics"]
    assert m["attacker_count"] > 0 and m["target_count"] > 0 and m["place_count"] > 0
    assert min(m["attacker_acc"], m["target_acc"], m["place_acc"]) >= 0.85
    assert m["event_pairing"] == 1.0
    fake(lambda a: [])
    m = wikievents.evaluate(PUBLIC / "wikievents_test")["metrics"]
    assert (m["attacker_acc"], m["target_acc"], m["place_acc"], m["event_pairing"]) == (0.0, 0.0, 0.0, 0.0)


def test_the_main_event_of_a_sentence_is_news_before_background() -> None:
    from veille.eval.adapters._common import top_event
    from veille.models import Article, ArticleResult, Event, Evidence

    text = "Up to 200 farmers marched in the capital on Tuesday, where police had killed two men last year."
    ev = Evidence(text, 0, len(text))
    killed = Event(type="ASSAULT", evidence=ev, background=True, confidence=0.8)
    marched = Event(type="PROTEST", evidence=ev, confidence=0.5)
    art = Article(id="a", source="s", text=text)
    assert top_event(ArticleResult(art, (killed, marched))) is marched
    assert top_event(ArticleResult(art, (killed,))) is killed
    assert top_event(ArticleResult(art, ())) is None
