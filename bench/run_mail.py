"""``menage mail analyse`` against a real Dovecot filled with N generated messages.

Prints, side by side with a naive full-download analysis (``UID FETCH RFC822`` of every
message, then parsing it, the way many scripts do it): messages per second, bytes that
crossed the socket (counted by a loopback proxy between the client and Dovecot) as a
share of the mailbox's size, and the second run's time with the cache. Targets (issue
12): at most 2 % of the mailbox's bytes, at least 2,000 messages/s on loopback, and a
second run at least 10 times faster.

    .venv/bin/python bench/run_mail.py                 # 100,000 messages
    .venv/bin/python bench/run_mail.py --messages 10000
"""

from __future__ import annotations

import argparse
import email
import os
import shutil
import socket
import ssl
import sys
import tempfile
import threading
import time
from email import policy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from imapclient import IMAPClient  # noqa: E402
from tests.mail import dovecot, messages  # noqa: E402

from menage.mail.analyse import analyse_source  # noqa: E402
from menage.mail.imap import ImapOptions  # noqa: E402


class CountingProxy:
    """A loopback TCP proxy that counts the bytes each way."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.down = 0  # server to client
        self.up = 0
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> None:
        with self.lock:
            self.down = self.up = 0

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(server, client, "down"), daemon=True).start()
            threading.Thread(target=self._pipe, args=(client, server, "up"), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, way: str) -> None:
        try:
            while data := source.recv(262_144):
                sink.sendall(data)
                with self.lock:
                    if way == "down":
                        self.down += len(data)
                    else:
                        self.up += len(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def fill(account: dovecot.Dovecot, count: int, seed: int) -> int:
    client = IMAPClient("127.0.0.1", account.port, ssl=False, timeout=120)
    client.plain_login(account.user, account.password)
    # APPEND waits for the server's "+" before each literal: without NODELAY, delayed
    # ACKs cost 40 ms a message
    client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    client.create_folder("Archives")
    total = 0
    for n, (raw, seen) in enumerate(messages.mailbox_mix(count, seed=seed)):
        folder = "Archives" if n % 3 == 0 else "INBOX"
        client.append(folder, raw, flags=(b"\\Seen",) if seen else ())
        total += len(raw)
        if n % 5000 == 0:
            print(f"  filled {n:,}/{count:,}", file=sys.stderr)
    client.logout()
    return total


def naive(account: dovecot.Dovecot, port: int) -> int:
    """Download every message whole and parse it: what many cleanup scripts do."""
    context = ssl.create_default_context(cafile=str(account.ca_pem))
    client = IMAPClient("127.0.0.1", port, ssl=True, ssl_context=context, timeout=120)
    client.plain_login(account.user, account.password)
    count = 0
    for folder in ("INBOX", "Archives"):
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        for start in range(0, len(uids), 200):
            batch = uids[start : start + 200]
            for item in client.fetch(batch, [b"BODY.PEEK[]", b"FLAGS"]).values():
                email.message_from_bytes(item[b"BODY[]"], policy=policy.compat32)
                count += 1
    client.logout()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="menage-mailbench-"))
    home = Path(tempfile.mkdtemp(prefix="menage-mailbench-home-"))
    os.environ["MENAGE_HOME"] = str(home)
    try:
        with dovecot.running(root) as server:
            account = server.add_user("bench")
            t0 = time.perf_counter()
            size = fill(account, args.messages, args.seed)
            print(f"  filled in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
            os.environ["MENAGE_IMAP_PASSWORD"] = account.password
            proxy = CountingProxy(account.tls_port)
            url = f"imaps://{account.user}@127.0.0.1:{proxy.port}/"
            options = ImapOptions(ca_file=account.ca_pem)
            rows = []
            for label in ("menage (first run)", "menage (second run, cache)"):
                proxy.reset()
                start = time.perf_counter()
                result = analyse_source(url, options=options)
                seconds = time.perf_counter() - start
                rows.append((label, result.total.messages, seconds, proxy.down + proxy.up))
            if not args.skip_naive:
                proxy.reset()
                start = time.perf_counter()
                count = naive(account, proxy.port)
                rows.append(
                    (
                        "naive full download",
                        count,
                        time.perf_counter() - start,
                        proxy.down + proxy.up,
                    )
                )
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
    print(f"\nMailbox: {args.messages:,} messages, {size / 1e6:,.0f} MB (seed {args.seed})\n")
    print("| run | messages | seconds | messages/s | bytes on the socket | share of mailbox |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, count, seconds, wire in rows:
        print(
            f"| {label} | {count:,} | {seconds:.2f} | {count / seconds:,.0f} | "
            f"{wire / 1e6:,.1f} MB | {wire / size:.2%} |"
        )
    first, second = rows[0][2], rows[1][2]
    print(f"\nSecond run: {first / second:.0f}x faster than the first.")


if __name__ == "__main__":
    main()
