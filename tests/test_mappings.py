"""PLOVER -> CAMEO / ACLED mapping table and its look-ups."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from veille.errors import ModelError
from veille.extract.mappings import (
    MAPPINGS_PATH, acled_pair, acled_type, cameo_root, load_mappings, plover_modes, quad_class,
)
from veille.models import PLOVER_TYPES

DOC = Path(__file__).resolve().parents[1] / "docs" / "mappings.md"


@pytest.mark.parametrize("ptype, mode, sector, expected", [
    ("AGREE", None, None, "03"), ("CONSULT", "visit", None, "04"), ("SUPPORT", None, None, "05"),
    ("COOPERATE", None, None, "06"), ("AID", "humanitarian", None, "07"), ("CONCEDE", None, None, "08"),
    ("RETREAT", "release", None, "08"), ("ACCUSE", "investigate", None, "09"), ("REQUEST", "yield", None, "10"),
    ("ACCUSE", "disapprove", None, "11"), ("ACCUSE", None, None, "11"), ("SANCTION", "convict", None, "11"),
    ("REJECT", "meet", None, "12"), ("THREATEN", "violence", None, "13"), ("PROTEST", "riot", None, "14"),
    ("MOBILIZE", "troops", None, "15"), ("SANCTION", "expel", None, "16"), ("COERCE", "arrest", None, "17"),
    ("ASSAULT", None, None, "18"), ("ASSAULT", None, "REB", "18"), ("ASSAULT", None, "MIL", "19"),
    ("ASSAULT", "abduct", "MIL", "18"), ("ASSAULT", "explosives", None, "18"), ("ASSAULT", "aerial", None, "19"),
    ("ASSAULT", "firearms", None, "19"), ("ASSAULT", "heavy-weapons", None, "19"), ("ASSAULT", "destroy", None, "17"),
    ("ASSAULT", "unconventional", None, "20"), ("ASSAULT", "no-such-mode", None, "18"),
])
def test_cameo_root(ptype: str, mode: str | None, sector: str | None, expected: str) -> None:
    assert cameo_root(ptype, mode, actor_sector=sector) == expected


@pytest.mark.parametrize("ptype, mode, target, expected", [
    ("ASSAULT", "aerial", None, "Explosions/Remote violence / Air/drone strike"),
    ("ASSAULT", "heavy-weapons", "CVL", "Explosions/Remote violence / Shelling/artillery/missile attack"),
    ("ASSAULT", "explosives", "MIL", "Explosions/Remote violence / Remote explosive/landmine/IED"),
    ("ASSAULT", "suicide-attack", None, "Explosions/Remote violence / Suicide bomb"),
    ("ASSAULT", "firearms", "MIL", "Battles / Armed clash"),
    ("ASSAULT", "firearms", "REB", "Battles / Armed clash"),
    ("ASSAULT", "firearms", "CVL", "Violence against civilians / Attack"),
    ("ASSAULT", None, "JRN", "Violence against civilians / Attack"),
    ("ASSAULT", None, "COP", "Battles / Armed clash"),
    ("ASSAULT", None, None, None),
    ("ASSAULT", "firearms", "UNK", None),
    ("ASSAULT", "abduct", "MIL", "Violence against civilians / Abduction/forced disappearance"),
    ("ASSAULT", "sexual", None, "Violence against civilians / Sexual violence"),
    ("ASSAULT", "destroy", None, "Strategic developments / Looting/property destruction"),
    ("PROTEST", "demo", None, "Protests / Peaceful protest"),
    ("PROTEST", None, None, "Protests / Peaceful protest"),
    ("PROTEST", "riot", None, "Riots / Violent demonstration"),
    ("COERCE", "arrest", None, "Strategic developments / Arrests"),
    ("COERCE", "curfew", None, None),
    ("AGREE", None, None, "Strategic developments / Agreement"),
    ("RETREAT", "ceasefire", None, "Strategic developments / Agreement"),
    ("RETREAT", "withdraw", None, "Strategic developments / Non-violent transfer of territory"),
    ("CONSULT", "visit", None, None),
    ("ACCUSE", None, None, None),
])
def test_acled_type(ptype: str, mode: str | None, target: str | None, expected: str | None) -> None:
    assert acled_type(ptype, mode, target) == expected


def test_acled_pair_keeps_slashes_inside_names() -> None:
    assert acled_pair("ASSAULT", "aerial") == ("Explosions/Remote violence", "Air/drone strike")


@pytest.mark.parametrize("ptype", PLOVER_TYPES)
def test_every_type_maps_and_is_documented(ptype: str) -> None:
    root = cameo_root(ptype)
    assert root is not None and len(root) == 2
    assert quad_class(ptype).split()[1] in ("cooperation", "conflict")
    doc = DOC.read_text(encoding="utf-8")
    assert f"| {ptype} |" in doc
    for mode in plover_modes(ptype):
        assert mode in doc, f"{ptype} mode {mode} missing from docs/mappings.md"


def test_unknown_type_raises() -> None:
    with pytest.raises(ValueError, match="unknown PLOVER type 'FIGHT'"):
        cameo_root("FIGHT")
    with pytest.raises(ValueError):
        acled_type("CRIME")


def _table(tmp_path: Path, mutate: Any) -> Path:
    data = json.loads(MAPPINGS_PATH.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "mappings.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("mutate, key", [
    (lambda d: d["types"].pop("AID"), "types"),
    (lambda d: d["types"].__setitem__("FIGHT", d["types"]["ASSAULT"]), "types.FIGHT"),
    (lambda d: d["types"]["ASSAULT"]["cameo"].__setitem__("root", "21"), "ASSAULT.cameo.root"),
    (lambda d: d["types"]["ASSAULT"]["cameo"]["by_mode"].__setitem__("laser", "19"), "ASSAULT.cameo.by_mode.laser"),
    (lambda d: d["types"]["PROTEST"]["acled"].__setitem__("default", ["Protests"]), "PROTEST.acled.default"),
    (lambda d: d["types"]["PROTEST"].__setitem__("quad", "kinetic"), "PROTEST.quad"),
    (lambda d: d["types"]["PROTEST"]["modes"].append("demo"), "PROTEST.modes"),
    (lambda d: d.__setitem__("armed_sectors", ["ARMY"]), "armed_sectors"),
    (lambda d: d.__setitem__("_format", 2), "_format"),
])
def test_malformed_table_raises_e704(tmp_path: Path, mutate: Any, key: str) -> None:
    path = _table(tmp_path, mutate)
    with pytest.raises(ModelError) as err:
        load_mappings(path)
    assert str(err.value).startswith("[E704]") and f": {key}:" in str(err.value)


def test_table_is_cached() -> None:
    assert load_mappings() is load_mappings()
