"""Headers to metadata: robust against malformed headers, wrong encodings and missing fields.

Over IMAP only the fields in :data:`FIELDS` are fetched; locally the same fields are
read from the message. Whatever the bytes, parsing never fails: undecodable encoded
words fall back to the raw text with replacement characters, a bad date becomes no
date, and each oddity is noted as a defect.
"""

from __future__ import annotations

import hashlib
import re
from email import errors as email_errors
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from menage.mail.model import Attachment, MessageMeta, MessageRef, Unsubscribe

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
#: fields hashed to recognise a message (and duplicates) without its Message-ID
HASHED = ("from", "to", "cc", "subject", "date", "message-id")

_parser = BytesHeaderParser(policy=policy.compat32)
_ANGLE = re.compile(r"<([^>]*)>")
_SPACES = re.compile(r"\s+")


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
    return _SPACES.sub(" ", value).strip().lower()


def header_hash(headers: Message) -> str:
    """A short hash of the normalised identifying headers."""
    digest = hashlib.sha256()
    for name in HASHED:
        digest.update(name.encode())
        digest.update(b":")
        digest.update(_norm(text(headers.get(name, ""))).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()[:24]


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


def parse_headers(raw: bytes) -> Message:
    return _parser.parsebytes(raw)


def meta_from_headers(
    headers: Message,
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
    name, address = parseaddr(text(headers.get("from", "")))
    if not address:
        pairs = getaddresses([text(headers.get("sender", ""))])
        name, address = pairs[0] if pairs else ("", "")
    if not address:
        defects.append("NoSender")
    message_id_raw = text(headers.get("message-id", "")).strip()
    found = _ANGLE.search(message_id_raw)
    message_id = (found.group(1) if found else message_id_raw) or None
    if message_id is None:
        defects.append("NoMessageId")
    date_text = text(headers.get("date", "")).strip() or None
    timestamp: float | None = None
    if date_text:
        try:
            moment = parsedate_to_datetime(date_text)
            timestamp = moment.timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            defects.append("BadDate")
    if timestamp is None:
        timestamp = fallback_time
    list_id_raw = text(headers.get("list-id", "")).strip()
    list_found = _ANGLE.search(list_id_raw)
    list_id = (list_found.group(1) if list_found else list_id_raw) or None
    unsubscribe = parse_unsubscribe(
        text(headers.get("list-unsubscribe", "")), text(headers.get("list-unsubscribe-post", ""))
    )
    precedence = _norm(text(headers.get("precedence", "")))
    auto = _norm(text(headers.get("auto-submitted", "")))
    esp = any(headers.get(field) is not None for field in ESP_FIELDS)
    bulk = bool(unsubscribe or list_id or precedence in ("bulk", "list", "junk") or esp)
    ref = MessageRef(
        folder=folder,
        uidvalidity=uidvalidity,
        uid=uid,
        key=key,
        message_id=message_id,
        size=size,
        date=date_text,
        header_hash=header_hash(headers),
    )
    return MessageMeta(
        ref=ref,
        sender=address.strip().lower(),
        sender_name=name.strip(),
        subject=text(headers.get("subject", "")).strip(),
        timestamp=timestamp,
        seen=seen,
        list_id=list_id,
        unsubscribe=unsubscribe,
        bulk=bulk,
        auto_submitted=auto not in ("", "no"),
        attachments=attachments,
        defects=tuple(defects),
    )
