"""A throwaway Dovecot IMAP server for the tests: its own config, mail store and ports.

Debian's ``dovecot`` binary (package ``dovecot-imapd``) runs in the foreground with a
configuration written here: plaintext IMAP and IMAPS on free loopback ports, a
self-signed certificate made by the test (``trustme``), one user with a password, and
a Maildir store in a temporary folder. Run as root, the mail belongs to an unprivileged
user (Dovecot refuses uid 0 for mail access); otherwise to the current user.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "alice"
PASSWORD = "mot-de-passe☃"  # non-ASCII: the login must send UTF-8


def available() -> bool:
    return os.path.exists(DOVECOT) and os.access(DOVECOT, os.X_OK)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Dovecot:
    """A running server: where it listens, who may log in, where the CA is."""

    root: Path
    port: int
    tls_port: int
    ca_pem: Path
    user: str = USER
    password: str = PASSWORD
    process: subprocess.Popen[bytes] | None = None
    #: the OAuth2 token introspection endpoint Dovecot asks (XOAUTH2 logins)
    introspection: Introspection | None = None

    @property
    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def url(self, scheme: str = "imap", port: int | None = None) -> str:
        return f"{scheme}://{self.user}@127.0.0.1:{port or self.port}/"

    def add_user(self, name: str) -> Dovecot:
        """Another account on the same server: any name logs in with the one password
        (a static passdb), each with its own mail store."""
        return Dovecot(
            self.root, self.port, self.tls_port, self.ca_pem, name, self.password,
            introspection=self.introspection,
        )  # fmt: skip

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def mail_owner() -> tuple[str, int, int]:
    if os.getuid() == 0:
        entry = pwd.getpwnam("dovecot")
    else:
        entry = pwd.getpwuid(os.getuid())
    return entry.pw_name, entry.pw_uid, entry.pw_gid


#: OAuth2 bearer tokens the test's introspection endpoint accepts: TOKEN.<user>
TOKEN = "jeton-oauth2-de-test"


def token_for(user: str) -> str:
    return f"{TOKEN}.{user}"


class Introspection:
    """The token introspection endpoint (RFC 7662) Dovecot's oauth2 passdb asks: a
    local HTTP server that says whether a token is active and whose it is (Dovecot
    sends only the token, and compares the user it names with the login)."""

    def __init__(self) -> None:
        import http.server
        import json
        import threading
        import urllib.parse

        self.seen: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                token = (form.get("token") or [""])[0]
                outer.seen.append(token)
                active = token.startswith(TOKEN + ".")
                user = token.removeprefix(TOKEN + ".") if active else ""
                body = json.dumps({"active": active, "username": user}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.httpd.server_address[1])
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _oauth2_config(root: Path, introspection: Introspection) -> Path:
    path = root / "dovecot-oauth2.conf.ext"
    path.write_text(
        f"introspection_url = http://127.0.0.1:{introspection.port}/introspect\n"
        "introspection_mode = post\n"
        "username_attribute = username\n"
        "active_attribute = active\n"
        "active_value = true\n",
        encoding="utf-8",
    )
    return path


#: what Dovecot 2.3 offers after login, without MOVE (RFC 6851): a server where moving
#: a message takes COPY + STORE \Deleted + UID EXPUNGE (UIDPLUS)
WITHOUT_MOVE = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES "
    "THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN "
    "NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES "
    "WITHIN CONTEXT=SEARCH LIST-STATUS BINARY STATUS=SIZE LITERAL+ SPECIAL-USE"
)

#: the same with MOVE but without LIST-STATUS (RFC 5819): folders' STATUS asked per
#: folder, pipelined
WITHOUT_LIST_STATUS = WITHOUT_MOVE.replace(" LIST-STATUS", "") + " MOVE"


def _config(
    root: Path,
    port: int,
    tls_port: int,
    cert: Path,
    key: Path,
    oauth2: Path | None = None,
    capability: str = "+SPECIAL-USE",
) -> str:
    owner, uid, gid = mail_owner()
    me = pwd.getpwuid(os.getuid()).pw_name
    internal = "dovecot" if os.getuid() == 0 else me
    login = "dovenull" if os.getuid() == 0 else me
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
instance_name = menage-test-{port}
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u/Maildir
mail_uid = {uid}
mail_gid = {gid}
mail_plugins =
mail_fsync = never
imap_capability = {capability}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Trash {{
    special_use = \\Trash
    auto = create
  }}
  mailbox Junk {{
    special_use = \\Junk
    auto = create
  }}
}}
passdb {{
  driver = static
  args = password={PASSWORD}
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {oauth2}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def _wait_listening(port: int, process: subprocess.Popen[bytes], root: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            logfile = root / "dovecot.log"
            log = logfile.read_text(errors="replace") if logfile.exists() else ""
            raise RuntimeError(f"dovecot exited with {process.returncode}: {log[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise RuntimeError("dovecot did not listen within 30 s")


@contextlib.contextmanager
def running(root: Path, capability: str = "+SPECIAL-USE") -> Iterator[Dovecot]:
    """Start Dovecot in ``root`` (created), yield it, stop it; ``capability`` is its
    ``imap_capability`` (what it offers after login, e.g. :data:`WITHOUT_MOVE`)."""
    import trustme

    root.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert.private_key_and_cert_chain_pem.write_to_path(str(root / "server.pem"))
    cert.private_key_pem.write_to_path(str(root / "key.pem"))
    ca.cert_pem.write_to_path(str(root / "ca.pem"))
    (root / "cert.pem").write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))
    os.chmod(root / "key.pem", 0o600)
    owner, uid, gid = mail_owner()
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir(exist_ok=True)
    # the mail owner must reach its store: open the chain of folders down to root
    if os.getuid() == 0:
        os.chown(root / "mail", uid, gid)
        os.chmod(root, 0o711)  # root is a fresh mkdtemp folder (0700), not pytest's tree
    port, tls_port = free_port(), free_port()
    config = root / "dovecot.conf"
    introspection = Introspection()
    oauth2 = _oauth2_config(root, introspection)
    config.write_text(
        _config(root, port, tls_port, root / "cert.pem", root / "key.pem", oauth2, capability),
        encoding="utf-8",
    )
    with open(root / "stderr.log", "wb") as stderr:
        process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    server = Dovecot(root, port, tls_port, root / "ca.pem", process=process)
    server.introspection = introspection
    try:
        _wait_listening(port, process, root)
        _wait_listening(tls_port, process, root)
        yield server
    finally:
        server.stop()
        introspection.stop()
