"""A dashboard's aggregates as a table, written as CSV or as an OpenDocument spreadsheet.

The ODS file is written here with the standard library (``zipfile`` and XML escaping)
rather than with a library: it is one sheet of text and numbers, which the format
makes a zip of four small files (``mimetype`` first and stored, the manifest, the
content, the styles left to the reading program). No package in the lock writes ODS,
and the one that does (odfpy) has had no release since 2020; pulling it in for ~50
lines would add more to trust than it saves. LibreOffice and Calligra open the result,
and the tests read it back with ``zipfile`` and an XML parser.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

from menage.platform.measures.aggregates import Totals
from menage.platform.measures.dashboard import Dashboard

Cell = str | int | float | None


def table(board: Dashboard, scope: str) -> list[list[Cell]]:
    """Header, one row per group (empty figures for a hidden one), and the total row."""
    rows: list[list[Cell]] = [
        [
            _("Organisation"),
            _("Entries"),
            _("Data cleaned (bytes)"),
            _("Files"),
            _("Devices declared"),
            _("People reached at workshops"),
        ]
    ]

    def figures(name: str, t: Totals, shown: bool) -> list[Cell]:
        if not shown:
            return [name, _("fewer than {minimum} entries: not shown").format(
                minimum=board.minimum), None, None, None, None]  # fmt: skip
        return [name, t.participants, t.moved_bytes, t.moved_files, t.devices, t.people_reached]

    for group in board.groups:
        rows.append(figures(group.name, group.totals, group.totals.shown))
    rows.append(figures(_("Total: {scope}").format(scope=scope), board.totals, board.totals.shown))
    return rows


def to_csv(rows: Sequence[Sequence[Cell]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        # a cell that a spreadsheet would run as a formula is quoted as text (=, +, -, @)
        writer.writerow(
            ["'" + c if isinstance(c, str) and c[:1] in "=+-@" else ("" if c is None else c)
             for c in row]
        )  # fmt: skip
    return out.getvalue()


MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2"'
    ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def _cell(value: Cell) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'  # noqa: E501
    return (
        f'<table:table-cell office:value-type="float" office:value="{value}">'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def to_ods(rows: Sequence[Sequence[Cell]], sheet: str) -> bytes:
    """An ODS file with one sheet named ``sheet`` holding ``rows``."""
    body = "".join(
        "<table:table-row>" + "".join(_cell(c) for c in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>"
        f"<table:table table:name={quoteattr(sheet[:31])}>{body}</table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # the format asks for "mimetype" first and uncompressed, so that it can be sniffed
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
