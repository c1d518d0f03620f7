"""The streamed UID FETCH: big ranges in one command, cut answers, odd headers in bulk."""

from __future__ import annotations

import io
import re
import socket
import ssl
import threading
from email import policy
from email.errors import MessageError
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

import pytest

from menage.mail.analyse import analyse_source
from menage.mail.errors import ConnectionLost
from menage.mail.fetch import FetchRefused, _answers, uid_set
from menage.mail.headers import _address, _timestamp, meta_from_headers, parse_headers, text
from menage.mail.imap import ImapOptions, internal_date
from tests.mail import messages

_FETCH = re.compile(rb"\* \d+ FETCH \(")


class Trickle(io.RawIOBase):
    """A stream that gives at most ``step`` bytes a read, as a slow socket does."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data = data
        self.step = step
        self.at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        piece = self.data[self.at : self.at + min(self.step, len(buffer))]
        buffer[: len(piece)] = piece
        self.at += len(piece)
        return len(piece)


class CuttingProxy:
    """IMAPS on loopback (with the test server's certificate) to Dovecot's plain port,
    passed through until the server has started its ``cut_at``-th FETCH response: then
    both sides are closed, mid-response."""

    def __init__(self, target_port: int, cut_at: int, root: Path) -> None:
        self.target = target_port
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(root / "cert.pem", root / "key.pem")
        self.cut_at = cut_at
        self.cut = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                client = self.tls.wrap_socket(client, server_side=True)
            except OSError:
                continue
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._down, args=(server, client), daemon=True).start()
            threading.Thread(target=self._up, args=(client, server), daemon=True).start()

    def _up(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass

    def _down(self, source: socket.socket, sink: socket.socket) -> None:
        seen = bytearray()
        sent = 0
        try:
            while data := source.recv(65536):
                seen += data
                starts = [m.start() for m in _FETCH.finditer(seen)]
                if self.cut.is_set() or len(starts) < self.cut_at:
                    sink.sendall(data)
                    sent += len(data)
                    continue
                end = starts[self.cut_at - 1] + 30  # into the response, not after it
                sink.sendall(bytes(seen[sent:end]))
                self.cut.set()
                break
        except OSError:
            pass
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self) -> None:
        self.listener.close()


def test_connection_cut_mid_fetch_keeps_what_arrived(account, imap_password) -> None:
    account.append("INBOX", [messages.personal(n=k, size=800) for k in range(30)])
    proxy = CuttingProxy(account.port, cut_at=13, root=account.server.root)
    try:
        with pytest.raises(ConnectionLost, match="next run resumes"):
            analyse_source(
                account.server.url("imaps", proxy.port),
                options=ImapOptions(ca_file=account.ca_pem),
            )
    finally:
        proxy.close()
    assert proxy.cut.is_set()
    # one FETCH asked for all 30; the 12 whole responses were stored before the cut
    resumed = analyse_source(account.url("imaps"), options=ImapOptions(ca_file=account.ca_pem))
    assert resumed.fetched == 18
    assert resumed.total.messages == 30  # nothing counted twice, nothing missing


def _malformed(k: int) -> bytes:
    kinds = [
        b"From: Jos\xe9 <jose@example.org>\r\nSubject: caf\xe9 latin-1\r\n",
        b"From: a@example.org\r\nthis line has no colon\r\nSubject: after it\r\n",
        b"From: =?utf-8?q?bad=ZZ?= <b@example.org>\r\nSubject: =?nope?b?////?=\r\n",
        b"From: c@example.org\r\nDate: the day after tomorrow\r\n",
        b" folded first line\r\nFrom: d@example.org\r\n",
        b"From: e@example.org\nSubject: bare LF\n",
        b"Subject: nobody\r\n",
    ]
    head = kinds[k % len(kinds)]
    return head + f"X-N: {k}\r\n\r\nbody {k}\r\n".encode()


@pytest.mark.slow
def test_malformed_headers_in_a_big_batch(account, imap_password) -> None:
    plain = [messages.newsletter(n=k) for k in range(150)]
    odd = [_malformed(k) for k in range(70)]
    account.append("INBOX", plain + odd)
    result = analyse_source(account.url("imaps"), options=ImapOptions(ca_file=account.ca_pem))
    assert result.fetched == 220
    assert result.total.messages == 220
    assert result.errors == []
    senders = {s.address for s in result.senders}
    assert {"jose@example.org", "a@example.org", "b@example.org"} <= senders
    assert len([n for n in result.newsletters if n.tally.messages]) >= 1


@pytest.mark.parametrize(
    "raw",
    [
        b"From: A <a@b.c>\r\nSubject: hello\r\n  world \r\nTo: x@y\r\nsubject: again\r\n\r\n",
        b"",
        b"\r\n",
        b"From:a@b\r\nMessage-ID: <1@x>\r\n\r\n",
        b"X-Empty:\r\n\r\n",
        b"Subject: =?utf-8?q?caf=C3=A9?=\r\nDate: Tue, 1 Dec 2026 10:00:00 +0100\r\n\r\n",
        *(_malformed(k) for k in range(7)),
    ],
)
def test_quick_headers_read_as_the_email_parser_does(raw: bytes) -> None:
    quick = meta_from_headers(parse_headers(raw), folder="F", size=1, seen=False)
    full = meta_from_headers(
        BytesHeaderParser(policy=policy.compat32).parsebytes(raw), folder="F", size=1, seen=False
    )
    assert quick == full


def test_stdlib_headers_read_as_the_email_parser_does(stdlib_messages) -> None:
    for _name, raw in stdlib_messages:
        head = raw.split(b"\n\n", 1)[0].replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        head += b"\r\n\r\n"
        quick = meta_from_headers(parse_headers(head), folder="F", size=1, seen=False)
        full = meta_from_headers(
            BytesHeaderParser(policy=policy.compat32).parsebytes(head),
            folder="F",
            size=1,
            seen=False,
        )
        assert quick == full


def test_answer_read_in_small_pieces() -> None:
    header = b"From: a@b.c\r\nSubject: {5}\r\n\r\n"
    answer = (
        b"* 3 EXISTS\r\n"
        b'* 1 FETCH (UID 7 FLAGS (\\Seen) INTERNALDATE " 7-Jul-2020 10:00:00 +0200" '
        b'RFC822.SIZE 1234 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "7bit" '
        b'10 1 NIL NIL NIL NIL)("application" "pdf" ("name" "a \\"b\\".pdf") NIL NIL "base64" '
        b'1000 NIL ("attachment" ("filename" "a.pdf")) NIL NIL) "mixed" ("boundary" "x") '
        b"NIL NIL NIL) BODY[HEADER.FIELDS (FROM SUBJECT)] {"
        + str(len(header)).encode()
        + b"}\r\n"
        + header
        + b")\r\n"
        b"* 2 FETCH (FLAGS (\\Seen))\r\n"  # unsolicited: no UID, not ours
        b"* 2 FETCH (UID 9 FLAGS () RFC822.SIZE 5 BODY[HEADER.FIELDS (FROM)] NIL)\r\n"
        b"A7 OK Fetch completed.\r\n"
        b"* 4 EXISTS\r\n"  # unsolicited, after the answer
    )
    reader = io.BufferedReader(Trickle(answer, 7), buffer_size=7)
    got = dict(_answers(reader, b"A7"))
    assert sorted(got) == [7, 9]
    first = got[7]
    assert first[b"FLAGS"] == (b"\\Seen",)
    assert first[b"RFC822.SIZE"] == 1234
    assert first[b"BODY[HEADER.FIELDS (FROM SUBJECT)]"] == header
    parts = first[b"BODYSTRUCTURE"]
    assert parts[1][2] == (b"name", b'a "b".pdf')
    assert got[9][b"FLAGS"] == ()
    # the unsolicited line is left whole for imaplib or read whole, never cut halfway
    assert reader.read() in (b"", b"* 4 EXISTS\r\n")
    assert internal_date(first[b"INTERNALDATE"]) == 1594108800.0


def test_cut_answer_is_an_end_of_file() -> None:
    answer = b"* 1 FETCH (UID 1 RFC822.SIZE 5)\r\n* 2 FETCH (UID 2 BODY[] {100}\r\nshort"
    reader = io.BufferedReader(Trickle(answer, 16), buffer_size=16)
    got = []
    with pytest.raises(EOFError):
        for uid, _item in _answers(reader, b"A1"):
            got.append(uid)
    assert got == [1]


def test_refused_fetch() -> None:
    reader = io.BufferedReader(Trickle(b"A2 BAD Error in IMAP command\r\n", 5), buffer_size=5)
    with pytest.raises(FetchRefused, match="BAD"):
        list(_answers(reader, b"A2"))


def test_uid_sets_and_dates() -> None:
    assert uid_set([5, 1, 2, 3, 3, 9, 10]) == b"1:3,5,9:10"
    assert uid_set(range(1, 5001)) == b"1:5000"
    assert internal_date(b"17-Jul-1996 02:44:25 -0700") == 837596665.0
    assert internal_date(b"31-Foo-2020 00:00:00 +0000") is None
    assert internal_date(None) is None


@pytest.mark.parametrize(
    "value",
    [
        "A B <a@b.c>",
        "a@b.c",
        "  John   Smith   <j.s+x@ex-ample.org> ",
        "O'Neil <o@x.y>",
        "x <a..b@c>",
        '"Q, R" <q@r>',
        "<a@b.c>",
        "Bob <a@b.c> (c)",
        "",
        "José <j@x.org>",
        "undisclosed-recipients:;",
        "a@b.c, d@e.f",
    ],
)
def test_quick_address_as_parseaddr(value: str) -> None:
    assert _address(value) == parseaddr(value)


@pytest.mark.parametrize(
    "value",
    [
        "Tue, 1 Dec 2026 10:00:00 +0100",
        "1 Dec 2026 10:00:00 -0730",
        "Tue, 31 Dec 1999 23:59:59 +1400",
        "Tue, 1 Dec 2026 10:00:00 GMT",
        "Tue, 1 Dec 2026 10:00:00 -0000",
        "Mon, 29 Feb 2021 10:00:00 +0000",
        "Tue, 1 Foo 2026 10:00:00 +0100",
        "Wed, 2 Dec 2026 23:00:00 +0100",
        "Wed, 2 Dec 2026 00:00:01 -0100",
        "Wed, 2 Dec 2026 24:00:00 +0000",
        "Wed, 2 Dec 2026 10:60:00 +0000",
        "Wed, 2 Dec 2026 10:00:61 +0000",
        "Wed, 31 Nov 2026 10:00:00 +0000",
        "Wed, 1 Jan 0000 10:00:00 +0000",
        "yesterday",
    ],
)
def test_quick_date_as_parsedate_to_datetime(value: str) -> None:
    try:
        expected: float | str = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError) as exc:
        expected = type(exc).__name__
    try:
        got: float | str = _timestamp(value)
    except (TypeError, ValueError, IndexError, OverflowError) as exc:
        got = type(exc).__name__
    assert got == expected


def _quick_line_by_line(raw: bytes) -> dict[str, str] | None:
    """The previous quick reader (line by line), kept as the reference of the regular
    expression one."""
    import re

    if not raw.isascii():
        return None
    data = raw.decode("ascii")
    crlf = data.count("\r\n")
    if data.count("\n") != crlf or data.count("\r") != crlf:
        return None
    fields: dict[str, str] = {}
    name = ""
    value: list[str] = []
    for line in data.split("\r\n"):
        if not line:
            break
        if line[0] in " \t":
            if not name:
                return None
            value.append(line)
            continue
        found = re.match(r"[\x21-\x39\x3b-\x7e]+:", line)
        if found is None:
            return None
        if name and name not in fields:
            fields[name] = "\r\n".join(value)
        name = line[: found.end() - 1].lower()
        value = [line[found.end() :].lstrip(" \t")]
    if name and name not in fields:
        fields[name] = "\r\n".join(value)
    return fields


def _variants(raw: bytes) -> list[bytes]:
    head = raw.split(b"\r\n\r\n", 1)[0]
    return [
        raw,
        head,
        head + b"\r\n",
        head + b"\r\n\r\n",
        head + b"\r\n \r\n\r\n",
        head.replace(b": ", b":\t \t", 2) + b"\r\n\r\n",
        head + b"\r\nSubject:   \r\n  folded only\r\n\r\n",
        head + b"\r\n: no name\r\n\r\n",
        head + b"\r\n\r\nFrom: after the blank line\r\n",
        head.replace(b"\r\n", b"\r\n\t", 1),
    ]


@pytest.mark.parametrize("k", range(7))
def test_quick_reader_as_the_line_by_line_one_on_malformed_headers(k: int) -> None:
    from menage.mail.headers import QuickHeaders, _quick

    for raw in _variants(_malformed(k)) + _variants(messages.newsletter(n=k)):
        new = _quick(raw)
        old = _quick_line_by_line(raw)
        assert (None if new is None else new.fields) == old, raw
        assert new is None or isinstance(new, QuickHeaders)


def test_quick_reader_as_the_line_by_line_one_on_real_mail(stdlib_messages) -> None:
    from menage.mail.headers import _quick

    for _name, raw in stdlib_messages:
        crlf = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        for variant in (raw, crlf, *_variants(crlf)):
            new = _quick(variant)
            assert (None if new is None else new.fields) == _quick_line_by_line(variant)


def test_quick_reader_refuses_a_bad_last_line_after_many_fields_at_once() -> None:
    from menage.mail.headers import _quick

    many = b"".join(b"X-F%d:   \t value  %d\r\n  folded\r\n" % (k, k) for k in range(300))
    assert _quick(many + b"no colon here\r\n\r\n") is None  # (backtracking would hang)
    quick = _quick(many + b"\r\n")
    assert quick is not None and quick.fields["x-f299"] == "value  299\r\n  folded"


def _text_by_the_email_package(value: str) -> str:
    try:
        decoded = str(make_header(decode_header(value)))
    except (UnicodeError, LookupError, ValueError, AssertionError, TypeError, MessageError):
        decoded = value
    return decoded.encode("utf-8", "replace").decode("utf-8").replace("\ufffd", "?")


@pytest.mark.parametrize(
    "value",
    [
        "=?utf-8?q?La_lettre_n=C2=B04?=",
        "=?UTF-8?Q?caf=C3=A9=?=",
        "=?utf-8?q?=c3=a9t=C3=A9_=3D_=5F?=",
        "=?iso-8859-1?q?caf=E9?=",
        "=?windows-1252?Q?=80_euro?=",
        "=?latin-1?b?Y2Fm6Q==?=",
        "=?utf-8?b?Y2Fmw6k=?=",
        "=?utf-8?b?Y2Fmw6k?=",
        "=?utf-8?B?Y2Fmw6?=",
        "=?utf-8?b?!!!?=",
        "=?utf-8?q?=FF=FE?=",
        "=?us-ascii?q?caf=E9?=",
        "=?utf-8?q??=",
        "=?utf-8?b??=",
        "=?x-unknown?q?abc?=",
        "=?utf-8*fr?q?abc?=",
        "=?utf-8?q?a?b?=",
        "=?utf-8?q?abc?= =?utf-8?q?def?=",
        "=?utf-8?q?abc?==?utf-8?q?def?=",
        "Name =?utf-8?q?abc?= <a@b.c>",
        " =?utf-8?q?abc?=",
        "=?utf-8?q?abc?=\r\n =?utf-8?q?d?=",
        "=?utf-8?q?café?=",
        "=?gb2312?b?1tDOxA==?=",
    ],
)
def test_encoded_words_as_the_email_package_decodes_them(value: str) -> None:
    assert text(value) == _text_by_the_email_package(value)
    assert text(value) == _text_by_the_email_package(value)  # the cached answer too


def test_header_hash_is_stable() -> None:
    # the hash finds messages again for undo: it must not change between versions
    texts = {
        "from": "Σ  Bob <B@x.org>",
        "to": "a@b.c",
        "cc": "",
        "subject": "Re:\r\n  Café ΟΔΟΣ",
        "date": "Tue, 1 Dec 2026 10:00:00 +0100",
        "message-id": "<X@Y>",
    }
    import hashlib

    from menage.mail.headers import HASHED, _hash_texts

    joined = "".join(f"{n}:{' '.join(texts[n].split()).lower()}\n" for n in HASHED)
    assert _hash_texts(texts) == hashlib.sha256(joined.encode()).hexdigest()[:24]
    assert _hash_texts(texts) == "3cf761e8128fb9fc6045f089"  # as the previous versions gave it
