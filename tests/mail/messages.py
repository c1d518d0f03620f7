"""Messages for the mail tests and the benchmark: real ones and generated ones.

Real messages come from the Python standard library's own test data
(``test.test_email``'s ``data/msg_*.txt``): multipart, encoded words, odd charsets,
broken MIME. Generated ones cover what mailboxes are made of: newsletters with their
list headers, receipts with a PDF, personal mail, and big attachments. Everything is
deterministic for a given seed.
"""

from __future__ import annotations

import base64
import mailbox
import random
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path


def stdlib_data_dir() -> Path | None:
    """The folder of real messages shipped with CPython's tests, if this build has it."""
    import importlib

    try:
        package = importlib.import_module("test.test_email")
    except ImportError:
        return None
    folder = Path(str(package.__file__)).parent / "data"
    return folder if folder.is_dir() else None


def stdlib_messages() -> list[tuple[str, bytes]]:
    folder = stdlib_data_dir()
    if folder is None:
        return []
    return [(p.name, p.read_bytes()) for p in sorted(folder.glob("msg_*.txt"))]


def _crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def _date(when: datetime) -> str:
    return format_datetime(when)


def _filler(rng: random.Random, size: int) -> str:
    words = ("ménage", "boîte", "lettre", "offre", "semaine", "numérique", "sobriété", "data")
    out: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(words)
        out.append(word)
        length += len(word) + 1
    lines = [" ".join(out[i : i + 12]) for i in range(0, len(out), 12)]
    return "\n".join(lines)


def newsletter(
    sender: str = "news@lettres.example.com",
    n: int = 0,
    when: datetime | None = None,
    one_click: bool = True,
    size: int = 20_000,
    rng: random.Random | None = None,
    esp: bool = True,
) -> bytes:
    """A bulk message with List-Unsubscribe (and -Post for RFC 8058 one-click)."""
    rng = rng or random.Random(n)
    when = when or datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=n)
    domain = sender.split("@")[1]
    post = "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n" if one_click else ""
    extra = "Feedback-ID: 1234:campaign:esp\nX-Mailchimp-Campaign: c{n}\n" if esp else ""
    html = "<html><body><p>" + _filler(rng, size) + "</p></body></html>"
    return _crlf(
        f"From: La Lettre <{sender}>\n"
        f"To: alice@example.org\n"
        f"Subject: =?utf-8?q?La_lettre_n=C2=B0{n}?=\n"
        f"Date: {_date(when)}\n"
        f"Message-ID: <nl-{n}-{rng.getrandbits(32)}@{domain}>\n"
        f"List-Id: La Lettre <lettre.{domain}>\n"
        f"List-Unsubscribe: <https://{domain}/unsub?u={n}>, <mailto:unsub@{domain}?subject=unsub>\n"
        f"{post}"
        f"Precedence: bulk\n"
        f"{extra}"
        "MIME-Version: 1.0\n"
        'Content-Type: text/html; charset="utf-8"\n'
        "Content-Transfer-Encoding: 8bit\n"
        "\n"
        f"{html}\n"
    )


def _attachment_part(name: str, content_type: str, size: int, rng: random.Random) -> str:
    raw = rng.randbytes(size)
    body = base64.encodebytes(raw).decode("ascii")
    return (
        f'Content-Type: {content_type}; name="{name}"\n'
        f'Content-Disposition: attachment; filename="{name}"\n'
        "Content-Transfer-Encoding: base64\n\n"
        f"{body}"
    )


def with_attachment(
    sender: str = "bob@example.net",
    n: int = 0,
    size: int = 2_000_000,
    name: str = "photos.zip",
    content_type: str = "application/zip",
    when: datetime | None = None,
    rng: random.Random | None = None,
    subject: str = "Les photos",
) -> bytes:
    rng = rng or random.Random(n)
    when = when or datetime(2019, 6, 1, tzinfo=UTC) + timedelta(days=n)
    return _crlf(
        f"From: Bob <{sender}>\n"
        "To: alice@example.org\n"
        f"Subject: {subject}\n"
        f"Date: {_date(when)}\n"
        f"Message-ID: <att-{n}-{rng.getrandbits(32)}@example.net>\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="=b="\n\n'
        "--=b=\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Voici les fichiers.\n"
        "--=b=\n"
        f"{_attachment_part(name, content_type, size, rng)}"
        "--=b=--\n"
    )


def receipt(n: int = 0, when: datetime | None = None, rng: random.Random | None = None) -> bytes:
    rng = rng or random.Random(n)
    when = when or datetime(2023, 3, 1, tzinfo=UTC) + timedelta(days=n)
    message = with_attachment(
        "commandes@boutique.example.fr",
        n,
        size=rng.randint(30_000, 120_000),
        name=f"facture-{n}.pdf",
        content_type="application/pdf",
        when=when,
        rng=rng,
        subject=f"Votre commande {n}",
    )
    # receipts are automatic: RFC 3834
    return message.replace(b"MIME-Version", b"Auto-Submitted: auto-generated\r\nMIME-Version", 1)


def personal(
    sender: str = "claire@example.org",
    n: int = 0,
    when: datetime | None = None,
    rng: random.Random | None = None,
    size: int = 3_000,
) -> bytes:
    rng = rng or random.Random(n)
    when = when or datetime(2022, 5, 1, tzinfo=UTC) + timedelta(hours=n)
    return _crlf(
        f"From: Claire <{sender}>\n"
        "To: alice@example.org\n"
        f"Subject: Re: nouvelles {n}\n"
        f"Date: {_date(when)}\n"
        f"Message-ID: <p-{n}-{rng.getrandbits(32)}@example.org>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        f"{_filler(rng, size)}\n"
    )


def mailbox_mix(
    count: int, seed: int = 0, end: datetime | None = None
) -> Iterator[tuple[bytes, bool]]:
    """``count`` messages in a realistic mix, each with whether it was read.

    About 45% newsletters (rarely read), 39% personal mail, 15% receipts, 1% with a
    big attachment (0.3 to 4 MB): bodies and attachments are well over 95% of the bytes.
    """
    rng = random.Random(seed)
    senders = [f"news{k}@lettre{k}.example.com" for k in range(40)]
    friends = [f"ami{k}@example.org" for k in range(60)]
    start = (end or datetime.now(UTC)) - timedelta(days=365 * 10)
    for n in range(count):
        when = start + timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 10))
        roll = rng.random()
        if roll < 0.45:
            size = int(rng.lognormvariate(10.3, 0.5))  # ~30 kB
            yield newsletter(rng.choice(senders), n, when, rng=rng, size=size), rng.random() < 0.1
        elif roll < 0.84:
            size = int(rng.lognormvariate(8.5, 0.8))  # ~5 kB
            yield personal(rng.choice(friends), n, when, rng=rng, size=size), rng.random() < 0.9
        elif roll < 0.99:
            yield receipt(n, when, rng=rng), rng.random() < 0.5
        else:
            size = rng.randint(300_000, 4_000_000)
            yield with_attachment(rng.choice(friends), n, size, when=when, rng=rng), True


def write_mbox(path: Path, raws: Iterable[bytes]) -> Path:
    """An mbox file at ``path`` holding ``raws``, in that order."""
    box = mailbox.mbox(path)
    for raw in raws:
        box.add(raw)
    box.flush()
    box.close()
    return path
