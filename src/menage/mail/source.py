"""What SOURCE names: an IMAP account (``imaps://user@host[:port]/``) or a mailbox on disk.

On disk: an mbox file, a Maildir (a folder with ``cur``/``new``/``tmp``, with nested
Maildir++ ``.Sub`` folders or nested Maildirs), or any folder holding ``.eml`` files
(and, nested, more of the above).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from menage.mail.errors import SourceInvalid


@dataclass(frozen=True)
class ImapSource:
    """An IMAP account. ``tls`` is ``implicit`` (imaps) or ``starttls`` (imap)."""

    host: str
    port: int
    user: str
    tls: str

    @property
    def account(self) -> str:
        """The account's name in the cache and in references (no password, ever)."""
        return f"imap://{self.user}@{self.host}"

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def __str__(self) -> str:
        scheme = "imaps" if self.tls == "implicit" else "imap"
        return f"{scheme}://{self.user}@{self.host}:{self.port}/"


@dataclass(frozen=True)
class LocalSource:
    path: Path

    @property
    def account(self) -> str:
        return f"file://{self.path}"

    def __str__(self) -> str:
        return str(self.path)


Source = ImapSource | LocalSource


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this computer (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos)


def parse_source(spec: str) -> Source:
    """Recognise SOURCE.

    Raises:
        SourceInvalid: neither an imap(s):// URL with a user and host, nor a path that
            exists.
    """
    if "://" in spec:
        parts = urlsplit(spec)
        scheme = parts.scheme.lower()
        if scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
            raise SourceInvalid(source=spec)
        if parts.password:
            # a password in the URL would end up in the shell history: refuse it
            raise SourceInvalid(source=spec.replace(parts.password, "***"))
        try:
            port = parts.port or (993 if scheme == "imaps" else 143)
        except ValueError as exc:
            raise SourceInvalid(source=spec) from exc
        return ImapSource(
            host=parts.hostname,
            port=port,
            user=unquote(parts.username),
            tls="implicit" if scheme == "imaps" else "starttls",
        )
    path = Path(spec).expanduser()
    if not path.exists():
        raise SourceInvalid(source=spec)
    return LocalSource(path.absolute())
