from __future__ import annotations

import tomllib
from decimal import Decimal as D
from pathlib import Path

import pytest

from vss_excel import settings
from vss_excel.model import STATUSES, LineKind


def test_default_is_vss(forv):
    assert forv.short_name == "VSS"
    assert [u.name for u in forv.units] == [
        "VSS ledning",
        "Upphandling & inköp",
        "Ekonomiservice",
        "HR service",
        "Kontakt Linköping",
        "Stadsarkivet",
        "eLärandeCenter",
        "LKDATA",
        "Löneservice",
    ]
    assert (forv.period.year, forv.period.month) == (2020, 10)
    assert forv.statuses == STATUSES
    assert [m.name for m in forv.volumes] == [
        "Ärenden Kontakt Linköping",
        "Varav chatt",
        "Ärenden LKDATA support",
        "Ärenden Stadsarkivet",
    ]
    assert [m.target for m in forv.personnel] == [None, D("3.5"), D("6.0")]
    assert any(x.kind is LineKind.VARAV and "coronapandemin" in x.name for x in forv.drift_lines)
    assert forv.investments[0].ram == D(60_000_000)


def test_every_activity_of_the_verksamhetsplan(forv):
    per = {p.name: sum(a.perspective == p.name for a in forv.activities) for p in forv.perspectives}
    assert per == {"Medborgare": 10, "Ekonomi": 11, "Verksamhet": 33, "Medarbetare": 8}
    text = Path(__file__).parents[2].joinpath("shared", "domain", "004_ee199d9379538464.txt")
    if text.exists():  # each activity's opening words appear in the report
        doc = " ".join(text.read_text(encoding="utf-8").split())
        for a in forv.activities:
            assert " ".join(a.text.split()[:3]) in doc, a.id
    owners = {a.unit for a in forv.activities}
    assert {"ledning", "kontakt", "stadsarkivet", "upphandling"} <= owners


def test_init_writes_default_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "min.toml"
    settings.write_default(target)
    assert settings.load(target) == settings.load_default()
    target.write_text("# mina ändringar\n", encoding="utf-8")
    with pytest.raises(settings.SettingsError, match="finns redan"):
        settings.write_default(target)
    assert target.read_text(encoding="utf-8") == "# mina ändringar\n"
    assert [p.name for p in tmp_path.iterdir()] == ["min.toml"]  # no temporary file left


def _edited(change) -> str:
    raw = tomllib.loads(settings.default_text())
    change(raw)
    return _dump(raw)


def _dump(d) -> str:
    # small TOML writer for the tests: enough for the settings' shapes
    import json

    out: list[str] = []
    scalars = {
        k: v
        for k, v in d.items()
        if not isinstance(v, dict | list) or (isinstance(v, list) and not (v and isinstance(v[0], dict)))
    }
    for k, v in scalars.items():
        out.append(f"{k} = {json.dumps(v, ensure_ascii=False)}")
    for k, v in d.items():
        if isinstance(v, dict):
            out.append(f"[{k}]")
            out += [f"{kk} = {json.dumps(vv, ensure_ascii=False)}" for kk, vv in v.items()]
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            for item in v:
                out.append(f"[[{k}]]")
                out += [f"{kk} = {json.dumps(vv, ensure_ascii=False)}" for kk, vv in item.items()]
    return "\n".join(out) + "\n"


def test_roundtrip_helper_is_faithful():
    assert settings.parse(_edited(lambda d: None), "x") == settings.load_default()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["period"].update(manad=13),
            "'period.manad' måste vara ett heltal mellan 1 och 12",
        ),
        (lambda d: d["period"].update(typ="kvartal"), "'period.typ' måste vara en av"),
        (lambda d: d["vasentlighet"].update(tkr="mycket"), "'vasentlighet.tkr' måste vara ett tal"),
        (lambda d: d["enheter"][1].pop("namn"), "'enheter[2].namn' måste vara en text"),
        (
            lambda d: d["enheter"].append({"id": "lkdata", "namn": "Igen"}),
            "'enheter' har id 'lkdata' mer än en gång",
        ),
        (
            lambda d: d["aktiviteter"][0].update(enhet="okand"),
            "'aktiviteter[1].enhet' pekar på enheten 'okand'",
        ),
        (lambda d: d["driftrader"][0].update(typ="annat"), "'driftrader[1].typ' måste vara en av"),
        (lambda d: d.pop("forvaltning"), "'forvaltning' saknas"),
        (
            lambda d: d["personal"][1].update(malvarde="3,5"),
            "'personal[2].malvarde' måste vara ett tal",
        ),
    ],
)
def test_bad_settings_name_the_key(change, message):
    with pytest.raises(settings.SettingsError) as e:
        settings.parse(_edited(change), "inst.toml")
    assert message in str(e.value)
    assert str(e.value).startswith("inst.toml: ")


def test_not_toml_and_missing_file(tmp_path):
    with pytest.raises(settings.SettingsError, match="inte giltig TOML"):
        settings.parse("[forvaltning\nnamn=", "x.toml")
    with pytest.raises(settings.SettingsError, match="finns inte"):
        settings.load(tmp_path / "saknas.toml")
