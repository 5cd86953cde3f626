"""A dialog of labelled inputs that returns a typed result, with a live preview.

Subclasses say which fields they have and how the values become a result; the screen that
opens the dialog passes a `preview` function (through the domain's `Session.preview`) so the
dialog shows, at every keystroke, what the change would cause before it is confirmed: the
findings it adds and clears as a list that scrolls, and their count on a line that stays in
view beside the buttons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import ClassVar, Generic, TypeVar

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.validation import Validator
from textual.widgets import Button, Input, Label, Select, Static

from portplan.tui.keymap import FORM_KEYS, bindings, name_verb
from portplan.tui.labels import plain
from portplan.tui.modals.frame import Dialog
from portplan.tui.preview import RenderedPreview
from portplan.tui.widgets.steady import update_in_place, virtual_size_without_layout

T = TypeVar("T")


class FieldInput(Input, inherit_bindings=False):
    """An input whose enter is the dialog's (its footer says what enter does there)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding
        for binding in Input.BINDINGS
        if not (isinstance(binding, Binding) and binding.key == "enter")
    ]

    # A field's box never depends on its text (its width comes from the dialog, its height
    # is one line), and it scrolls its text by reading the virtual size: a repaint is enough.
    virtual_size = virtual_size_without_layout()


class PreviewList(Static):
    """The preview's findings: its height follows them, and the layout that gives it its
    height gives it its virtual size too."""

    virtual_size = virtual_size_without_layout()


@dataclass
class Field:
    id: str
    label: str
    value: str = ""
    placeholder: str = ""
    validators: Sequence[Validator] = field(default_factory=list)
    choices: Sequence[tuple[str, str]] | None = None  # a Select instead of an Input


class FormError(ValueError):
    """Values that cannot make a result; the message is shown in the dialog."""


