"""Imports point down the period's cycle: settings → ledger → enhetsmall → konsolidera → rapport →
excel → the command line. A stage never imports a later one (deferred imports inside functions
included), and the shared modules below the stages (model, archive, Swedish texts, Word
helpers …) import no stage at all."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "vss_excel"
STAGES = ("settings", "ledger", "enhetsmall", "konsolidera", "rapport", "excel", "cli")
TOP = {"cli": "cli", "arguments": "cli", "demo": "cli"}  # modules at the top of the cycle


def _stage(module: str) -> str | None:
    """The stage of 'vss_excel.x.y'; None for a shared module below the stages."""
    part = module.split(".")[1] if "." in module else ""
    return part if part in STAGES else TOP.get(part)


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path) -> set[str]:
    """Every vss_excel module the file imports, wherever the import stands."""
    here = _module(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("vss_excel")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if source.startswith("vss_excel"):
                out.add(source)
                out |= {f"{source}.{a.name}" for a in node.names}  # 'from . import archive'
    return out


def edges() -> list[tuple[str, str]]:
    """(importer, imported) for every import that goes up the cycle or from a shared module into
    a stage."""
    rank = {s: i for i, s in enumerate(STAGES)}
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _module(path)
        for target in sorted(_imported(path)):
            mine, theirs = _stage(source), _stage(target)
            if theirs is None or mine == theirs:
                continue
            if mine is None or rank[theirs] > rank[mine]:
                wrong.append((source, target))
    return wrong


def test_every_import_points_down_the_cycle():
    assert edges() == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The test above can fail: an import of a later stage in a deferred import is found."""
    fake = tmp_path / "vss_excel"
    (fake / "ledger").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "model.py").write_text("from . import keys\n")
    (fake / "ledger" / "__init__.py").write_text("")
    (fake / "ledger" / "read.py").write_text("def f():\n    from ..rapport import sheet\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert edges() == [
        ("vss_excel.ledger.read", "vss_excel.rapport"),
        ("vss_excel.ledger.read", "vss_excel.rapport.sheet"),
    ]
