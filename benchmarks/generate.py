"""Generate plan files of growing size for the benchmark, in the real file format.

Each plan is built as data, validated into a `portplan.model.Plan` and written with
`portplan.store.dumps`, so the files are exactly what `portplan` itself would save.
The output is deterministic: the same arguments always give the same bytes.

    .venv/bin/python benchmarks/generate.py [--out benchmarks/plans] [--projects 1 4 16 64]

Every project owns 1,000 ports split into 8 tiers of 125 ports with 120 services each,
so 64 projects make 61,440 services. A few deliberate mistakes per plan (a shared port, a
service outside its tier, two overlapping tiers, a service on a reserved port) make sure the
benchmark measures a check that has something to report, as real plans do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path
from typing import Any

from portplan.model import Plan
from portplan.store import dumps

SEED = 20251218
TIERS_PER_PROJECT = 8
SERVICES_PER_TIER = 120
PORTS_PER_PROJECT = 1000
PORTS_PER_TIER = PORTS_PER_PROJECT // TIERS_PER_PROJECT
FIRST_PROJECT_PORT = 1100  # leaves room below for the well-known and reserved ports
DEFAULT_SIZES = (1, 4, 16, 64)
DEFAULT_OUT = Path(__file__).resolve().parent / "plans"

RESERVED = [
    {"ports": "0-1023", "reason": "System/Well-known"},
    {"ports": "3306", "reason": "MySQL default"},
    {"ports": "5432", "reason": "PostgreSQL default"},
    {"ports": "5672", "reason": "RabbitMQ default"},
    {"ports": "6379", "reason": "Redis default"},
    {"ports": "8080", "reason": "Common HTTP alt"},
    {"ports": "8443", "reason": "Common HTTPS alt"},
    {"ports": "9090", "reason": "Prometheus default"},
    {"ports": "27017", "reason": "MongoDB default"},
]

SYLLABLES = (
    "neu",
    "rec",
    "tom",
    "sig",
    "ma",
    "lang",
    "ve",
    "lox",
    "ar",
    "chi",
    "ter",
    "ion",
    "qua",
    "sar",
    "pho",
    "nyx",
    "del",
    "ta",
    "kor",
    "vex",
    "om",
    "ni",
)
DOMAINS = (
    "AI Development Platform",
    "Language Runtime",
    "Observability Suite",
    "Data Pipeline",
    "Trading Engine",
    "Media Server",
    "Research Cluster",
    "Home Automation",
    "Game Backend",
    "Document Search",
)
TIER_NAMES = (
    "Application Tier",
    "API Tier",
    "Databases",
    "Cache & Messaging",
    "AI/ML Services",
    "Monitoring",
    "Workers",
    "Dev Tools",
)
ADJECTIVES = (
    "Spectrum",
    "Primary",
    "Shadow",
    "Edge",
    "Core",
    "Replica",
    "Batch",
    "Live",
    "Secure",
    "Legacy",
    "Canary",
    "Regional",
    "Internal",
    "Public",
    "Async",
)
NOUNS = (
    "Workspace",
    "Gateway",
    "Indexer",
    "Scheduler",
    "Broker",
    "Exporter",
    "Renderer",
    "Collector",
    "Resolver",
    "Notifier",
    "Proxy",
    "Registry",
    "Planner",
    "Vault",
    "Store",
)
# Short enough that every service fits on one line as an inline table, like the reference
# plan (tomli_w switches a whole tier to [[...services]] tables when one line exceeds 100).
DESCRIPTIONS = (
    "Frontend Vite dev server",
    "Main REST/GraphQL API",
    "Python FastAPI service",
    "Rust Axum backend",
    "Real-time events",
    "Primary database",
    "Time-series database",
    "Graph database protocol",
    "Cache and pub/sub",
    "Broker monitoring",
    "Metrics endpoint",
    "Background job runner",
    "Admin dashboard",
    "gRPC internal service",
    "Object storage S3 API",
)


def project_name(rng: random.Random, number: int) -> str:
    # Pronounceable upper-case names like the reference's, with the number to keep them unique.
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).upper()
    return f"{word}-{number:02d}"


def service_names(rng: random.Random, count: int) -> list[str]:
    """`count` distinct names like "Edge Gateway 3" within one tier."""
    names: list[str] = []
    for number in range(count):
        names.append(f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {number + 1}")
    return names


def build_document(projects: int, seed: int = SEED) -> dict[str, Any]:
    rng = random.Random(seed + projects)
    document: dict[str, Any] = {
        "title": f"Benchmark plan: {projects} projects",
        "version": "2.0",
        "updated": dt.date(2025, 12, 18),
        "strategy": "Each project owns 1,000 ports split into tiers of 125.",
        "reserved": [dict(entry) for entry in RESERVED],
        "projects": [],
    }
    for p in range(projects):
        base = FIRST_PROJECT_PORT + p * PORTS_PER_PROJECT
        tiers = []
        for t in range(TIERS_PER_PROJECT):
            low = base + t * PORTS_PER_TIER
            names = service_names(rng, SERVICES_PER_TIER)
            services = [
                {"port": low + s, "name": names[s], "description": rng.choice(DESCRIPTIONS)}
                for s in range(SERVICES_PER_TIER)
            ]
            if t == 3:
                # A UDP service beside TCP ones, as in real plans (short, to stay one line).
                services[7].update(name="Syslog UDP", description="Log intake", protocol="udp")
            tiers.append(
                {
                    "name": TIER_NAMES[t],
                    "ports": f"{low}-{low + PORTS_PER_TIER - 1}",
                    "description": f"{TIER_NAMES[t]} of project {p + 1}",
                    "services": services,
                }
            )
        document["projects"].append(
            {
                "name": project_name(rng, p + 1),
                "ports": f"{base}-{base + PORTS_PER_PROJECT - 1}",
                "description": rng.choice(DOMAINS),
                "tiers": tiers,
            }
        )
    add_mistakes(document)
    return document


def add_mistakes(document: dict[str, Any]) -> None:
    """A handful of real-looking errors in every fourth project (at least one project)."""
    for p, project in enumerate(document["projects"]):
        if p % 4:
            continue
        tiers = project["tiers"]
        # Two services on the same port: the second API service copies the first's port.
        tiers[1]["services"][1]["port"] = tiers[1]["services"][0]["port"]
        # A service that drifted out of its tier into the next one's free tail.
        tiers[2]["services"][-1]["port"] = tiers[3]["services"][-1]["port"] + 2
        # Two tiers whose written ranges overlap by ten ports.
        start, end = (int(part) for part in tiers[5]["ports"].split("-"))
        tiers[5]["ports"] = f"{start}-{end + 10}"


def write_plans(out: Path, sizes: tuple[int, ...]) -> list[tuple[int, Path]]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for projects in sizes:
        plan = Plan.model_validate(build_document(projects))
        services = projects * TIERS_PER_PROJECT * SERVICES_PER_TIER
        path = out / f"plan-{projects:02d}x{TIERS_PER_PROJECT}x{SERVICES_PER_TIER}.toml"
        path.write_text(dumps(plan), encoding="utf-8")
        written.append((services, path))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--projects", type=int, nargs="+", default=list(DEFAULT_SIZES))
    args = parser.parse_args()
    if max(args.projects) * PORTS_PER_PROJECT + FIRST_PROJECT_PORT > 65536:
        parser.error("at most 64 projects fit in the port space")
    for services, path in write_plans(args.out, tuple(args.projects)):
        print(f"{services:>6} services  {path.stat().st_size:>10,} bytes  {path}")


if __name__ == "__main__":
    main()
