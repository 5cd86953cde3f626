"""The planner's editing dialogs; each returns a typed request, or None when cancelled."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import get_args

from textual.validation import Function, Integer, ValidationResult, Validator
from textual.widgets import Select

from portplan.fields import Protocol
from portplan.model import MAX_PORT, PortRange, TierRef
from portplan.tui.modals.form import Field, FormDialog, FormError
from portplan.tui.preview import RenderedPreview


class PortRangeText(Validator):
    def validate(self, value: str) -> ValidationResult:
        try:
            PortRange.parse(value)
        except ValueError as error:
            return self.failure(str(error))
        return self.success()


def port_validators() -> list[Validator]:
    return [
        Integer(
            minimum=1,
            maximum=MAX_PORT,
            failure_description=f"a port is a whole number 1-{MAX_PORT}",
        )
    ]


def protocol_field(value: str) -> Field:
    return Field("protocol", "Protocol", value, choices=[(p, p) for p in get_args(Protocol)])


def name_validators(taken: Collection[str]) -> list[Validator]:
    return [
        Function(lambda value: bool(value.strip()), "a name cannot be empty"),
        Function(lambda value: value not in taken, "that name is already used here"),
    ]


@dataclass(frozen=True)
class ReserveRequest:
    name: str
    description: str
    port: int
    protocol: str = "tcp"


class ReserveDialog(FormDialog[ReserveRequest]):
    def __init__(
        self,
        home: str,
        suggested: int | None,
        taken_names: Collection[str],
        preview: Callable[[ReserveRequest], RenderedPreview],
    ) -> None:
        super().__init__(
            f"Reserve a port in {home}",
            [
                Field("name", "Service name", validators=name_validators(taken_names)),
                Field("description", "Description"),
                Field(
                    "port",
                    "Port (suggested: the first free port that raises no finding)",
                    "" if suggested is None else str(suggested),
                    validators=port_validators(),
                ),
                protocol_field("tcp"),
            ],
            "Reserve",
            preview=preview,
        )

    preview_fields = ("port",)

    def build(self, values: dict[str, str]) -> ReserveRequest:
        return ReserveRequest(
            values["name"], values["description"], int(values["port"]), values["protocol"]
        )

    def build_for_preview(self, values: dict[str, str]) -> ReserveRequest:
        # The port decides the findings; a blank name must not hide the preview.
        return ReserveRequest(
            values["name"].strip() or "new service",
            values["description"],
            int(values["port"]),
            values["protocol"],
        )


@dataclass(frozen=True)
class MoveRequest:
    port: int
    home: TierRef


class MoveDialog(FormDialog[MoveRequest]):
    def __init__(
        self,
        service: str,
        port: int,
        home: TierRef,
        homes: Sequence[TierRef],
        preview: Callable[[MoveRequest], RenderedPreview],
        tier_of: Callable[[int], TierRef | None] = lambda port: None,
    ) -> None:
        self.homes = list(homes)
        # The tier of the service's project whose range holds a port, if one does.
        self.tier_of = tier_of
        super().__init__(
            f"Move {service}",
            [
                Field("port", "New port", str(port), validators=port_validators()),
                Field(
                    "home",
                    "Home tier",
                    str(self.homes.index(home)),
                    choices=[(str(ref), str(i)) for i, ref in enumerate(self.homes)],
                ),
            ],
            "Move",
            preview=preview,
        )

    def field_typed(self, field_id: str, value: str) -> None:
        """A port typed in another tier's range makes that tier the home, as `m` on the map
        does; a home chosen by hand stays until the port moves into another tier."""
        if field_id != "port":
            return
        try:
            home = self.tier_of(int(value))
        except ValueError:
            return
        if home is not None and home in self.homes:
            self.query_one("#home", Select).value = str(self.homes.index(home))

    def build(self, values: dict[str, str]) -> MoveRequest:
        return MoveRequest(int(values["port"]), self.homes[int(values["home"])])


@dataclass(frozen=True)
class ServiceText:
    name: str
    description: str
    protocol: str


class EditServiceDialog(FormDialog[ServiceText]):
    def __init__(
        self, name: str, description: str, protocol: str, taken_names: Collection[str]
    ) -> None:
        super().__init__(
            f"Edit {name}",
            [
                Field(
                    "name",
                    "Service name",
                    name,
                    validators=name_validators(set(taken_names) - {name}),
                ),
                Field("description", "Description", description),
                protocol_field(protocol),
            ],
            "Save changes",
        )

    def build(self, values: dict[str, str]) -> ServiceText:
        return ServiceText(values["name"], values["description"], values["protocol"])


@dataclass(frozen=True)
class RangedItem:
    """A tier or project as the dialog edits it."""

    name: str
    description: str
    ports: PortRange


class RangedItemDialog(FormDialog[RangedItem]):
    def __init__(
        self,
        title: str,
        submit: str,
        item: RangedItem | None,
        taken_names: Collection[str],
        preview: Callable[[RangedItem], RenderedPreview],
    ) -> None:
        name = item.name if item else ""
        super().__init__(
            title,
            [
                Field("name", "Name", name, validators=name_validators(set(taken_names) - {name})),
                Field("description", "Description", item.description if item else ""),
                Field(
                    "ports",
                    "Port range (A-B)",
                    str(item.ports) if item else "",
                    placeholder="16000-16999",
                    validators=[PortRangeText()],
                ),
            ],
            submit,
            preview=preview,
        )

    def build(self, values: dict[str, str]) -> RangedItem:
        try:
            ports = PortRange.parse(values["ports"])
        except ValueError as error:
            raise FormError(str(error)) from None
        return RangedItem(values["name"], values["description"], ports)


class RebaseDialog(FormDialog[int]):
    """A new start port for a project or tier; everything inside keeps its offset."""

    def __init__(self, target: str, start: int, preview: Callable[[int], RenderedPreview]) -> None:
        super().__init__(
            f"Rebase {target}",
            [
                Field(
                    "start",
                    f"New start port (now {start}); every tier and service keeps its offset",
                    str(start),
                    validators=port_validators(),
                )
            ],
            "Rebase",
            preview=preview,
        )

    def build(self, values: dict[str, str]) -> int:
        return int(values["start"])


class FoldersDialog(FormDialog[list[str]]):
    """A project's `paths`, one field a folder and one more to add one; a field emptied
    drops its folder. The folders change no finding, so there is no preview."""

    HELP = (
        "The folders `portplan scan` and `apply` look in for this project's Compose, .env "
        "and Kubernetes files, relative to the plan file. Empty a field to drop its folder; "
        "type in the last one to add a folder. Undo (u) takes the change back."
    )

    def __init__(self, project: str, folders: Sequence[str]) -> None:
        fields = [
            Field(f"folder-{number}", f"Folder {number + 1}", folder)
            for number, folder in enumerate(folders)
        ]
        fields.append(Field("folder-new", "Add a folder", placeholder="type a folder to add it"))
        super().__init__(
            f"Folders of {project}",
            fields,
            "Save folders",
            intro="Where scan and apply look for this project's files (relative to the plan).",
        )

    def build(self, values: dict[str, str]) -> list[str]:
        folders: list[str] = []
        for spec in self.fields:
            folder = values[spec.id].strip()
            if folder in folders:
                raise FormError(f"{folder} is listed twice")
            if folder:
                folders.append(folder)
        return folders
