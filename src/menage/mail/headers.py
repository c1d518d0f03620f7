"""Headers to metadata: robust against malformed headers, wrong encodings and missing fields.

Over IMAP only the fields in :data:`FIELDS` are fetched; locally the same fields are
read from the message. Whatever the bytes, parsing never fails: undecodable encoded
words fall back to the raw text with replacement characters, a bad date becomes no
date, and each oddity is noted as a defect.
"""

from __future__ import annotations

import binascii
import calendar
import functools
import hashlib
import re
from datetime import datetime
from email import errors as email_errors
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from menage.mail.model import Attachment, MessageMeta, MessageRef, Unsubscribe, frozen

#: ESP (e-mail service provider) headers that mark bulk mail
ESP_FIELDS = (
    "FEEDBACK-ID",
    "X-SG-EID",
    "X-MAILCHIMP-CAMPAIGN",
    "X-MC-USER",
    "X-MAILGUN-TAG",
    "X-CAMPAIGN",
    "X-CSA-COMPLAINTS",
)
#: the only header fields fetched over IMAP (BODY.PEEK[HEADER.FIELDS (...)])
FIELDS = (
    "FROM",
    "TO",
    "CC",
    "SUBJECT",
    "DATE",
    "MESSAGE-ID",
    "LIST-ID",
    "LIST-UNSUBSCRIBE",
    "LIST-UNSUBSCRIBE-POST",
    "PRECEDENCE",
    "AUTO-SUBMITTED",
    *ESP_FIELDS,
)
_ESP_KEYS = frozenset(field.lower() for field in ESP_FIELDS)
#: fields hashed to recognise a message (and duplicates) without its Message-ID
HASHED = ("from", "to", "cc", "subject", "date", "message-id")

_parser = BytesHeaderParser(policy=policy.compat32)
_ANGLE = re.compile(r"<([^>]*)>")


def text(value: object) -> str:
    """A header value as readable text: encoded words decoded, never an exception."""
    if value is None:
        return ""
    raw = str(value)
    if "=?" not in raw:
        # no encoded word: only undecodable bytes (surrogates) need replacing
        if raw.isascii():
            return raw
        return raw.encode("utf-8", "replace").decode("utf-8").replace("\ufffd", "?")
    return _decoded(raw)


#: a value that is exactly one encoded word (RFC 2047) in a common charset: decoded here
#: as :func:`email.header.decode_header` and ``make_header`` do, at a fraction of the cost
_ONE_WORD = re.compile(r"=\?([A-Za-z0-9_.:-]+)\?([QqBb])\?([^?\s]*)\?=", re.ASCII)
_QUOTED = re.compile(rb"=([a-fA-F0-9]{2})")
_FAST_CHARSETS = frozenset(
    ("utf-8", "us-ascii", "iso-8859-1", "iso-8859-15", "windows-1252", "latin-1")
)


def _one_word(raw: str) -> str | None:
    if not raw.isascii():
        return None
    found = _ONE_WORD.fullmatch(raw)
    if found is None:
        return None
    charset, kind, encoded = found.groups()
    charset = charset.lower()
    if charset not in _FAST_CHARSETS:
        return None
    data = encoded.encode("ascii")
    try:
        if kind in "Qq":
            data = _QUOTED.sub(lambda m: bytes((int(m.group(1), 16),)), data.replace(b"_", b" "))
        else:
            data = binascii.a2b_base64(data + b"==="[: (4 - len(data) % 4) % 4])
        return data.decode(charset)
    except (binascii.Error, UnicodeError):
        return None  # the slow path says what the email package makes of it


@functools.lru_cache(maxsize=4096)
def _decoded(raw: str) -> str:
    """Encoded words decoded (senders' names and list subjects repeat: cached)."""
    decoded = _one_word(raw)
    if decoded is None:
        try:
            decoded = str(make_header(decode_header(raw)))
        except (
            UnicodeError,
            LookupError,
            ValueError,
            AssertionError,
            TypeError,
            email_errors.MessageError,
        ):
            decoded = raw
    # surrogates from undecodable 8-bit bytes would break JSON and HTML
    return decoded.encode("utf-8", "replace").decode("utf-8").replace("\ufffd", "?")


def _norm(value: str) -> str:
    # str.split() and the regular expression \s agree on what whitespace is
    return " ".join(value.split()).lower()


def header_hash(headers: Headers) -> str:
    """A short hash of the normalised identifying headers."""
    return _hash_texts({name: text(headers.get(name, "")) for name in HASHED})


