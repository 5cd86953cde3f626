"""Reports for machines and CI: one shape of finding, rendered as JSON, GitHub annotations or
SARIF.

Every command that reports findings (check, scan, probe, rebase, where) turns its findings
into `Item`s with a place (the plan's own line, or the Compose/.env/manifest line) and hands
a `Report` to `emit`, so that the formats stay the same across commands.
"""
