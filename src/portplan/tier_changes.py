"""The tier and service changes inside one project: services matched by name, never by
position (see `changes` for the matching steps)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from portplan.change import Change, ChangeKind
from portplan.change import shown_value as _quoted
from portplan.model import Service, Tier, subject


@dataclass(frozen=True, slots=True)
class _Placed:
    tier: Tier
    service: Service
    position: int


class ServiceDiff:
    """The tier and service changes inside one project."""

    def __init__(self, project: str, old_tiers: list[Tier], new_tiers: list[Tier]) -> None:
        self.project = project
        self.old_tiers = {tier.name: tier for tier in old_tiers}
        self.new_tiers = {tier.name: tier for tier in new_tiers}
        self.tier_order = [tier.name for tier in new_tiers] + [
            tier.name for tier in old_tiers if tier.name not in self.new_tiers
        ]
        # Per tier name: (sort key, change); sorted at the end so the output follows the
        # new plan's order whichever matching step found the change.
        self.buckets: dict[str, list[tuple[tuple[int, int], Change]]] = defaultdict(list)

    def changes(self) -> list[Change]:
        for name in self.tier_order:
            self._tier_changes(self.old_tiers.get(name), self.new_tiers.get(name))
        self._service_changes()
        out: list[Change] = []
        for name in self.tier_order:
            out += [change for _, change in sorted(self.buckets[name], key=lambda kc: kc[0])]
        return out

    def _path(self, *names: str) -> str:
        return subject(self.project, *names)

    def _add(self, tier: str, key: tuple[int, int], change: Change) -> None:
        self.buckets[tier].append((key, change))

    def _change(self, kind: ChangeKind, path: str, old: str, new: str, text: str) -> Change:
        return Change(self.project, kind, path, old, new, text)

    def _tier_changes(self, old: Tier | None, new: Tier | None) -> None:
        tier = new or old
        assert tier is not None
        path = self._path(tier.name)
        first = (-1, 0)
        if old is None:
            self._add(
                tier.name,
                first,
                self._change(
                    "added", path, "", str(tier.ports), f"{tier.name}: tier added ({tier.ports})"
                ),
            )
        elif new is None:
            self._add(
                tier.name,
                first,
                self._change(
                    "removed",
                    path,
                    str(tier.ports),
                    "",
                    f"{tier.name}: tier removed (was {tier.ports})",
                ),
            )
        else:
            if old.ports != new.ports:
                self._add(
                    tier.name,
                    first,
                    self._change(
                        "range",
                        path,
                        str(old.ports),
                        str(new.ports),
                        f"{tier.name}: range {old.ports} → {new.ports}",
                    ),
                )
            if old.description != new.description:
                self._add(
                    tier.name,
                    (-1, 1),
                    self._change(
                        "description",
                        path,
                        old.description,
                        new.description,
                        f"{tier.name}: description {_quoted(old.description)} → "
                        f"{_quoted(new.description)}",
                    ),
                )

    def _service_changes(self) -> None:
        old_by_key = {
            (tier.name, service.name): _Placed(tier, service, position)
            for tier in self.old_tiers.values()
            for position, service in enumerate(tier.services)
        }
        unmatched_new: list[_Placed] = []
        for tier in self.new_tiers.values():
            for position, service in enumerate(tier.services):
                placed = _Placed(tier, service, position)
                before = old_by_key.pop((tier.name, service.name), None)
                if before is None:
                    unmatched_new.append(placed)
                else:
                    self._same_service(before, placed)
        unmatched_old = list(old_by_key.values())
        unmatched_old, unmatched_new = self._tier_moves(unmatched_old, unmatched_new)
        unmatched_old, unmatched_new = self._renames(unmatched_old, unmatched_new)
        for placed in unmatched_new:
            path = self._path(placed.tier.name, placed.service.name)
            self._add(
                placed.tier.name,
                (0, placed.position),
                self._change(
                    "reserved",
                    path,
                    "",
                    str(placed.service.port),
                    f"{placed.tier.name}/{placed.service.name}: reserved {placed.service.port}",
                ),
            )
        for placed in unmatched_old:
            path = self._path(placed.tier.name, placed.service.name)
            self._add(
                placed.tier.name,
                (1, placed.position),
                self._change(
                    "released",
                    path,
                    str(placed.service.port),
                    "",
                    f"{placed.tier.name}/{placed.service.name}: released {placed.service.port}",
                ),
            )

    def _same_service(self, before: _Placed, after: _Placed) -> None:
        old, new, tier = before.service, after.service, after.tier.name
        if old.port != new.port:
            self._add(
                tier,
                (0, after.position),
                self._change(
                    "moved",
                    self._path(tier, new.name),
                    str(old.port),
                    str(new.port),
                    f"{tier}/{new.name}: {old.port} → {new.port}",
                ),
            )
        self._details(before, after)

    def _details(self, before: _Placed, after: _Placed) -> None:
        """Protocol and description changes of a service matched by name."""
        old, new, tier = before.service, after.service, after.tier.name
        path, key = self._path(tier, new.name), (0, after.position)
        if old.protocol != new.protocol:
            self._add(
                tier,
                key,
                self._change(
                    "protocol",
                    path,
                    old.protocol,
                    new.protocol,
                    f"{tier}/{new.name}: protocol {old.protocol} → {new.protocol} ({new.port})",
                ),
            )
        if old.description != new.description:
            self._add(
                tier,
                key,
                self._change(
                    "description",
                    path,
                    old.description,
                    new.description,
                    f"{tier}/{new.name}: description {_quoted(old.description)} → "
                    f"{_quoted(new.description)}",
                ),
            )

    def _tier_moves(
        self, olds: list[_Placed], news: list[_Placed]
    ) -> tuple[list[_Placed], list[_Placed]]:
        old_names = Counter(placed.service.name for placed in olds)
        new_names = Counter(placed.service.name for placed in news)
        movable = {
            name for name, count in old_names.items() if count == 1 and new_names.get(name) == 1
        }
        if not movable:
            return olds, news
        before = {placed.service.name: placed for placed in olds if placed.service.name in movable}
        for after in news:
            name = after.service.name
            if name not in movable:
                continue
            was = before[name]
            old_place = f"{was.service.port} ({was.tier.name})"
            new_place = f"{after.service.port} ({after.tier.name})"
            self._add(
                after.tier.name,
                (0, after.position),
                self._change(
                    "moved",
                    self._path(after.tier.name, name),
                    old_place,
                    new_place,
                    f"{name}: {old_place} → {new_place}",
                ),
            )
            self._details(was, after)
        return (
            [placed for placed in olds if placed.service.name not in movable],
            [placed for placed in news if placed.service.name not in movable],
        )

    def _renames(
        self, olds: list[_Placed], news: list[_Placed]
    ) -> tuple[list[_Placed], list[_Placed]]:
        def key(placed: _Placed) -> tuple[str, int, str]:
            return placed.tier.name, placed.service.port, placed.service.protocol

        old_keys = Counter(key(placed) for placed in olds)
        new_keys = Counter(key(placed) for placed in news)
        renamable = {k for k, count in old_keys.items() if count == 1 and new_keys.get(k) == 1}
        if not renamable:
            return olds, news
        before = {key(placed): placed for placed in olds if key(placed) in renamable}
        for after in news:
            if key(after) not in renamable:
                continue
            was = before[key(after)]
            tier, port = after.tier.name, after.service.port
            self._add(
                tier,
                (0, after.position),
                self._change(
                    "renamed",
                    self._path(tier, after.service.name),
                    was.service.name,
                    after.service.name,
                    f"{tier}/{was.service.name} → {after.service.name} ({port})",
                ),
            )
            self._details(was, after)
        return (
            [placed for placed in olds if key(placed) not in renamable],
            [placed for placed in news if key(placed) not in renamable],
        )
