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
import cProfile
import email
import json
import os
import shutil
import socket
import sqlite3
import ssl
import subprocess
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
from menage.mail.imap_meta import FETCH_ITEMS  # noqa: E402


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


def fill_maildir(account: dovecot.Dovecot, count: int, seed: int) -> int:
    """Write the messages straight into the account's Maildir, as a delivery agent does,
    and let Dovecot index them on first access: minutes for 100,000 messages where
    APPEND takes about an hour. Files are stored with LF line ends, as Dovecot saves
    them, and named with their size on disk (S=) and their CRLF size (W=), so Dovecot
    knows RFC822.SIZE without reading them."""
    maildir = account.root / "mail" / account.user / "Maildir"
    owner = dovecot.mail_owner()
    folders = {"INBOX": maildir, "Archives": maildir / ".Archives"}
    for path in folders.values():
        for sub in ("cur", "new", "tmp"):
            (path / sub).mkdir(parents=True, exist_ok=True)
    (folders["Archives"] / "maildirfolder").touch()
    total = 0
    stamp = int(time.time())
    for n, (raw, seen) in enumerate(messages.mailbox_mix(count, seed=seed)):
        folder = folders["Archives"] if n % 3 == 0 else folders["INBOX"]
        data = raw.replace(b"\r\n", b"\n")
        flags = ":2,S" if seen else ":2,"
        name = f"{stamp}.M{n}P{os.getpid()}.bench,S={len(data)},W={len(raw)}{flags}"
        (folder / "cur" / name).write_bytes(data)
        total += len(raw)
        if n % 10000 == 0:
            print(f"  written {n:,}/{count:,}", file=sys.stderr)
    if os.getuid() == 0:
        for dirpath, _dirs, filenames in os.walk(account.root / "mail" / account.user):
            for entry in [dirpath, *(os.path.join(dirpath, f) for f in filenames)]:
                os.chown(entry, owner[1], owner[2])
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


def floor(account: dovecot.Dovecot, port: int) -> int:
    """The server's share: the same UID FETCH as menage, bytes read and thrown away."""
    context = ssl.create_default_context(cafile=str(account.ca_pem))
    client = IMAPClient("127.0.0.1", port, ssl=True, ssl_context=context, timeout=300)
    client.plain_login(account.user, account.password)
    count = 0
    for folder in ("INBOX", "Archives"):
        count += int(client.select_folder(folder, readonly=True)[b"EXISTS"])
        imap = client._imap
        tag = imap._new_tag()
        items = b"(UID " + b" ".join(FETCH_ITEMS) + b")"
        imap.send(tag + b" UID FETCH 1:* " + items + b"\r\n")
        tail = b""
        while (b"\r\n" + tag + b" ") not in tail:
            chunk = imap.file.read1(262_144)
            if not chunk:
                raise EOFError
            tail = (tail + chunk)[-4096:]
        imap.tagged_commands.pop(tag, None)
        client.unselect_folder()
    client.logout()
    return count


BEFORE_SCRIPT = """
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
from menage.mail.analyse import analyse_source
from menage.mail.imap import ImapOptions
from pathlib import Path
options = ImapOptions(ca_file=Path(sys.argv[3]))
times = []
for _ in range(2):
    start, cpu = time.perf_counter(), time.process_time()
    result = analyse_source(sys.argv[2], options=options)
    elapsed = time.perf_counter() - start
    times.append((result.total.messages, elapsed, time.process_time() - cpu))
print(json.dumps(times))
"""


