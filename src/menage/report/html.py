"""The HTML report of a scan: one self-contained page (``templates/scan.html``).

No JavaScript and no external resource: the CSS and the SVG charts are inline, so the
file works offline, can be mailed and prints well. Every chart is followed by a table
of the same numbers. Long lists are cut (the JSON and CSV outputs hold everything).
File names are shown escaped (:func:`menage.files.names.escape`) and the template
autoescapes, so a hostile name is text, never markup. What the page shows is
prepared by :mod:`menage.report.scan_view`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import jinja2
import markupsafe

from menage.errors import OutputNotWritten, ReportNotWritten
from menage.files.index import ScanRecord
from menage.files.result import ScanResult
from menage.i18n import _, format_number, format_percent, format_size, ngettext
from menage.output import check_output, write_output
from menage.report.scan_view import scan_context

TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # the callables read the current language when called: one environment serves both
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_, ngettext=ngettext, newstyle=True
    )
    env.filters.update(
        number=format_number, size=format_size, percent=format_percent, path=breakable_path
    )
    return env


def breakable_path(path: object) -> markupsafe.Markup:
    """A path that a narrow screen may wrap after each ``/``, not inside a name.

    The report's CSS wraps inside a name only when one name alone is wider than the screen.
    """
    return markupsafe.Markup("/<wbr>").join(
        markupsafe.escape(part) for part in str(path).split("/")
    )


def render_scan_html(result: ScanResult, history: Sequence[ScanRecord] = ()) -> str:
    """The report page of ``result`` in the current language.

    Args:
        result: the scan.
        history: earlier scans (:meth:`menage.files.index.Index.scans`); those of the
            same folders give the duplicate rate before and after.
    """
    return _environment().get_template("scan.html").render(scan_context(result, history))


def check_target(target: Path) -> None:
    """Fail before a long scan if the report could not be written to ``target``.

    Raises:
        ReportNotWritten: see :func:`menage.output.check_output`.
    """
    try:
        check_output(target)
    except OutputNotWritten as exc:
        raise ReportNotWritten(**exc.fields) from None


def write_scan_html(result: ScanResult, target: Path, history: Sequence[ScanRecord] = ()) -> None:
    """Write the self-contained HTML report of ``result`` to ``target`` by the rules
    of :mod:`menage.output` (a regular file is replaced atomically, a device or FIFO
    written in place, ``-`` is standard output), creating its folder if needed.

    Raises:
        ReportNotWritten: the file or its folder cannot be written (permissions, no
            space left); an existing report is left as it was.
    """
    page = render_scan_html(result, history).encode("utf-8")
    try:
        write_output(target, page)
    except OutputNotWritten as exc:
        raise ReportNotWritten(**exc.fields) from None
