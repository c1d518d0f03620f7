"""What keeps the review page to its one user: the token, the CSRF token, the Host and
Origin checks, and the folders the page may act in.

The server listens on the loopback interface only, but any page open in the same
browser can send requests there, and a hostile DNS name can be made to point at
127.0.0.1 (DNS rebinding). So every request must carry the random token in its path,
name this server in its ``Host`` header, and come from this server's own pages when it
has an ``Origin``; every form sent must carry the CSRF token of the page that showed it.
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from menage.errors import MenageError
from menage.i18n import N_

LOOPBACK = "127.0.0.1"


class Refused(MenageError):
    """A request that does not come from the review page itself (answered 403)."""

    template = N_("Refused: {detail}")


class OutsideRoots(MenageError):
    """A folder or file the person did not choose (answered 400)."""

    template = N_("{path}: outside the folders chosen for this review")


def new_token() -> str:
    """A random token for a URL: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def same(given: str | None, expected: str) -> bool:
    """Compare secrets in constant time."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


@dataclass
class Guard:
    """The secrets and the address of one review server.

    Args:
        token: the token every URL starts with.
        csrf: the token every form carries.
        port: the port the server listens on (set once it is bound).
    """

    token: str = field(default_factory=new_token)
    csrf: str = field(default_factory=new_token)
    port: int = 0

    def hosts(self) -> tuple[str, ...]:
        return (f"{LOOPBACK}:{self.port}", f"localhost:{self.port}")

    def origins(self) -> tuple[str, ...]:
        return tuple(f"http://{host}" for host in self.hosts())

    def check_headers(self, headers: Mapping[str, str]) -> None:
        """Refuse a foreign ``Host`` or ``Origin`` and cross-site requests.

        Args:
            headers: the request's headers, by lower-case name.

        Raises:
            Refused: the request is not for this server or not from its pages.
        """
        if headers.get("host", "").lower() not in self.hosts():
            raise Refused(detail="unknown Host header")
        origin = headers.get("origin")
        if origin is not None and origin.lower() not in self.origins():
            raise Refused(detail="foreign Origin header")
        if headers.get("sec-fetch-site", "") == "cross-site":
            raise Refused(detail="cross-site request")

    def route(self, path: str) -> str:
        """The route after the token (``""`` for the first page).

        Raises:
            Refused: the path does not start with the token.
        """
        parts = path.split("/", 2)
        if len(parts) < 2 or parts[0] != "" or not same(parts[1], self.token):
            raise Refused(detail="missing or wrong token")
        return parts[2] if len(parts) == 3 else ""

    def check_form(self, form: Mapping[str, Sequence[str]]) -> None:
        """Refuse a form without this server's CSRF token.

        Raises:
            Refused: the CSRF token is missing or wrong.
        """
        given = form.get("csrf", [])
        if len(given) != 1 or not same(given[0], self.csrf):
            raise Refused(detail="missing or wrong CSRF token")


def real(path: str | os.PathLike[str] | bytes) -> bytes:
    """A path with every symlink resolved, as bytes."""
    return os.path.realpath(os.fsencode(path))


def inside(path: bytes, roots: Iterable[bytes]) -> bool:
    """``path`` is one of ``roots`` or under one (all resolved already)."""
    return any(path == root or path.startswith(root.rstrip(b"/") + b"/") for root in roots)


def chosen_folders(given: Sequence[str], offered: Sequence[Path]) -> list[Path]:
    """The offered folders a form chose, each named exactly as the page offered it.

    Raises:
        OutsideRoots: a value is not one of the offered folders (another folder,
            ``..``, a symlink to elsewhere).
    """
    by_text = {str(folder): folder for folder in offered}
    chosen: list[Path] = []
    for text in given:
        folder = by_text.get(text)
        if folder is None:
            raise OutsideRoots(path=text[:200])
        if folder not in chosen:
            chosen.append(folder)
    return chosen


def check_paths_inside(paths: Iterable[bytes], roots: Sequence[Path]) -> None:
    """Refuse a path whose folder, symlinks resolved, is not under a chosen root.

    The file itself is not resolved: a symlink found by the scan is acted on as a
    link, never through it. Its folder is: a folder swapped for a symlink to
    elsewhere since the scan is refused here.

    Raises:
        OutsideRoots: a path leaves the chosen folders.
    """
    resolved = [real(root) for root in roots]
    for path in paths:
        parent = real(os.path.dirname(path) or b"/")
        if not inside(os.path.join(parent, os.path.basename(path)), resolved):
            raise OutsideRoots(path=os.fsdecode(path))