def before(rev: str, url: str, ca: Path, proxy: CountingProxy) -> list[Row]:
    """Both runs of the code at git revision ``rev``, in a process of its own."""
    tree = Path(tempfile.mkdtemp(prefix="menage-mailbench-before-"))
    home = Path(tempfile.mkdtemp(prefix="menage-mailbench-before-home-"))
    repo = Path(__file__).resolve().parents[1]
    try:
        archive = subprocess.run(
            ["git", "-C", str(repo), "archive", rev, "src/menage"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        proxy.reset()
        env = {**os.environ, "MENAGE_HOME": str(home)}
        out = subprocess.run(
            [sys.executable, "-c", BEFORE_SCRIPT, str(tree / "src"), url, str(ca)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout
        (count1, first, cpu1), (count2, second, cpu2) = json.loads(out.strip().splitlines()[-1])
        wire = proxy.down + proxy.up  # both runs: the second sends next to nothing
        return [
            (f"before ({rev}), first run", count1, first, wire, cpu1),
            (f"before ({rev}), second run, cache", count2, second, 0, cpu2),
        ]
    finally:
        shutil.rmtree(tree, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)


#: label, messages, seconds, bytes on the socket, CPU seconds of the client process
Row = tuple[str, int, float, int, float]


def timed(label: str, url: str, options: ImapOptions, proxy: CountingProxy, cache: Path) -> Row:
    proxy.reset()
    start, cpu = time.perf_counter(), time.process_time()
    result = analyse_source(url, options=options, cache_path=cache)
    seconds = time.perf_counter() - start
    if result.reused:  # the findings of the last run, stored in the cache (menage.mail.reuse)
        label += ", findings reused"
    return (label, result.total.messages, seconds, proxy.down + proxy.up, time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument(
        "--fill",
        choices=("maildir", "append"),
        default="maildir",
        help="write the Maildir files directly (fast) or APPEND each message over IMAP",
    )
    parser.add_argument(
        "--before",
        metavar="REV",
        help="also time the code of this git revision (e.g. main), after ours",
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="cProfile the first run into FILE and the second into FILE.second (pstats)",
    )
    args = parser.parse_args()
    load_before = os.getloadavg()
    root = Path(tempfile.mkdtemp(prefix="menage-mailbench-"))
    home = Path(tempfile.mkdtemp(prefix="menage-mailbench-home-"))
    os.environ["MENAGE_HOME"] = str(home)
    rows: list[Row] = []
    try:
        with dovecot.running(root) as server:
            account = server.add_user("bench")
            t0 = time.perf_counter()
            filler = fill_maildir if args.fill == "maildir" else fill
            size = filler(account, args.messages, args.seed)
            print(f"  filled in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
            os.environ["MENAGE_IMAP_PASSWORD"] = account.password
            proxy = CountingProxy(account.tls_port)
            url = f"imaps://{account.user}@127.0.0.1:{proxy.port}/"
            options = ImapOptions(ca_file=account.ca_pem)
            cache = home / "cache.sqlite"
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
            rows.append(timed("menage, first run (server cold)", url, options, proxy, cache))
            if args.profile:
                profiler.disable()
                profiler.dump_stats(args.profile)
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
            rows.append(timed("menage, second run (cache)", url, options, proxy, cache))
            if args.profile:
                profiler.disable()
                profiler.dump_stats(args.profile + ".second")
            # the path after any change to the mailbox (or once an age limit is crossed):
            # the findings rebuilt from the cached messages, nothing fetched again
            with sqlite3.connect(cache) as db:
                db.execute("DELETE FROM results")
            rows.append(
                timed("menage, second run (cache), findings rebuilt", url, options, proxy, cache)
            )
            rows.append(
                timed(
                    "menage, first run again (server warm, empty cache)",
                    url,
                    options,
                    proxy,
                    home / "cache-again.sqlite",
                )
            )
            proxy.reset()
            start, cpu = time.perf_counter(), time.process_time()
            count = floor(account, proxy.port)
            rows.append(
                (
                    "server alone: same FETCH, bytes read and dropped",
                    count,
                    time.perf_counter() - start,
                    proxy.down + proxy.up,
                    time.process_time() - cpu,
                )
            )
            if args.before:
                rows.extend(before(args.before, url, account.ca_pem, proxy))
            if not args.skip_naive:
                proxy.reset()
                start, cpu = time.perf_counter(), time.process_time()
                count = naive(account, proxy.port)
                rows.append(
                    (
                        "naive full download",
                        count,
                        time.perf_counter() - start,
                        proxy.down + proxy.up,
                        time.process_time() - cpu,
                    )
                )
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
    print(f"\nMailbox: {args.messages:,} messages, {size / 1e6:,.0f} MB (seed {args.seed})\n")
    print(
        "| run | messages | seconds | messages/s | client CPU s | messages per client "
        "CPU s | bytes on the socket | share of mailbox |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, count, seconds, wire, cpu in rows:
        print(
            f"| {label} | {count:,} | {seconds:.2f} | {count / seconds:,.0f} | {cpu:.2f} | "
            f"{count / max(cpu, 1e-3):,.0f} | {wire / 1e6:,.1f} MB | {wire / size:.2%} |"
        )
    first, second, rebuilt, warm = (row[2] for row in rows[:4])
    print(
        f"\nSecond run: {first / second:.1f}x faster than the first (server cold), "
        f"{warm / second:.1f}x faster than a first run against the warm server; "
        f"in client CPU {rows[3][4] / rows[1][4]:.1f}x (warm first run / second run)."
        f"\nSecond run with the findings rebuilt from the cached messages: "
        f"{first / rebuilt:.1f}x faster than the first (server cold), "
        f"{warm / rebuilt:.1f}x than the warm one."
    )
    load_after = os.getloadavg()
    print(
        "Load average (1, 5, 15 min): "
        f"{' / '.join(f'{x:.1f}' for x in load_before)} before, "
        f"{' / '.join(f'{x:.1f}' for x in load_after)} after "
        f"({os.cpu_count()} cores)."
    )
    if args.before:
        print("(before: bytes counted over both its runs)")


if __name__ == "__main__":
    main()
