"""What a contributor or a packager relies on: one version, shipped type information."""

from __future__ import annotations

from importlib import metadata, resources
from pathlib import Path

import portplan


def test_version_comes_from_one_place(run_cli) -> None:  # type: ignore[no-untyped-def]
    # hatch reads __version__ at build time, so the installed metadata must say the same.
    assert metadata.version("portplan") == portplan.__version__
    for flag in ("--version", "-V"):
        code, out, err = run_cli(flag)
        assert (code, out, err) == (0, f"portplan {portplan.__version__}\n", "")


def test_the_package_says_it_is_typed() -> None:
    assert resources.files("portplan").joinpath("py.typed").is_file()


def test_property_tests_take_their_example_counts_from_the_profile() -> None:
    # conftest.py's profiles (quick by default, thorough with HYPOTHESIS_PROFILE=ci) only
    # work if no test pins its own count.
    tests = Path(__file__).resolve().parent
    setting = "max_examples" + "="  # spelled apart, so that this file does not match itself
    pinned = [
        path.name
        for path in tests.rglob("*.py")
        if path.name != "conftest.py" and setting in path.read_text(encoding="utf-8")
    ]
    assert pinned == []