_HASH_TEMPLATE = "".join(f"{name}:%s\n" for name in HASHED)


def _hash_texts(texts: dict[str, str]) -> str:
    # one update of the whole text: the same digest as one update per piece (each value
    # lowered alone: Greek final sigma makes lower() depend on what precedes)
    joined = _HASH_TEMPLATE % tuple(" ".join(texts[name].split()).lower() for name in HASHED)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24]


#: ``Name <local@domain>`` or ``local@domain`` in the plain forms parseaddr reads the
#: same way; anything else goes to parseaddr
_PLAIN_ADDRESS = re.compile(
    r"\s*(?:([\w' -]*?)\s*<([\w+-]+(?:\.[\w+-]+)*@[\w-]+(?:\.[\w-]+)*)>"
    r"|([\w+-]+(?:\.[\w+-]+)*@[\w-]+(?:\.[\w-]+)*))\s*",
    re.ASCII,
)
_PLAIN_DATE = re.compile(
    r"(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) "
    r"(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)",
    re.ASCII,
)
_MONTHS = {
    m: k
    for k, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}


#: each day's midnight (UTC) by its (year, month, day) as the Date header writes them
_DAYS: dict[tuple[str, str, str], int] = {}


def _address(value: str) -> tuple[str, str]:
    """(name, address) as :func:`email.utils.parseaddr` gives them."""
    plain = _PLAIN_ADDRESS.fullmatch(value)
    if plain is not None:
        if plain.group(3) is not None:
            return "", plain.group(3)
        return " ".join(plain.group(1).split()), plain.group(2)
    return parseaddr(value)


def _timestamp(value: str) -> float:
    """A Date header as a timestamp, as ``parsedate_to_datetime(value).timestamp()``.

    Raises:
        TypeError, ValueError, IndexError, OverflowError: not a date.
    """
    plain = _PLAIN_DATE.fullmatch(value)
    # -0000 means "local time unknown": parsedate_to_datetime gives a naive datetime
    if (
        plain is not None
        and plain.group(2) in _MONTHS
        and plain.group(7, 8, 9) != ("-", "00", "00")
        and plain.group(3)[0] != "0"  # parsedate reads 0000-0099 as 2000-2099
    ):
        d, month, y, hh, mm, ss, sign, zh, zm = plain.groups()
        day = _DAYS.get((y, month, d))
        if day is None:  # each day worked out (and checked) once
            moment = datetime(int(y), _MONTHS[month], int(d))
            day = calendar.timegm(moment.timetuple())
            if len(_DAYS) > 100_000:
                _DAYS.clear()
            _DAYS[(y, month, d)] = day
        hour, minute, second = int(hh), int(mm), int(ss)
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError(value)  # as datetime() would
        offset = (int(zh) * 3600 + int(zm) * 60) * (-1 if sign == "-" else 1)
        return float(day + hour * 3600 + minute * 60 + second - offset)
    return parsedate_to_datetime(value).timestamp()


def parse_unsubscribe(value: str, post: str) -> Unsubscribe | None:
    """``List-Unsubscribe`` (RFC 2369) and ``List-Unsubscribe-Post`` (RFC 8058)."""
    if not value:
        return None
    http = mailto = None
    for target in _ANGLE.findall(value) or [value.strip()]:
        target = target.strip()
        lower = target.lower()
        if lower.startswith("https://") and http is None:
            http = target
        elif lower.startswith("http://") and http is None:
            http = target
        elif lower.startswith("mailto:") and mailto is None:
            mailto = target
    if http is None and mailto is None:
        return None
    # RFC 8058: one-click only over HTTPS, and only when the Post header says so
    one_click = (
        http is not None
        and http.lower().startswith("https://")
        and "list-unsubscribe=one-click" in post.replace(" ", "").lower()
    )
    return Unsubscribe(one_click=one_click, http=http, mailto=mailto)


class QuickHeaders:
    """Well-formed ASCII header fields, read without the ``email`` parser: the values
    are those :class:`email.message.Message` (compat32) gives for the same bytes."""

    __slots__ = ("defects", "fields")

    def __init__(self, fields: dict[str, str]) -> None:
        #: each field's value by its lower-case name (the first one of a name)
        self.fields = fields
        self.defects: list[object] = []

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.fields.get(name.lower(), default)


