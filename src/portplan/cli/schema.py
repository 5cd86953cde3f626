"""`portplan schema`: the JSON Schema of the plan file, for editors and CI validators."""

from __future__ import annotations

import argparse
import sys

from portplan.plan_schema import schema_text

EPILOG = """\
Editors with a TOML language server (Taplo / Even Better TOML, Tombi) use it when the plan's
first line names it:  #:schema ./ports.schema.json"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text())
    return 0
