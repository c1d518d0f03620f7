"""The review server: a WSGI application on 127.0.0.1, in a thread of its own.

Every request goes through :class:`~menage.review.security.Guard` first (token in the
path, Host, Origin, CSRF token on every POST); then a page of
:mod:`menage.review.pages` answers. Pages carry a strict Content-Security-Policy, send
their address (and its token) as referrer to their own server only, never to another
site (with no referrer at all, Chromium sends ``Origin: null`` on forms), and are never
cached.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jinja2

from menage._version import __version__
from menage.i18n import LANGUAGES, _, language, ngettext, speaking
from menage.review import mail_pages, pages
from menage.review.pages import Form, Page
from menage.review.security import LOOPBACK, Guard, Refused
from menage.review.session import Review

HERE = Path(__file__).parent
#: the platform's style sheet: the same look, read as a file (no Django needed)
SITE_CSS = HERE.parent / "platform" / "static" / "menage" / "site.css"
STATIC = {
    "site.css": (SITE_CSS, "text/css; charset=utf-8"),
    "review.css": (HERE / "static" / "review.css", "text/css; charset=utf-8"),
    "progress.js": (HERE / "static" / "progress.js", "text/javascript; charset=utf-8"),
}
MAX_BODY = 2_000_000
#: a page to come back to after switching language
_BACK = re.compile(r"[a-z0-9_/.-]{0,40}")
SECURITY_HEADERS = [
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    ("Referrer-Policy", "same-origin"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Cache-Control", "no-store"),
]
log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_, ngettext=ngettext, newstyle=True
    )
    return env


class ReviewApp:
    """The WSGI application of one review."""

    def __init__(self, review: Review, guard: Guard) -> None:
        self.review = review
        self.guard = guard
        #: set when the person clicked "Terminer"
        self.finished = threading.Event()
        #: requests being answered (the server stops once their pages are sent)
        self.active = 0
        self.settled = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        with self.settled:
            self.active += 1
        try:
            with speaking(self.review.lang) if self.review.lang else nullcontext():
                status, headers, body = self.answer(environ)
        except Exception:  # a bug: said on the page, logged, the server keeps running
            log.exception("review page error")
            status, headers, body = self.render(
                Page(
                    "message.html",
                    {
                        "title": _("Unexpected error"),
                        "message": _(
                            "Ménage met an unexpected error. Nothing was changed by this page."
                        ),
                        "back": "",
                    },
                    500,
                )
            )
        start_response(f"{status} {_REASONS.get(status, 'OK')}", headers + SECURITY_HEADERS)
        return _Body(body if environ.get("REQUEST_METHOD") != "HEAD" else b"", self._sent)

    def _sent(self) -> None:
        with self.settled:
            self.active -= 1
            self.settled.notify_all()

    def wait_settled(self, timeout: float) -> bool:
        """Wait until no page is being sent (the "Terminer" page itself, say)."""
        with self.settled:
            return self.settled.wait_for(lambda: self.active == 0, timeout)

    # -- the request ----------------------------------------------------------------

    def answer(self, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        try:
            self.guard.check_headers(headers)
            route = self.guard.route(_path(environ))
        except Refused as exc:
            return _text(403, exc.message)
        if method not in ("GET", "HEAD", "POST"):
            return _text(405, "method not allowed")
        self.review.seen()
        if route.startswith("static/") and method != "POST":
            return self.static(route[len("static/") :])
        if method == "POST":
            form = self.read_form(environ)
            if form is None:
                return _text(400, "malformed form")
            try:
                self.guard.check_form(form)
            except Refused as exc:
                return _text(403, exc.message)
            return self.render(self.post(route, form))
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), max_num_fields=10)
        if route.startswith("lang/"):
            return self.switch_language(route[5:], query)
        return self.render(self.get(route, query), here=route)

    def switch_language(self, code: str, query: Form) -> tuple[int, list[tuple[str, str]], bytes]:
        """Show the pages in another language, then the same page again."""
        if code not in LANGUAGES:
            return _text(404, "no such language")
        self.review.lang = code
        back = (query.get("back") or [""])[0]
        if not _BACK.fullmatch(back) or ".." in back:
            back = ""
        return self.render(pages.see(back))

    def get(self, route: str, query: Form) -> Page:
        review = self.review
        if route == "":
            return pages.folders(review)
        if route == "scan":
            return pages.scanning(review)
        if route == "progress.json":
            return Page(json=pages.progress(review))
        if route == "cleaning":
            return pages.cleaning(review)
        if route == "clean.json":
            return Page(json=pages.clean_progress(review))
        if route == "summary":
            return pages.summary(review)
        if route == "review":
            return pages.review_page(review)
        if route.startswith("done/") and route[5:].isdigit() and len(route) < 20:
            return pages.done(review, int(route[5:]))
        if route == "history":
            return pages.history(review)
        if route == "mail":
            return mail_pages.mail_page(review)
        if route.startswith("thumb/"):
            return pages.thumbnail(review, route)
        if route == "submit":
            return pages.submit(query)
        return pages.problem(_("There is no such page."), 404)

    def post(self, route: str, form: Form) -> Page:
        if route == "scan":
            return pages.start_scan(self.review, form)
        if route == "clean":
            return pages.clean(self.review, form)
        if route == "undo":
            return pages.undo(self.review, form)
        if route == "mail/add":
            return mail_pages.add_mailbox(self.review, form)
        if route == "mail/clean":
            return mail_pages.clean_mail(self.review, form)
        if route == "mail/unsubscribe":
            return mail_pages.unsubscribe(self.review, form)
        if route == "mail/forget":
            return mail_pages.forget(self.review)
        if route == "quit":
            self.finished.set()
            return Page("bye.html", {})
        return pages.problem(_("There is no such page."), 404)

    def read_form(self, environ: dict[str, Any]) -> dict[str, list[str]] | None:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if not 0 <= length <= MAX_BODY:
            return None
        body = environ["wsgi.input"].read(length) if length else b""
        try:
            return urllib.parse.parse_qs(
                body.decode("utf-8"), keep_blank_values=True, max_num_fields=20_000
            )
        except (UnicodeDecodeError, ValueError):
            return None

    # -- the answer -----------------------------------------------------------------

    def base(self) -> str:
        return f"/{self.guard.token}/"

    def render(self, page: Page, here: str = "") -> tuple[int, list[tuple[str, str]], bytes]:
        if page.redirect is not None:
            return page.status, [("Location", self.base() + page.redirect)], b""
        if page.image is not None:
            return page.status, [("Content-Type", "image/jpeg")], page.image
        if page.json is not None:
            body = json.dumps(page.json).encode()
            return page.status, [("Content-Type", "application/json")], body
        context = {
            "base": self.base(),
            "csrf": self.guard.csrf,
            "lang": language(),
            "version": __version__,
            "step": 0,
            "here": here if _BACK.fullmatch(here) else "",
            "languages": LANGUAGES,
            **page.context,
        }
        html = _environment().get_template(page.template).render(context)
        return page.status, [("Content-Type", "text/html; charset=utf-8")], html.encode()

    def static(self, name: str) -> tuple[int, list[tuple[str, str]], bytes]:
        known = STATIC.get(name)
        if known is None:
            return _text(404, "not found")
        path, kind = known
        return 200, [("Content-Type", kind)], path.read_bytes()


_REASONS = {
    200: "OK",
    303: "See Other",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    500: "Internal Server Error",
}


def _path(environ: dict[str, Any]) -> str:
    raw = environ.get("PATH_INFO", "")
    # PEP 3333 hands the path as latin-1 text of its bytes
    return str(raw.encode("latin-1").decode("utf-8", "replace"))


def _text(status: int, message: str) -> tuple[int, list[tuple[str, str]], bytes]:
    return status, [("Content-Type", "text/plain; charset=utf-8")], message.encode()


class _Body:
    """A response body that says when the server has sent it (WSGI calls ``close``)."""

    def __init__(self, body: bytes, sent: Callable[[], None]) -> None:
        self.body = body
        self.sent = sent

    def __iter__(self) -> Iterator[bytes]:
        yield self.body

    def close(self) -> None:
        self.sent()


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        log.debug(format, *args)


class ReviewServer:
    """The review page's server: bound to 127.0.0.1 on a free port, with a random token.

    Args:
        review: the review it serves.
        port: 0 for a free port.
        guard: the token and CSRF token (new random ones by default).
    """

    def __init__(self, review: Review, port: int = 0, guard: Guard | None = None) -> None:
        self.review = review
        self.guard = guard or Guard()
        self.app = ReviewApp(review, self.guard)
        self.httpd = make_server(
            LOOPBACK, port, self.app, server_class=_Server, handler_class=_QuietHandler
        )
        self.guard.port = self.httpd.server_port
        self._threads: list[threading.Thread] = []
        self.stopped = threading.Event()
        self._stopping = threading.Lock()

    @property
    def url(self) -> str:
        """The address to open, with the token."""
        return f"http://{LOOPBACK}:{self.guard.port}/{self.guard.token}/"

    def start(self, poll_s: float = 1.0) -> None:
        """Serve in a thread, and stop on "Terminer" or when idle."""
        serving = threading.Thread(target=self.httpd.serve_forever, args=(0.1,), daemon=True)
        watching = threading.Thread(target=self._watch, args=(poll_s,), daemon=True)
        self._threads = [serving, watching]
        for thread in self._threads:
            thread.start()

    def _watch(self, poll_s: float) -> None:
        while not self.stopped.is_set():
            if self.app.finished.wait(poll_s) or self.review.idle():
                break
        self.stop()

    def stop(self) -> None:
        """Stop serving, once the pages being sent are sent."""
        with self._stopping:
            if self.stopped.is_set():
                return
            self.app.wait_settled(10.0)
            self.httpd.shutdown()
            self.httpd.server_close()
            self.stopped.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the server stops; True when it did."""
        return self.stopped.wait(timeout)
