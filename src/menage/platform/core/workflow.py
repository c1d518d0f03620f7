"""Workflows as data: states, the transitions allowed between them, and a log of each step.

The pattern is les-emplois' (``transitions = ((name, sources, target), …)`` and a
transition log model): a workflow is a table, not code scattered in views, so that a
page can list what may happen next, a test can walk every path, and a refused step
says why. The equipment lifecycle uses it; measures and roadmaps can too::

    FLOW = Workflow(
        states={"draft": _("Draft"), "done": _("Done")},
        initial="draft",
        transitions=(Transition("finish", _("Finish"), ("draft",), "done"),),
    )
    FLOW.apply(item.state, "finish")          # "done", or raises TransitionRefused

A model keeps its state in a ``CharField`` and logs each step in a subclass of
:class:`TransitionLogBase` (who, when, from, to, why).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Transition:
    """One allowed step: its name, label, the states it starts from and where it leads.

    ``requires`` names the extra facts the step needs (a recipient, a channel, a
    certificate); the app that owns the workflow asks for them and checks them.
    """

    name: str
    label: Any
    sources: tuple[str, ...]
    target: str
    requires: tuple[str, ...] = ()
    help: Any = ""


class TransitionRefused(ValueError):
    """The step is not allowed from the current state (or does not exist)."""

    def __init__(self, message: str, state: str, transition: str) -> None:
        super().__init__(message)
        self.state = state
        self.transition = transition


@dataclass(frozen=True)
class Workflow:
    """States (code → label), the initial state, and the allowed transitions."""

    states: Mapping[str, Any]
    initial: str
    transitions: tuple[Transition, ...]
    final: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        # a mistake in the table is a programming error: fail when the module loads
        if self.initial not in self.states:
            raise ValueError(f"unknown initial state {self.initial!r}")
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError("duplicate transition names")
        for t in self.transitions:
            for state in (*t.sources, t.target):
                if state not in self.states:
                    raise ValueError(f"transition {t.name!r}: unknown state {state!r}")

    def transition(self, name: str) -> Transition:
        for t in self.transitions:
            if t.name == name:
                return t
        raise TransitionRefused(_("There is no step called “{name}”.").format(name=name), "", name)

    def allowed(self, state: str) -> list[Transition]:
        """The steps that may follow ``state``, in table order."""
        return [t for t in self.transitions if state in t.sources]

    def apply(self, state: str, name: str) -> str:
        """The state after step ``name`` from ``state``.

        Raises:
            TransitionRefused: unknown step, or not allowed from ``state``.
        """
        step = self.transition(name)
        if state not in step.sources:
            possible = ", ".join(str(self.states[s]) for s in step.sources)
            raise TransitionRefused(
                _("“{step}” is not possible from “{state}” (only from: {possible}).").format(
                    step=step.label, state=self.states.get(state, state), possible=possible
                ),
                state,
                name,
            )
        return step.target

    def choices(self) -> list[tuple[str, Any]]:
        """The states as choices for a model field."""
        return list(self.states.items())

    def reachable(self) -> set[str]:
        """Every state reachable from the initial one (tests check none is orphaned)."""
        seen = {self.initial}
        frontier = [self.initial]
        while frontier:
            state = frontier.pop()
            for t in self.allowed(state):
                if t.target not in seen:
                    seen.add(t.target)
                    frontier.append(t.target)
        return seen


class TransitionLogBase(models.Model):
    """One step taken: which, from and to which state, who, when and why.

    Subclasses add the foreign key to the object that moved.
    """

    transition = models.CharField(gettext_lazy("step"), max_length=40)
    from_state = models.CharField(gettext_lazy("from"), max_length=40, blank=True)
    to_state = models.CharField(gettext_lazy("to"), max_length=40)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(gettext_lazy("when"))
    note = models.TextField(gettext_lazy("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
