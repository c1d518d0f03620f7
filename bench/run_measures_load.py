"""The measures API under load: gunicorn on loopback, a throwaway PostgreSQL cluster.

Starts a PostgreSQL cluster (initdb in a temporary folder, as the tests do), migrates,
creates a district's campaign with one participation code per school and ``--preload``
accepted submissions already in the table, runs ``gunicorn menage.platform.wsgi`` with
the production settings and ``--workers`` workers on 127.0.0.1, then drives it with a
small asyncio HTTP/1.1 client (the standard library only, so that the load tool takes
little of the two cores): ``--concurrency`` posters send ``--submissions`` distinct
submissions, replay one in ten once it was acknowledged and send one in fifty twice at
the same instant, while ``--readers`` readers fetch the campaign's dashboard (JSON API)
and its public counter page in turn. With readers, ``--read-workers`` (1) of the workers
are a second gunicorn that only the readers use, as a reverse proxy routing the
submissions apart would (docs/deployment.md); ``--read-workers 0``: one pool for all.

Then it checks, in the database and through the dashboard API, that every distinct
submission counts exactly once (zero lost, zero double-counted, replays included) and
that no answer was a 5xx (nor a 429: the bench raises the per-code budget, as a city
expecting this load would). It prints submissions per second, the dashboards' p50 and
p95 latency, and the CPU the load tool and the server took. Targets (issue 14): at
least 500 submissions/s on 2 cores, p95 of a dashboard page under 100 ms.

    .venv/bin/python bench/run_measures_load.py                     # 20,000 submissions
    .venv/bin/python bench/run_measures_load.py --submissions 2000 --json out.json

Exit status 1 when a check fails (lost, double-counted, 5xx, unexpected status).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.platform.postgres import PostgresCluster, postgres_bin  # noqa: E402

#: the readers' own gunicorn workers, of ``--workers`` (measured: bench/README.md)
READ_WORKERS = 1
#: the posts' pool's niceness beside a reads' pool (measured: bench/README.md)
POST_NICE = 0
SLUG = "semaine-bench"
DISTRICT = "district-bench"
MB = 1_000_000


@dataclass
class Run:
    """What the client saw."""

    statuses: dict[int, int] = field(default_factory=dict)
    #: (code, key) -> the moved_bytes of the last body the server acknowledged
    sent: dict[tuple[str, str], int] = field(default_factory=dict)
    replays: int = 0
    posts: int = 0
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"api": [], "page": []})
    errors: list[str] = field(default_factory=list)
    #: connections the load tool opened
    connections: int = 0

    def count(self, status: int) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1


class Client:
    """HTTP/1.1 to the server on loopback, keeping connections alive (as a reverse proxy
    does to its upstream) unless the server closes them; ``keep_alive=False`` opens one
    per request (gunicorn's sync workers close every connection anyway)."""

    def __init__(self, port: int, *, keep_alive: bool = True) -> None:
        self.port = port
        self.keep_alive = keep_alive
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.opened = 0

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        """One exchange; a kept connection the server closed meanwhile is retried once on a
        new one (only when no byte of the answer came: the posts are idempotent anyway)."""
        reused = bool(self.idle)
        try:
            return await self._exchange(method, path, body, headers)
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            if not reused or (isinstance(error, asyncio.IncompleteReadError) and error.partial):
                raise
            return await self._exchange(method, path, body, headers, fresh=True)

    async def _exchange(
        self, method: str, path: str, body: bytes, headers: dict[str, str] | None,
        fresh: bool = False,
    ) -> tuple[int, bytes]:  # fmt: skip
        if self.idle and not fresh:
            reader, writer = self.idle.pop()
        else:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            self.opened += 1
        keep = "keep-alive" if self.keep_alive else "close"
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Connection: {keep}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body:
            lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
            fields: dict[bytes, bytes] = {}
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                fields[name.strip().lower()] = value.strip().lower()
            if b"content-length" in fields:
                content = await reader.readexactly(int(fields[b"content-length"]))
            elif fields.get(b"transfer-encoding") == b"chunked":
                content = await read_chunked(reader)
            else:
                content = await reader.read()
        except BaseException:
            writer.close()
            raise
        if self.keep_alive and fields.get(b"connection") != b"close" and not reader.at_eof():
            self.idle.append((reader, writer))
        else:
            writer.close()
        return status, content

    def close(self) -> None:
        for _reader, writer in self.idle:
            writer.close()
        self.idle.clear()


async def read_chunked(reader: asyncio.StreamReader) -> bytes:
    """A body in chunked transfer encoding (RFC 9112, 7.1), trailers skipped."""
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


def submission(n: int) -> dict[str, Any]:
    moved = (n % 97 + 1) * MB
    return {
        "version": 1, "key": f"bench-{n:012d}", "since": dt.date.today().isoformat(),
        "channel": ("computer", "file_server", "mail", "phone")[n % 4],
        "moved_files": n % 50 + 1, "moved_bytes": moved, "freed_bytes": moved // 2,
        "by_finding": {"duplicates": {"files": 1, "bytes": moved // 3}}, "client": "bench",
    }  # fmt: skip


async def post(run: Run, client: Client, code: str, n: int, *, replay: bool = False) -> None:
    data = submission(n)
    # each participant from its own address, through the trusted reverse proxy
    headers = {"X-Forwarded-For": f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"}
    status, content = await client.request(
        "POST", f"/api/v1/campaigns/{code}/submissions", json.dumps(data).encode(), headers
    )
    run.count(status)
    run.posts += 1
    run.replays += replay
    if status in (200, 201):
        run.sent[(code, data["key"])] = data["moved_bytes"]
    else:
        run.errors.append(f"POST {code} #{n}: {status} {content[:200]!r}")


async def poster(
    run: Run, client: Client, codes: list[str], queue: asyncio.Queue[int], due: Due | None
) -> None:
    while True:
        try:
            n = queue.get_nowait()
        except asyncio.QueueEmpty:
            return
        if due is not None:  # --rate: submission n leaves at its moment, not before
            await asyncio.sleep(max(0.0, due(n) - time.perf_counter()))
        code = codes[n % len(codes)]
        if n % 50 == 1:  # the same submission twice at the same instant: counted once
            await asyncio.gather(
                post(run, client, code, n), post(run, client, code, n, replay=True)
            )
        else:
            await post(run, client, code, n)
        if n % 10 == 0:  # sent again once acknowledged (a retry after a lost answer)
            await post(run, client, code, n, replay=True)


Due = Callable[[int], float]


async def reader(run: Run, client: Client, done: asyncio.Event, due: Due | None = None) -> None:
    """Reads the API and the page in turn, back to back, or read ``k`` at ``due(k)``."""
    paths = {"api": f"/api/v1/dashboards/campaigns/{SLUG}", "page": f"/campagnes/{SLUG}/mesures/"}
    turn = 0
    while not done.is_set():
        if due is not None:
            wait = due(turn) - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            if done.is_set():
                break
        kind = ("api", "page")[turn % 2]
        turn += 1
        start = time.perf_counter()
        status, content = await client.request("GET", paths[kind])
        run.latencies[kind].append(time.perf_counter() - start)
        run.count(status)
        if status != 200:
            run.errors.append(f"GET {paths[kind]}: {status} {content[:200]!r}")


async def drive(
    args: argparse.Namespace, port: int, codes: list[str], read_port: int | None = None
) -> tuple[Run, float]:
    """``read_port``: the readers' own pool (``--read-workers``), else the same as posts."""
    run = Run()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(args.submissions):
        queue.put_nowait(n)
    done = asyncio.Event()
    keep = args.keep_alive
    clients = [Client(read_port or port, keep_alive=keep) for _ in range(args.readers)]
    clients += [Client(port, keep_alive=keep) for _ in range(args.concurrency)]
    start = time.perf_counter()
    readers = [
        asyncio.create_task(reader(run, client, done, _read_due(args, start, i)))
        for i, client in enumerate(clients[: args.readers])
    ]
    # submission n is due at start + n / rate: the rate a campaign's peak would bring,
    # kept whatever the answers' times (a server that cannot hold it falls behind)
    due = paced(start, args.rate) if args.rate else None
    posters = [poster(run, client, codes, queue, due) for client in clients[args.readers :]]
    await asyncio.gather(*posters)
    elapsed = time.perf_counter() - start
    done.set()
    await asyncio.gather(*readers)
    run.connections = sum(client.opened for client in clients)
    for client in clients:
        client.close()
    return run, elapsed


def paced(start: float, rate: float, stride: int = 1, offset: int = 0) -> Due:
    """Event n is due at start + (n stride + offset) / rate."""

    def due(n: int) -> float:
        return start + (n * stride + offset) / rate

    return due


def _read_due(args: argparse.Namespace, start: float, i: int) -> Due | None:
    """With ``--read-rate R``: reader ``i`` of N sends its read k at start + (k N + i) / R,
    the readers together R a second, whatever their answers' times."""
    if not args.read_rate:
        return None
    return paced(start, float(args.read_rate), int(args.readers), i)


#: gunicorn hooks for ``--profile``: each worker profiles itself (gunicorn's HTTP handling
#: included) on the CPU clock from its fork to its exit
PROFILE_HOOKS = """
import cProfile, os, time
profiles = []
def post_fork(server, worker):
    profiles.append(cProfile.Profile(time.process_time))
    profiles[0].enable()
def worker_exit(server, worker):
    if profiles:
        profiles[0].disable()
        profiles[0].dump_stats(os.path.join({folder!r}, f"worker-{{os.getpid()}}.pstats"))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(database_url: str, home: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "menage.platform.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "MENAGE_HOME": str(home),
        "DJANGO_STATIC_ROOT": str(home / "static"),
        "MENAGE_TRUSTED_PROXIES": "127.0.0.1",
        "MENAGE_SUBMISSIONS_PER_CODE": "1000000",
    }


def prepare(schools: int, preload: int) -> list[str]:
    """Migrate, then a district, its schools, their codes and ``preload`` old submissions."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    from django.db import connections

    from menage.platform.campaigns.models import Campaign
    from menage.platform.measures.models import ParticipationCode, Submission
    from menage.platform.organisations.models import Organisation

    today = dt.date.today()
    district = Organisation.objects.create(name="District", slug=DISTRICT, kind="school_district")
    campaign = Campaign.objects.create(
        organisation=district, name="Semaine", slug=SLUG, kind="data",
        starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=3),
    )  # fmt: skip
    codes = []
    for n in range(schools):
        school = Organisation.objects.create(
            name=f"École {n:03d}", slug=f"ecole-{n:03d}", kind="school", parent=district
        )
        codes.append(ParticipationCode.objects.create(campaign=campaign, organisation=school))
    rows = [
        Submission(
            code=codes[n % schools],
            campaign=campaign,
            organisation_id=codes[n % schools].organisation_id,
            key=f"old-{n:012d}",
            status="accepted",
            since=today,
            channel="computer",
            moved_files=1,
            moved_bytes=MB,
            freed_bytes=0,
        )  # fmt: skip
        for n in range(preload)
    ]
    Submission.objects.bulk_create(rows, batch_size=5000)
    # spread the old rows over the campaign's days, as a week would
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "UPDATE measures_submission SET received_at = received_at - (id % 4) * interval '1 day'"
        )
    connections.close_all()
    # as autovacuum would have done on a live site: statistics and the visibility map
    # (index-only scans for the cache key's counts)
    with connections["default"].cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connections.close_all()
    return [code.code for code in codes]


def check(run: Run, preload: int) -> dict[str, Any]:
    """The database and the dashboard against what the server acknowledged."""
    from django.db.models import Count, Sum

    from menage.platform.measures.api import campaign_answer
    from menage.platform.measures.models import Submission

    current = Submission.objects.filter(campaign__slug=SLUG, current=True, status="accepted")
    sums = current.filter(key__startswith="bench-").aggregate(n=Count("pk"), b=Sum("moved_bytes"))
    duplicated = (
        Submission.objects.filter(current=True).values("code", "key")
        .annotate(n=Count("pk")).filter(n__gt=1).count()
    )  # fmt: skip
    from menage.platform.campaigns.models import Campaign

    figures = campaign_answer(Campaign.objects.get(slug=SLUG))["figures"]
    expected_bytes = sum(run.sent.values())
    return {
        "distinct_sent": len(run.sent),
        "distinct_stored": sums["n"],
        "lost": max(0, len(run.sent) - sums["n"]),
        "double_counted": max(0, sums["n"] - len(run.sent)) + duplicated,
        "bytes_match": sums["b"] == expected_bytes,
        "dashboard_matches": figures["participants"] == preload + len(run.sent)
        and figures["moved_bytes"] == preload * MB + expected_bytes,
    }


def quiet_reads_done(quiet: dict[str, list[float]]) -> int:
    return max(1, sum(len(v) for v in quiet.values()))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def postgres_cpu(cluster: PostgresCluster) -> float:
    """CPU seconds of the postmaster and of its backends that have exited (Linux)."""
    pid = (cluster.data / "postmaster.pid").read_text().split()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime, stime, cutime, cstime: fields 14-17 of stat(5), counted after the ")"
    ticks = sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_cpu(parent: int) -> float:
    """CPU seconds of the live processes whose parent is ``parent`` (gunicorn's workers,
    PostgreSQL's backends), read from /proc (Linux): per phase, before they exit."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == parent:  # ppid: field 4 of stat(5)
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def phase_cpu(
    servers: list[subprocess.Popen[bytes]], cluster: PostgresCluster
) -> tuple[float, float]:
    """(gunicorn: every pool, PostgreSQL) CPU seconds so far, live processes included."""
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    pools = sum(tree_cpu(server.pid) for server in servers)
    return pools, tree_cpu(postmaster) + postgres_cpu(cluster)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=20_000)
    parser.add_argument("--preload", type=int, default=20_000)
    parser.add_argument("--schools", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--worker-class", default="gthread", choices=("gthread", "sync"),
        help="gunicorn's workers: gthread keeps connections alive, sync closes each one",
    )  # fmt: skip
    parser.add_argument("--threads", type=int, default=2, help="threads per gthread worker")
    parser.add_argument(
        "--read-workers", type=int,
        help="of --workers, those of a second gunicorn that only the readers use (as a "
        f"reverse proxy routing the submissions apart would); 0: one pool (default: "
        f"{READ_WORKERS} with readers and more workers, else 0)",
    )  # fmt: skip
    parser.add_argument(
        "--post-nice", type=int, default=POST_NICE,
        help="with --read-workers, the posts' pool runs under nice(1) by this much, so that "
        "the CPU goes to a read first (systemd's Nice= in docs/deployment.md)",
    )  # fmt: skip
    parser.add_argument(
        "--server", default="gunicorn", choices=("gunicorn", "granian"),
        help="the WSGI server (granian: a dev dependency, measured against gunicorn)",
    )  # fmt: skip
    parser.add_argument(
        "--no-keep-alive", dest="keep_alive", action="store_false",
        help="the load tool opens a connection per request",
    )  # fmt: skip
    parser.add_argument("--concurrency", type=int, default=24)
    parser.add_argument(
        "--rate", type=float,
        help="submissions per second, paced (default: as fast as the server answers); the "
        "readers' latencies are then those of a server holding that rate",
    )  # fmt: skip
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument(
        "--read-rate", type=float,
        help="dashboard reads per second, all readers together, paced (default: each reader "
        "reads back to back, so cheaper reads mean more of them)",
    )  # fmt: skip
    parser.add_argument(
        "--freshness", type=float,
        help="MENAGE_MEASURES_FRESHNESS for the servers' workers (seconds a worker serves a "
        "campaign's figures without checking the database; 0: every read checks; default: "
        "the environment's, else the settings' 1)",
    )  # fmt: skip
    parser.add_argument("--quiet-reads", type=int, default=50)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--profile", type=Path, help="cProfile every gunicorn worker (CPU clock) into this folder"
    )
    args = parser.parse_args(argv)
    if args.read_workers is None:
        # one pool when nothing reads, or when one worker is all there is
        args.read_workers = READ_WORKERS if args.readers and args.workers > READ_WORKERS else 0
    if not 0 <= args.read_workers < args.workers:
        parser.error("--read-workers: from 0 to --workers minus 1 (the posts' pool)")
    bindir = postgres_bin()
    if bindir is None:
        print("PostgreSQL server binaries (initdb, pg_ctl) not found", file=sys.stderr)
        return 2
    cluster = PostgresCluster(bindir)
    home = Path(tempfile.mkdtemp(prefix="menage-load-"))
    servers: list[subprocess.Popen[bytes]] = []
    try:
        cluster.start()
        cluster.run("createdb", "menage_bench")
        url = cluster.url("menage_bench") + "&conn_max_age=600"
        os.environ.update(environment(url, home))
        if args.freshness is not None:  # inherited by gunicorn and its workers
            os.environ["MENAGE_MEASURES_FRESHNESS"] = str(args.freshness)
        codes = prepare(args.schools, args.preload)
        port = free_port()
        children_before = children_cpu()
        database_before = postgres_cpu(cluster)
        post_workers = args.workers - args.read_workers
        servers = [start_server(args, home, port, post_workers, "posts")]
        read_port = None
        if args.read_workers:
            read_port = free_port()
            servers.append(start_server(args, home, read_port, args.read_workers, "reads"))
        for server, at in zip(servers, (port, read_port), strict=False):
            wait_ready(at or port, server)
        # every worker loads its impact factors and templates before the clock starts
        asyncio.run(warm_up(read_port or port, args.workers * 4))
        client_before = resource.getrusage(resource.RUSAGE_SELF)
        load_before = phase_cpu(servers, cluster)
        wall = time.perf_counter()
        run, elapsed = asyncio.run(drive(args, port, codes, read_port))
        wall = time.perf_counter() - wall
        client_after = resource.getrusage(resource.RUSAGE_SELF)
        load_after = phase_cpu(servers, cluster)
        quiet = asyncio.run(
            quiet_reads(read_port or port, args.quiet_reads, keep_alive=args.keep_alive)
        )
        quiet_after = phase_cpu(servers, cluster)
        # both pools' CPU: each gunicorn and its workers, once stopped (waited for)
        while servers:
            stop(servers.pop())
        server_cpu = children_cpu() - children_before
        time.sleep(1)  # the backends of the closed connections exit
        database_cpu = postgres_cpu(cluster) - database_before
        checks = check(run, args.preload)
    finally:
        for log in sorted(home.glob("gunicorn-*.log")):
            if log.stat().st_size:
                print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
        while servers:
            stop(servers.pop())
        cluster.stop()
        shutil.rmtree(home, ignore_errors=True)
    client_cpu = (client_after.ru_utime + client_after.ru_stime) - (
        client_before.ru_utime + client_before.ru_stime
    )
    fives = sum(n for status, n in run.statuses.items() if status >= 500)
    results = {
        "submissions": args.submissions,
        "posts": run.posts,
        "replays": run.replays,
        "seconds": round(elapsed, 2),
        "submissions_per_s": round(args.submissions / elapsed, 1),
        "posts_per_s": round(run.posts / elapsed, 1),
        "dashboard_reads": {k: len(v) for k, v in run.latencies.items()},
        "p50_ms": {k: round(statistics.median(v) * 1000, 1) for k, v in run.latencies.items() if v},
        "p95_ms": {k: round(percentile(v, 0.95) * 1000, 1) for k, v in run.latencies.items()},
        "quiet_p50_ms": {k: round(statistics.median(v) * 1000, 1) for k, v in quiet.items() if v},
        "quiet_p95_ms": {k: round(percentile(v, 0.95) * 1000, 1) for k, v in quiet.items()},
        "statuses": dict(sorted(run.statuses.items())),
        "status_5xx": fives,
        "load_tool_cpu_s": round(client_cpu, 2),
        "load_tool_cores": round(client_cpu / wall, 2),
        "gunicorn_cpu_s": round(server_cpu, 2),
        "postgres_cpu_s": round(database_cpu, 2),
        # what 2 cores would carry if the server, PostgreSQL and the load tool had them
        # alone (the machine is shared: the wall-clock rate depends on its neighbours)
        "posts_per_s_on_2_dedicated_cores": round(
            2 * run.posts / max(0.01, server_cpu + database_cpu + client_cpu), 1
        ),
        # CPU per request of each phase, live workers and backends included: what says
        # whether 500/s fits on N cores (the wall-clock rate depends on the neighbours)
        "load_cpu_ms_per_post": {
            "gunicorn": round((load_after[0] - load_before[0]) * 1000 / max(1, run.posts), 2),
            "postgres": round((load_after[1] - load_before[1]) * 1000 / max(1, run.posts), 2),
        },
        "load_reads": sum(len(v) for v in run.latencies.values()),
        "quiet_cpu_ms_per_read": {
            "gunicorn": round((quiet_after[0] - load_after[0]) * 1000 / quiet_reads_done(quiet), 2),
            "postgres": round((quiet_after[1] - load_after[1]) * 1000 / quiet_reads_done(quiet), 2),
        },
        "workers": args.workers,
        # the reads' own pool (the rest post); 0: one pool for everything
        "read_workers": args.read_workers,
        "post_nice": args.post_nice if args.read_workers else 0,
        "server": args.server,
        "worker_class": args.worker_class,
        "threads": args.threads if args.worker_class == "gthread" else 1,
        "load_tool_connections": run.connections,
        "load_tool_cpu_ms_per_post": round(client_cpu * 1000 / max(1, run.posts), 2),
        "concurrency": args.concurrency,
        "rate": args.rate,
        "read_rate": args.read_rate,
        # what the workers were started with: a read may show figures this many seconds old
        "freshness_s": os.environ.get("MENAGE_MEASURES_FRESHNESS", "1 (default)"),
        "preload": args.preload,
        "cpus": os.cpu_count(),
        "load_average_1m": os.getloadavg()[0],
        **checks,
    }
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    for error in run.errors[:10]:
        print(error, file=sys.stderr)
    ok = (
        fives == 0
        and checks["lost"] == 0
        and checks["double_counted"] == 0
        and checks["bytes_match"]
        and checks["dashboard_matches"]
        and set(run.statuses) <= {200, 201}
    )
    print("checks: " + ("all passed" if ok else "FAILED"))
    return 0 if ok else 1


def start_server(
    args: argparse.Namespace, home: Path, port: int, workers: int, name: str
) -> subprocess.Popen[bytes]:
    """One gunicorn pool (``name``: its log's) of ``workers`` workers on ``port``."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    extra = ["--worker-class", args.worker_class]
    if args.worker_class == "gthread":
        # connections kept 30 s, as a reverse proxy's upstream keep-alive would
        extra += ["--threads", str(args.threads), "--keep-alive", "30"]
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
        hooks = home / "gunicorn_profile.py"
        hooks.write_text(PROFILE_HOOKS.format(folder=str(args.profile.resolve())))
        extra += ["--config", str(hooks)]
    nice = ["nice", "-n", str(args.post_nice)] if name == "posts" and args.read_workers else []
    command = [str(gunicorn), "menage.platform.wsgi", "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--log-level", "warning",
               # imported once, before the fork; a slow start on a busy machine is no hang
               "--preload", "--timeout", "300", *extra]  # fmt: skip
    if args.server == "granian":
        # Rust's HTTP/1.1 (keep-alive) in front of the same WSGI application; each
        # worker process imports it, with its threads for the blocking WSGI calls
        command = [str(gunicorn.with_name("granian")), "--interface", "wsgi", "--no-ws",
                   "--host", "127.0.0.1", "--port", str(port), "--backlog", "2048",
                   "--workers", str(workers), "--blocking-threads", str(args.threads),
                   "--log-level", "warning", "menage.platform.wsgi:application"]  # fmt: skip
    return subprocess.Popen(
        [*nice, *command],
        cwd=home, start_new_session=True, stdout=subprocess.DEVNULL,
        stderr=(home / f"gunicorn-{name}.log").open("wb"),
    )  # fmt: skip


def stop(server: subprocess.Popen[bytes]) -> None:
    """Gunicorn and its workers (its own process group), gracefully then for good."""
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def wait_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start in 120 s")


async def quiet_reads(port: int, count: int, *, keep_alive: bool) -> dict[str, list[float]]:
    """The dashboards read one at a time once the submissions are over: their own cost,
    without the queue behind busy workers."""
    found: dict[str, list[float]] = {"api": [], "page": []}
    paths = {"api": f"/api/v1/dashboards/campaigns/{SLUG}", "page": f"/campagnes/{SLUG}/mesures/"}
    client = Client(port, keep_alive=keep_alive)
    for n in range(count * 2):
        kind = ("api", "page")[n % 2]
        start = time.perf_counter()
        status, _ = await client.request("GET", paths[kind])
        if status == 200:
            found[kind].append(time.perf_counter() - start)
    client.close()
    return found


async def warm_up(port: int, count: int) -> None:
    for path in (f"/api/v1/dashboards/campaigns/{SLUG}", f"/campagnes/{SLUG}/mesures/"):
        client = Client(port, keep_alive=False)
        results = await asyncio.gather(*(client.request("GET", path) for _ in range(count)))
        bad = [status for status, _ in results if status != 200]
        if bad:
            raise SystemExit(f"warm-up: {path} answered {bad[:3]}: {results[0][1][:2000]!r}")


if __name__ == "__main__":
    raise SystemExit(main())
