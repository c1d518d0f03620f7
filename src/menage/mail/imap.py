"""Reading an IMAP account's metadata: connect safely, list folders, fetch headers only.

What goes over the wire: every folder's STATUS (with SIZE where the server has
RFC 8438) in one round trip (:mod:`menage.mail.imap_status`), then, for messages not
yet in the cache, one ``UID FETCH`` per range of 5,000 UIDs beyond the last cached one
(``1:5000``, ``5001:10000``...) of
``(RFC822.SIZE INTERNALDATE FLAGS BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (...)])``, its
answer streamed and parsed by :mod:`menage.mail.fetch`.
Folders are opened read-only (EXAMINE) and headers are PEEKed: no body is downloaded
and no message becomes read. A folder whose STATUS (UIDVALIDITY, UIDNEXT, MESSAGES,
HIGHESTMODSEQ) is unchanged since the cached analysis is not opened at all; a changed
one is asked only for flags changed since (``CHANGEDSINCE``, CONDSTORE), the UIDs
beyond the last cached one, and its UIDs only when its message count says some left.
"""

from __future__ import annotations

import imaplib
import os
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from menage.mail.cache import MailCache
from menage.mail.errors import (
    CertificateInvalid,
    ConnectFailed,
    ConnectionLost,
    InsecureRefused,
    LoginFailed,
    MailError,
    PasswordMissing,
)
from menage.mail.fetch import FetchRefused, stream_fetch, uid_set

# kept importable from here (they lived here before)
from menage.mail.imap_meta import FETCH_ITEMS as FETCH_ITEMS
from menage.mail.imap_meta import HEADER_ITEM as HEADER_ITEM
from menage.mail.imap_meta import _meta
from menage.mail.imap_meta import internal_date as internal_date
from menage.mail.model import FolderInfo, MessageMeta
from menage.mail.source import ImapSource

PASSWORD_ENV = "MENAGE_IMAP_PASSWORD"
TOKEN_ENV = "MENAGE_IMAP_OAUTH2_TOKEN"
KEYRING_SERVICE = "menage-imap"
_LOST = (imaplib.IMAP4.abort, OSError, EOFError)

Progress = Callable[[str, int, int | None], None]


@dataclass
class ImapOptions:
    """How to connect and read.

    Attributes:
        insecure: allow plain IMAP off loopback and certificates that do not verify.
        ca_file: a CA bundle to trust for this server (self-hosted servers).
        oauth2: log in with XOAUTH2 and a token instead of a password.
        batch: UIDs per FETCH command (sent as ranges, ``1:5000``); each batch is
            stored in one transaction, and what arrived of a batch cut short too.
        after_batch: called with the running count after each stored batch (tests
            inject faults here).
    """

    insecure: bool = False
    ca_file: Path | None = None
    oauth2: bool = False
    batch: int = 5000
    timeout: float = 60.0
    after_batch: Callable[[int], None] | None = None


def get_secret(source: ImapSource, oauth2: bool, prompt: Callable[[str], str] | None = None) -> str:
    """The password (or OAuth2 token): environment, then keyring, then ``prompt``.

    Raises:
        PasswordMissing: none of them gave one.
    """
    value = os.environ.get(TOKEN_ENV if oauth2 else PASSWORD_ENV)
    if value:
        return value
    if not oauth2:
        try:
            import keyring

            stored = keyring.get_password(KEYRING_SERVICE, f"{source.user}@{source.host}")
        except Exception:  # noqa: BLE001 - no keyring, or no backend: just ask
            stored = None
        if stored:
            return str(stored)
    if prompt is not None:
        value = prompt(f"{source.user}@{source.host}")
        if value:
            return value
    raise PasswordMissing(user=source.user, host=source.host)


def plain_allowed(source: ImapSource, insecure: bool) -> bool:
    """Plain IMAP (no TLS) only to this computer or by explicit choice."""
    return insecure or source.loopback