class FormDialog(Dialog[T | None], Generic[T]):
    KEYS = FORM_KEYS
    BINDINGS: ClassVar[list[BindingType]] = bindings(FORM_KEYS)
    HELP = (
        "Type in the fields; tab goes to the next one. The list below them shows, as you "
        "type, the findings the change would add (+) and clear (−), and the line above the "
        "buttons counts them. Nothing changes until you confirm, and every change can be "
        "undone with u."
    )

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        submit: str,
        *,
        preview: Callable[[T], RenderedPreview] | None = None,
        intro: RenderableType | None = None,
    ) -> None:
        super().__init__()
        # The footer names enter by the dialog's verb (Move, Reserve…).
        name_verb(self, "enter", submit)
        self.title_text = title
        self.fields = list(fields)
        self.submit_label = submit
        self.preview_function = preview
        self.intro = intro
        # Until the first refresh nothing has been typed: no complaints about blank fields.
        self._quiet = True
        # The result last previewed, and its preview.
        self._shown: tuple[T, RenderedPreview] | None = None
        # The problem shown under the fields ("" until the first is shown).
        self._problem: str | None = ""

    def compose_head(self) -> ComposeResult:
        yield Label(plain(self.title_text), classes="dialog-title")
        if self.intro is not None:
            intro = plain(self.intro) if isinstance(self.intro, str) else self.intro
            yield Static(intro, classes="dialog-intro")
        for spec in self.fields:
            yield Label(spec.label, classes="field-label")
            if spec.choices is not None:
                yield Select(
                    [(plain(prompt), value) for prompt, value in spec.choices],
                    value=spec.value,
                    allow_blank=False,
                    id=spec.id,
                    compact=True,
                )
            else:
                # A value filled in is selected on focus, so typing replaces it.
                yield FieldInput(
                    spec.value,
                    placeholder=spec.placeholder,
                    id=spec.id,
                    validators=list(spec.validators),
                    compact=True,
                )
        yield Static("", id="problem", classes="dialog-problem")

    def compose_body(self) -> ComposeResult:
        yield PreviewList("", id="preview", classes="dialog-preview")

    def compose_bar(self) -> ComposeResult:
        yield Static("", id="preview-count", classes="dialog-count")
        with Horizontal(classes="dialog-buttons"):
            yield Button(self.submit_label, variant="primary", id="submit", compact=True)
            yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        for widget in self.query(Input):
            widget.cursor_blink = getattr(self.app, "cursor_blink", True)
            # Watched, not heard through Input.Changed: the preview is worked out while the
            # key is handled, so the frame that shows the typed character shows its preview
            # too (a message would come after that frame, and the preview a frame later).
            self.watch(widget, "value", partial(self._typed, widget), init=False)
        self._show_problem(None)
        self._refresh_preview(quiet=True)
        self.call_after_refresh(self._end_quiet)

    def _end_quiet(self) -> None:
        self._quiet = False

    def values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for spec in self.fields:
            if spec.choices is not None:
                values[spec.id] = str(self.query_one(f"#{spec.id}", Select).value)
            else:
                values[spec.id] = self.query_one(f"#{spec.id}", Input).value
        return values

    def build(self, values: dict[str, str]) -> T:
        raise NotImplementedError

    def build_for_preview(self, values: dict[str, str]) -> T:
        """The result to preview while some fields are still blank; by default `build`."""
        return self.build(values)

    # Fields that must be valid before a preview makes sense (default: all of them).
    preview_fields: tuple[str, ...] | None = None

    def _problems(self, only: tuple[str, ...] | None = None) -> list[str]:
        problems: list[str] = []
        for spec in self.fields:
            if spec.choices is not None or (only is not None and spec.id not in only):
                continue
            value = self.query_one(f"#{spec.id}", Input).value
            for validator in spec.validators:
                result = validator.validate(value)
                if not result.is_valid:
                    problems.extend(f"{spec.label}: {d}" for d in result.failure_descriptions)
        return problems

    def _try_build(self, *, for_preview: bool = False) -> tuple[T | None, str | None]:
        if problems := self._problems(self.preview_fields if for_preview else None):
            return None, problems[0]
        try:
            build = self.build_for_preview if for_preview else self.build
            return build(self.values()), None
        except FormError as error:
            return None, str(error)

    def _refresh_preview(self, *, quiet: bool = False) -> None:
        result, problem = self._try_build(for_preview=True)
        if not quiet:
            _, problem = self._try_build() if problem is None else (None, problem)
            self._show_problem(problem)
        preview = self.query_one("#preview", Static)
        count = self.query_one("#preview-count", Static)
        adds = None
        if result is not None and self.preview_function is not None:
            # A field that follows another (the move dialog's home tier follows the port)
            # reports its change too: the same result is not previewed twice.
            if self._shown is None or self._shown[0] != result:
                self._shown = result, self.preview_function(result)
                update_in_place(preview, self._shown[1].lines)
                update_in_place(count, self._shown[1].counts)
            adds = self._shown[1].adds
        else:
            self._shown = None
            update_in_place(preview, "")
            update_in_place(count, "")
        count.display = self.preview_function is not None
        # Framed as a warning only while the change would add errors or warnings.
        frame = self.query_one("#frame")
        classes = {"-adds-errors": adds == "error", "-adds-warnings": adds == "warning"}
        if any(frame.has_class(name) != wanted for name, wanted in classes.items()):
            # No rule reaches below the frame by these classes, so only the frame is styled
            # again (a class change restyles every widget inside it: 20 ms a keystroke).
            frame.update_classes(classes, update=False)
            self.app.stylesheet.update_nodes([frame], animate=False)

    def _show_problem(self, problem: str | None) -> None:
        if problem == self._problem:
            return  # most keystrokes: an update would lay the dialog out again for nothing
        self._problem = problem
        widget = self.query_one("#problem", Static)
        widget.update(Text(f"✗ {problem}") if problem else "")
        widget.display = bool(problem)

    def _typed(self, field: Input) -> None:
        # No hold on the cyclic collector here, unlike an edit (frame_pause.py): measured
        # through the terminal, keystrokes typed as soon as the last one showed took 36 ms
        # (median) with it and 20 without.
        if field.id is not None:
            self.field_typed(field.id, field.value)
        self._refresh_preview(quiet=self._quiet)

    def field_typed(self, field_id: str, value: str) -> None:
        """A field's new value, before the preview is worked out (the move dialog's home
        tier follows the port typed)."""

    @on(Select.Changed)
    def _changed(self) -> None:
        self._refresh_preview(quiet=self._quiet)

    @on(Input.Submitted)
    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        result, problem = self._try_build()
        if result is None:
            self._show_problem(problem)
            return
        self.dismiss(result)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