Headers = Message | QuickHeaders
#: a block of plain fields: ``Name: value`` lines, each with its continuation lines
#: (unambiguous: the value starts after all the blanks, so a line that is not plain
#: fails at once, without backtracking over the fields before it)
_FIELD = (
    r"([\x21-\x39\x3b-\x7e]+):[ \t]*"
    r"((?:[^ \t\r\n][^\r\n]*)?(?:\r\n[ \t][^\r\n]*)*)(?:\r\n|\Z)"
)
_BLOCK = re.compile(f"(?:{_FIELD})*")
_FIELDS = re.compile(_FIELD)


def _quick(raw: bytes) -> QuickHeaders | None:
    """The fields when every line is plain (ASCII, CRLF, ``Name: value`` or a
    continuation), up to the first empty line; None for anything the ``email`` parser
    must judge. Checked and cut by two regular expressions, not line by line."""
    if not raw.isascii():
        return None
    data = raw.decode("ascii")
    crlf = data.count("\r\n")
    if data.count("\n") != crlf or data.count("\r") != crlf:
        return None
    if data.startswith("\r\n"):
        return QuickHeaders({})
    end = data.find("\r\n\r\n")
    block = data if end < 0 else data[: end + 2]
    if _BLOCK.fullmatch(block) is None:
        return None
    # the first field of a name counts: assigned last, going backwards
    return QuickHeaders({name.lower(): value for name, value in reversed(_FIELDS.findall(block))})


def parse_headers(raw: bytes) -> Headers:
    """Header fields: the quick way when they are plain, else the ``email`` parser
    (which notes each defect)."""
    quick = _quick(raw)
    return quick if quick is not None else _parser.parsebytes(raw)


def meta_from_headers(
    headers: Headers,
    *,
    folder: str,
    size: int,
    seen: bool,
    uidvalidity: int | None = None,
    uid: int | None = None,
    key: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    fallback_time: float | None = None,
) -> MessageMeta:
    """The metadata of one message from its (parsed) headers and what the store says."""
    defects = [type(d).__name__ for d in headers.defects]
    if isinstance(headers, QuickHeaders):
        # plain fields: their values as they are, decoded only where an encoded word is
        fields = headers.fields

        def field(name: str) -> str:
            value = fields.get(name)
            if value is None:
                return ""
            return value if "=?" not in value else text(value)

        esp = not _ESP_KEYS.isdisjoint(fields)
    else:
        parsed = headers

        def field(name: str) -> str:
            return text(parsed.get(name, ""))

        esp = any(headers.get(name) is not None for name in ESP_FIELDS)
    texts = {name: field(name) for name in HASHED}
    name, address = _address(texts["from"])
    if not address:
        pairs = getaddresses([field("sender")])
        name, address = pairs[0] if pairs else ("", "")
    if not address:
        defects.append("NoSender")
    message_id_raw = texts["message-id"].strip()
    found = _ANGLE.search(message_id_raw)
    message_id = (found.group(1) if found else message_id_raw) or None
    if message_id is None:
        defects.append("NoMessageId")
    date_text = texts["date"].strip() or None
    timestamp: float | None = None
    if date_text:
        try:
            timestamp = _timestamp(date_text)
        except (TypeError, ValueError, IndexError, OverflowError):
            defects.append("BadDate")
    if timestamp is None:
        timestamp = fallback_time
    list_id_raw = field("list-id").strip()
    list_found = _ANGLE.search(list_id_raw)
    list_id = (list_found.group(1) if list_found else list_id_raw) or None
    unsub_raw = field("list-unsubscribe")
    unsubscribe = (
        parse_unsubscribe(unsub_raw, field("list-unsubscribe-post")) if unsub_raw else None
    )
    precedence = _norm(field("precedence"))
    auto = _norm(field("auto-submitted"))
    bulk = bool(unsubscribe or list_id or precedence in ("bulk", "list", "junk") or esp)
    ref = frozen(
        MessageRef,
        {
            "folder": folder,
            "uidvalidity": uidvalidity,
            "uid": uid,
            "key": key,
            "message_id": message_id,
            "size": size,
            "date": date_text,
            "header_hash": _hash_texts(texts),
        },
    )
    return frozen(
        MessageMeta,
        {
            "ref": ref,
            "sender": address.strip().lower(),
            "sender_name": name.strip(),
            "subject": texts["subject"].strip(),
            "timestamp": timestamp,
            "seen": seen,
            "list_id": list_id,
            "unsubscribe": unsubscribe,
            "bulk": bulk,
            "auto_submitted": auto not in ("", "no"),
            "attachments": attachments,
            "defects": tuple(defects),
        },
    )