def _context(options: ImapOptions) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(options.ca_file) if options.ca_file else None)
    if options.insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def connect(source: ImapSource, options: ImapOptions, secret: str) -> IMAPClient:
    """A logged-in client.

    Raises:
        ConnectFailed, CertificateInvalid, InsecureRefused, LoginFailed
    """
    context = _context(options)
    try:
        if source.tls == "implicit":
            client = IMAPClient(
                source.host, source.port, ssl=True, ssl_context=context, timeout=options.timeout
            )
        else:
            client = IMAPClient(source.host, source.port, ssl=False, timeout=options.timeout)
            if client.has_capability("STARTTLS"):
                client.starttls(context)
            elif not plain_allowed(source, options.insecure):
                client.logout()
                raise InsecureRefused(host=source.host)
    except ssl.SSLCertVerificationError as exc:
        raise CertificateInvalid(host=source.host, detail=exc.verify_message or exc) from exc
    except (ssl.SSLError, OSError, IMAPClientError, imaplib.IMAP4.error) as exc:
        raise ConnectFailed(host=source.host, port=source.port, detail=_reason(exc)) from exc
    try:
        if options.oauth2:
            client.oauth2_login(source.user, secret)
        elif client.has_capability("AUTH=PLAIN") or not secret.isascii():
            client.plain_login(source.user, secret)
        else:
            client.login(source.user, secret)
    except LoginError as exc:
        close(client)
        raise LoginFailed(host=source.host, user=source.user, detail=_reason(exc)) from exc
    except _LOST as exc:
        close(client)
        raise ConnectionLost(host=source.host, detail=_reason(exc)) from exc
    return client


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:200]


_ROLES = {
    b"\\trash": "trash",
    b"\\junk": "junk",
    b"\\all": "all",
    b"\\sent": "sent",
    b"\\drafts": "drafts",
}
_NAMED = {
    "trash": "trash",
    "corbeille": "trash",
    "deleted items": "trash",
    "deleted messages": "trash",
    "junk": "junk",
    "spam": "junk",
    "courrier indésirable": "junk",
    "indésirables": "junk",
    "sent": "sent",
    "envoyés": "sent",
    "sent items": "sent",
    "drafts": "drafts",
    "brouillons": "drafts",
}


def role_of(name: str, flags: tuple[bytes, ...]) -> str | None:
    """A folder's role from SPECIAL-USE flags (RFC 6154), else from common names."""
    for flag in flags:
        role = _ROLES.get(flag.lower())
        if role:
            return role
    if name.upper() == "INBOX":
        return "inbox"
    last = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return _NAMED.get(last)


@dataclass(frozen=True)
class ImapFolder:
    name: str
    role: str | None


def list_folders(client: IMAPClient) -> list[ImapFolder]:
    """Selectable folders, names decoded from modified UTF-7."""
    found: list[ImapFolder] = []
    for flags, _delimiter, name in client.list_folders():
        lowered = {f.lower() for f in flags}
        if b"\\noselect" in lowered or b"\\nonexistent" in lowered:
            continue
        found.append(ImapFolder(str(name), role_of(str(name), tuple(flags))))
    return found


