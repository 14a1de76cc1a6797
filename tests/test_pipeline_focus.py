"""The article's focus town: where events happen when their sentence names no place."""
from __future__ import annotations

from veille.models import Place
from veille.pipeline import Pipeline
from veille.resolve.places import Toponym

COUNTRY = Place("Ruritania", 1, 10.0, 10.0, "RRT", None, "country", 1.0, "A.PCLI")


class _FocusCountry:
    def focus(self, toponyms):  # noqa: ANN001, ANN201 - the resolver's interface
        return COUNTRY


def _town(name: str, gid: int, feature: str) -> Place:
    return Place(name, gid, 10.0 + gid / 100, 10.0, "RRT", "North", "city", 1.0, feature)


def _topo(place: Place, conf: float = 1.0) -> Toponym:
    return Toponym(0, len(place.name), place.name, place, conf)


def _focus(toponyms: list[Toponym]) -> Place:
    return Pipeline(places=_FocusCountry())._focus(toponyms)


def test_most_mentioned_town_wins() -> None:
    port, seat = _town("Port", 2, "P.PPL"), _town("Seat", 3, "P.PPLC")
    assert _focus([_topo(port), _topo(seat), _topo(port)]).name == "Port"


def test_a_tie_goes_to_the_seat_of_government_not_the_first_mention() -> None:
    port, market, seat = _town("Port", 2, "P.PPL"), _town("Market", 4, "P.PPL"), _town("Seat", 3, "P.PPLA")
    focus = _focus([_topo(port), _topo(market), _topo(seat)])
    assert focus.name == "Seat"
    assert focus.confidence <= 0.5  # a fallback, said with less confidence


def test_a_tie_between_ordinary_towns_goes_to_the_first_mention() -> None:
    port, market = _town("Port", 2, "P.PPL"), _town("Market", 4, "P.PPL")
    assert _focus([_topo(market), _topo(port)]).name == "Market"


def test_towns_of_another_country_do_not_count() -> None:
    abroad = Place("Elsewhere", 9, 0.0, 0.0, "XYZ", None, "city", 1.0, "P.PPLC")
    assert _focus([_topo(abroad), _topo(abroad)]) is COUNTRY
