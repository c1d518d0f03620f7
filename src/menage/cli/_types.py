"""Click parameter types for sizes and durations, with translated errors."""

from __future__ import annotations

from typing import Any

import click

from menage.i18n import _
from menage.units import AGE_SYNTAX, BadValue, format_age, parse_age, parse_size


def age_help(text: str) -> str:
    """A help text that shows the one duration syntax (``text`` holds ``{syntax}``)."""
    return text.format(syntax=_(AGE_SYNTAX))


def age_default(text: str) -> str:
    """A default duration as the help shows it: « 3 ans » / ``3 years``."""
    return format_age(parse_age(text))


class SizeType(click.ParamType[int]):
    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_size(str(value))
        except BadValue as exc:
            self.fail(exc.message, param, ctx)


class AgeType(click.ParamType[float]):
    name = "age"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        try:
            return parse_age(str(value))
        except BadValue as exc:
            self.fail(exc.message, param, ctx)


SIZE = SizeType()
AGE = AgeType()
