"""Regions with a GeoNames feature carry its id and reference point, not their countries' centroid."""
from __future__ import annotations

import pytest

from veille.resolve.gazetteer import Gazetteer


@pytest.mark.slow
def test_middle_east_has_the_geonames_point_and_id() -> None:
    gaz = Gazetteer.default()
    region = next(c for c in gaz.lookup("Middle East") if c.kind == "region")
    assert region.geonameid == 6269133
    assert abs(region.lat - 33.14) < 0.05 and abs(region.lon - 35.86) < 0.05  # type: ignore[operator]
    assert gaz.by_id(6269133) == region


@pytest.mark.slow
def test_regions_without_a_geonames_point_keep_a_centroid() -> None:
    gaz = Gazetteer.default()
    region = next(c for c in gaz.lookup("Balkans") if c.kind == "region")
    assert region.geonameid < 0 and region.lat is not None
