"""A review server in this process, on a generated tree, and a plain HTTP client for it."""

from __future__ import annotations

import http.client
import os
import re
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from menage import Workspace
from menage.review import Review, ReviewServer, offered_folders

YEAR = 365 * 24 * 3600


def make_tree(root: Path) -> Path:
    """Two folders sharing two duplicate groups, a big file and an old file."""
    (root / "Documents").mkdir(parents=True)
    (root / "Copies").mkdir()
    for n, size in ((1, 40_000), (2, 25_000)):
        data = bytes([n]) * size + os.urandom(64)
        (root / "Documents" / f"rapport-{n}.pdf").write_bytes(data)
        (root / "Copies" / f"rapport-{n} (copie).pdf").write_bytes(data)
        # the copy in Documents is the older: the rule keeps it
        old = time.time() - 10 * 24 * 3600
        os.utime(root / "Documents" / f"rapport-{n}.pdf", (old, old))
    (root / "Documents" / "video.mp4").write_bytes(os.urandom(300_000))
    ancient = root / "Documents" / "vieux-devis.odt"
    ancient.write_bytes(os.urandom(5_000))
    when = time.time() - 5 * YEAR
    os.utime(ancient, (when, when))
    return root


@dataclass
class Client:
    server: ReviewServer

    @property
    def base(self) -> str:
        return "/" + self.server.guard.token + "/"

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.guard.port, timeout=30)
        sent = {"Host": f"127.0.0.1:{self.server.guard.port}"}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def get(self, route: str, **headers: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", self.base + route, headers=headers)

    def post(
        self, route: str, fields: dict[str, str | list[str]], csrf: bool = True, **headers: str
    ) -> tuple[int, dict[str, str], str]:
        data = dict(fields)
        if csrf:
            data["csrf"] = self.server.guard.csrf
        body = urllib.parse.urlencode(data, doseq=True).encode()
        return self.request("POST", self.base + route, body, headers)

    def scan(self, *folders: Path) -> None:
        status, headers, _text = self.post("scan", {"folder": [str(f) for f in folders]})
        assert status == 303, _text
        job = self.server.review.job
        assert job is not None and job.thread is not None
        job.thread.join(120)
        assert job.finished and job.error is None, job.error

    def picks(self) -> list[str]:
        _status, _headers, text = self.get("review")
        return re.findall(r'name="pick" value="([^"]+)"', text)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "maison")


@pytest.fixture
def server(tree: Path, menage_home: Path) -> Iterator[ReviewServer]:
    offered = offered_folders([tree / "Documents", tree / "Copies", tree])
    running = ReviewServer(Review(Workspace(menage_home), offered))
    running.start(poll_s=0.2)
    yield running
    running.stop()


@pytest.fixture
def client(server: ReviewServer) -> Client:
    return Client(server)
