"""One message's metadata from its ``UID FETCH`` items (as :mod:`menage.mail.fetch`
gives them): the items asked, the INTERNALDATE, and the headers and BODYSTRUCTURE
turned into a :class:`~menage.mail.model.MessageMeta`."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from menage.mail.headers import FIELDS, meta_from_headers, parse_headers
from menage.mail.model import MessageMeta
from menage.mail.structure import from_bodystructure

HEADER_ITEM = ("BODY.PEEK[HEADER.FIELDS (" + " ".join(FIELDS) + ")]").encode()
#: what is fetched of each message: never a body, never setting \Seen
FETCH_ITEMS = [b"RFC822.SIZE", b"INTERNALDATE", b"FLAGS", b"BODYSTRUCTURE", HEADER_ITEM]


def _header_bytes(item: dict[bytes, Any]) -> bytes:
    for key, value in item.items():
        if key.startswith(b"BODY[HEADER"):
            return bytes(value or b"")
    return b""


_MONTHS = {
    month.encode(): number
    for number, month in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)
}


def internal_date(value: Any) -> float | None:
    """An INTERNALDATE (``17-Jul-1996 02:44:25 -0700``) as a timestamp; None if odd."""
    if not isinstance(value, bytes):
        return None
    try:
        day, clock, zone = value.strip().split(b" ")
        d, m, y = day.split(b"-")
        hh, mm, ss = (int(x) for x in clock.split(b":"))
        offset = (int(zone[1:3]) * 3600 + int(zone[3:5]) * 60) * (-1 if zone[:1] == b"-" else 1)
        moment = datetime(int(y), _MONTHS[m.upper()], int(d), hh, mm, ss, tzinfo=UTC)
    except (ValueError, KeyError, OverflowError):
        return None
    return moment.timestamp() - offset


def _meta(folder: str, uidvalidity: int, uid: int, item: dict[bytes, Any]) -> MessageMeta:
    flags = {f.lower() for f in item.get(b"FLAGS", ())}
    try:
        attachments = from_bodystructure(item.get(b"BODYSTRUCTURE"))
    except Exception:  # noqa: BLE001 - an odd structure loses its attachments, not the message
        attachments = ()
    meta = meta_from_headers(
        parse_headers(_header_bytes(item)),
        folder=folder,
        size=int(item.get(b"RFC822.SIZE", 0)),
        seen=b"\\seen" in flags,
        uidvalidity=uidvalidity,
        uid=uid,
        attachments=attachments,
    )
    if meta.timestamp is None:  # no usable Date: the INTERNALDATE, read only then
        meta = replace(meta, timestamp=internal_date(item.get(b"INTERNALDATE")))
    return meta
