"""A new exporter or import format is one function and one line in a registry: the command
line offers it, documents it and runs it with nothing else changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from portplan.exporters import EXPORTERS, Exporter, export
from portplan.importers import IMPORTERS, Importer, importer_for
from portplan.markdown import import_markdown
from portplan.store import dumps, load

PLUGINS = "tests.format_plugins"


def test_every_registered_exporter_is_offered_and_runs(
    run_cli, reference_plan_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        run_cli("export", "--help")
    help_text = capsys.readouterr().out
    plan = load(reference_plan_path)
    for name in EXPORTERS:
        assert f"\n{name:<6}" in help_text, name
        code, out, err = run_cli("export", str(reference_plan_path), "--format", name)
        assert (code, err) == (0, ""), name
        assert out == export(plan, name)


def test_a_new_exporter_is_one_line(
    run_cli, reference_plan_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(
        EXPORTERS, "ports", Exporter(f"{PLUGINS}:export_ports", "PORT PATH lines, one a service")
    )
    code, out, err = run_cli(
        "export", str(reference_plan_path), "--format", "ports", "--project", "NEURECTOMY"
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines and all(line.split(" ", 1)[1].startswith("NEURECTOMY/") for line in lines)
    plan = load(reference_plan_path)
    neurectomy = next(p for p in plan.projects if p.name == "NEURECTOMY")
    assert len(lines) == sum(len(tier.services) for tier in neurectomy.tiers)
    with pytest.raises(SystemExit):
        run_cli("export", "--help")
    assert "ports PORT PATH lines, one a service" in capsys.readouterr().out


def test_an_unknown_export_format_is_refused_by_name(run_cli, reference_plan_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        run_cli("export", str(reference_plan_path), "--format", "yaml")
    assert exit_info.value.code == 2
    with pytest.raises(ValueError, match="unknown export format 'yaml'"):
        export(load(reference_plan_path), "yaml")


def test_import_picks_the_format_by_option_then_suffix_then_markdown(tmp_path: Path) -> None:
    assert importer_for(tmp_path / "DOC.MD") is IMPORTERS["md"]
    assert importer_for(tmp_path / "doc.markdown") is IMPORTERS["md"]
    # What `import` always did: a document whose name says nothing is read as Markdown.
    assert importer_for(tmp_path / "PORTS") is IMPORTERS["md"]
    assert importer_for(tmp_path / "doc.txt", "md") is IMPORTERS["md"]


def test_a_new_import_format_is_one_line(
    run_cli, reference_plan_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(
        IMPORTERS,
        "toml",
        Importer(f"{PLUGINS}:read_toml_text", (".plan",), "a plan already written as TOML"),
    )
    text = reference_plan_path.read_text(encoding="utf-8")
    by_suffix = tmp_path / "copy.plan"
    by_suffix.write_text(text, encoding="utf-8")
    code, out, err = run_cli("import", str(by_suffix))
    assert (code, out, err) == (0, dumps(load(reference_plan_path)), "")
    by_option = tmp_path / "copy.txt"
    by_option.write_text(text, encoding="utf-8")
    code, out, err = run_cli("import", str(by_option), "--format", "toml")
    assert (code, out, err) == (0, dumps(load(reference_plan_path)), "")
    with pytest.raises(SystemExit):
        run_cli("import", "--help")
    assert "toml (.plan): a plan already written as TOML" in capsys.readouterr().out


def test_markdown_import_reads_the_export_back(run_cli, reference_plan_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    document = tmp_path / "ports.txt"
    document.write_text(export(load(reference_plan_path), "md"), encoding="utf-8")
    code, out, err = run_cli("import", str(document), "--format", "md")
    assert (code, err) == (0, "")
    assert out == dumps(import_markdown(document.read_text(encoding="utf-8")).plan)
    assert import_markdown(document.read_text(encoding="utf-8")).plan == load(reference_plan_path)