class ImapReader:
    """Reads folders into the cache, then yields each folder's messages from it."""

    def __init__(
        self,
        client: IMAPClient,
        source: ImapSource,
        cache: MailCache,
        options: ImapOptions,
        progress: Progress | None = None,
    ) -> None:
        self.client = client
        self.source = source
        self.cache = cache
        self.options = options
        self.progress = progress
        self.fetched = 0
        self._size = client.has_capability("STATUS=SIZE")
        self._condstore = client.has_capability("CONDSTORE")
        #: folders' STATUS already read in one go (:mod:`menage.mail.imap_status`)
        self.states: dict[str, dict[bytes, int]] = {}

    def status(self, folder: str) -> dict[bytes, int]:
        known = self.states.pop(folder, None)
        if known is not None and b"UIDVALIDITY" in known:
            return known
        items = [b"MESSAGES", b"UIDNEXT", b"UIDVALIDITY"]
        if self._size:
            items.append(b"SIZE")
        if self._condstore:
            items.append(b"HIGHESTMODSEQ")
        try:
            return {k: int(v) for k, v in self.client.folder_status(folder, items).items()}
        except _LOST as exc:
            raise ConnectionLost(host=self.source.host, detail=_reason(exc)) from exc

    def read(self, folder: ImapFolder) -> tuple[FolderInfo, list[MessageMeta]]:
        """The folder's size and messages, fetching only what the cache lacks.

        Raises:
            ConnectionLost: the connection dropped; batches already read are cached.
        """
        try:
            return self._read(folder)
        except _LOST as exc:
            raise ConnectionLost(host=self.source.host, detail=_reason(exc)) from exc

    def _read(self, folder: ImapFolder) -> tuple[FolderInfo, list[MessageMeta]]:
        account, name = self.source.account, folder.name
        status = self.status(name)
        uidvalidity = status[b"UIDVALIDITY"]
        modseq = status.get(b"HIGHESTMODSEQ")
        state = self.cache.folder(account, name)
        unchanged = (
            state is not None
            and state.complete
            and state.uidvalidity == uidvalidity
            and state.uidnext == status.get(b"UIDNEXT")
            and state.messages == status.get(b"MESSAGES")
            and modseq is not None
            and state.modseq == modseq
        )
        fresh: dict[int, MessageMeta] | None = None
        if not unchanged:
            self.cache.start_folder(account, name, uidvalidity)
            whole = state is not None and state.complete and state.uidvalidity == uidvalidity
            resume = state is not None and not state.complete and state.uidvalidity == uidvalidity
            if (state is None or state.uidvalidity != uidvalidity) and not self.cache.count(
                account, name, uidvalidity
            ):
                fresh = {}  # nothing cached: what is fetched is the whole folder
            self._sync(name, uidvalidity, state.modseq if whole and state else None, resume, fresh)
            self.cache.finish_folder(
                account, name, status.get(b"UIDNEXT"), status.get(b"MESSAGES"), modseq
            )
        if fresh is not None:  # as the cache now holds them, without reading them back
            messages = [fresh[uid] for uid in sorted(fresh)]
        else:
            messages = list(self.cache.messages(account, name, uidvalidity))
        size = status.get(b"SIZE")
        if size is None:
            size = sum(m.ref.size for m in messages)
        return FolderInfo(name, folder.role, len(messages), size), messages

    def _sync(
        self,
        name: str,
        uidvalidity: int,
        modseq: int | None,
        resume: bool,
        fresh: dict[int, MessageMeta] | None = None,
    ) -> None:
        """Bring the folder's cached messages up to date (the folder is SELECTed
        read-only, then closed).

        The cached UIDs of a folder read whole are 1..last: new messages are the UID
        ranges beyond it, fetched in batches of ``batch`` UIDs; flags changed since are
        asked with ``CHANGEDSINCE`` (CONDSTORE) over ``1:last``; and the UIDs are
        searched only when the message count says some left. A folder whose last read
        was cut short (``resume``) is searched whole, to fetch exactly what is missing.
        ``fresh``, when given, receives each message fetched by its UID.
        """
        account = self.source.account
        selected = self.client.select_folder(name, readonly=True)
        try:
            exists = int(selected.get(b"EXISTS", 0))
            uidnext = int(selected.get(b"UIDNEXT", 0))
            if resume:
                current = set(self.client.search("ALL"))
                known = self.cache.uids(account, name, uidvalidity)
                self._forget(name, uidvalidity, known - current)
                self._refresh_flags(name, uidvalidity, uid_set(sorted(known & current)), None)
                self._fetch_new(name, uidvalidity, sorted(current - known))
                return
            last = self.cache.last_uid(account, name, uidvalidity)
            count = self.cache.count(account, name, uidvalidity)
            if last:
                self._refresh_flags(name, uidvalidity, b"1:%d" % last, modseq)
            fetched = self._fetch_new(
                name, uidvalidity, _ranges(last + 1, uidnext, exists - count), fresh
            )
            if count and exists != count + fetched:  # some left (or came meanwhile)
                current = set(self.client.search(["UID", f"1:{last}"]))
                known = self.cache.uids(account, name, uidvalidity)
                self._forget(name, uidvalidity, {u for u in known if u <= last} - current)
        finally:
            try:
                self.client.unselect_folder()
            except _LOST:
                raise
            except Exception:  # noqa: BLE001, S110 - CLOSE is harmless on a read-only folder
                pass

    def _forget(self, name: str, uidvalidity: int, gone: set[int]) -> None:
        if gone:
            self.cache.forget(self.source.account, name, uidvalidity, gone)

    def _fetch_new(
        self,
        name: str,
        uidvalidity: int,
        batches: _Batches,
        fresh: dict[int, MessageMeta] | None = None,
    ) -> int:
        """Fetch and cache each batch (listed UIDs, or UID ranges with an expected
        count); how many messages came."""
        account = self.source.account
        if isinstance(batches, list):
            size = max(1, self.options.batch)
            total: int | None = len(batches)
            sets = [uid_set(batches[k : k + size]) for k in range(0, len(batches), size)]
        else:
            sets, total = batches(max(1, self.options.batch))
        done = 0
        for uids in sets:
            low = int(uids.split(b":")[0].split(b",")[0])
            metas: list[MessageMeta] = []
            try:
                for uid, item in stream_fetch(self.client, uids, FETCH_ITEMS):
                    # an unsolicited FETCH (a flag changed meanwhile) has no size, and
                    # ``n:*`` answers the last message even below n: both skipped
                    if b"RFC822.SIZE" in item and uid >= low:
                        metas.append(_meta(name, uidvalidity, uid, item))
            except FetchRefused as exc:
                raise MailError(source=self.source.host, detail=_reason(exc)) from exc
            finally:
                # what arrived before a drop is kept: the next run resumes after it
                self.cache.store(account, name, uidvalidity, metas)
                if fresh is not None:
                    fresh.update((m.ref.uid or 0, m) for m in metas)
                self.fetched += len(metas)
                done += len(metas)
            if self.progress:
                self.progress("mail:fetch", done, total)
            if self.options.after_batch:
                self.options.after_batch(self.fetched)
        return done

    def _refresh_flags(self, name: str, uidvalidity: int, uids: bytes, modseq: int | None) -> None:
        if not uids:
            return
        modifiers = f"CHANGEDSINCE {modseq}".encode() if modseq and self._condstore else b""
        seen: dict[int, bool] = {}
        try:
            for uid, item in stream_fetch(self.client, uids, [b"FLAGS"], modifiers):
                seen[uid] = b"\\seen" in {f.lower() for f in item.get(b"FLAGS", ())}
        except FetchRefused as exc:
            raise MailError(source=self.source.host, detail=_reason(exc)) from exc
        if seen:
            self.cache.set_seen(self.source.account, name, uidvalidity, seen)


_Batches = list[int] | Callable[[int], tuple[list[bytes], int | None]]


def _ranges(first: int, uidnext: int, expected: int) -> _Batches:
    """UID ranges from ``first`` on, ``size`` UIDs each, up to the folder's UIDNEXT
    (the last one open-ended, ``n:*``, when the server gave no UIDNEXT)."""

    def cut(size: int) -> tuple[list[bytes], int | None]:
        if not uidnext:
            return [b"%d:*" % first], max(expected, 0) or None
        sets = [
            b"%d:%d" % (low, min(low + size, uidnext) - 1) for low in range(first, uidnext, size)
        ]
        return sets, max(expected, 0)

    return cut


def close(client: IMAPClient) -> None:
    """Log out, or at least close the socket when the connection is already gone."""
    try:
        client.logout()
    except Exception:  # noqa: BLE001 - the connection may be dead: close it anyway
        try:
            client.shutdown()
        except Exception:  # noqa: BLE001, S110
            pass
