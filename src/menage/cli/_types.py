"""Click parameter types for sizes and durations, with translated errors."""

from __future__ import annotations

from typing import Any

import click

from menage.units import BadValue, parse_age, parse_size


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
