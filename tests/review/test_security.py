"""The review server answers its own page only: token, Host, Origin, CSRF, chosen folders."""

from __future__ import annotations

import os
import re
import socket

import pytest

from menage.review.security import Guard, OutsideRoots, check_paths_inside, chosen_folders


def test_listens_on_loopback_only(server):
    host, port = server.httpd.server_address[:2]
    assert host == "127.0.0.1" and port == server.guard.port
    assert server.url.startswith(f"http://127.0.0.1:{port}/")
    # the token is long and random: two servers never share one
    assert len(server.guard.token) >= 40 and Guard().token != Guard().token


def test_every_other_interface_is_closed(server):
    addresses = {str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None)}
    for address in addresses - {"127.0.0.1", "::1"}:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with socket.socket(family) as sock:
            sock.settimeout(2)
            assert sock.connect_ex((address, server.guard.port)) != 0, address


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/", id="no-token"),
        pytest.param("/wrong-token/", id="wrong-token"),
        pytest.param("/static/site.css", id="static-without-token"),
        pytest.param("/progress.json", id="json-without-token"),
    ],
)
def test_requests_without_the_token_are_refused(client, path):
    status, _headers, text = client.request("GET", path)
    assert status == 403
    assert "token" in text


def test_a_token_prefix_is_not_enough(client):
    token = client.server.guard.token
    for path in (f"/{token[:-1]}/", f"/{token}x/", f"/{token.upper()}/"):
        if path == f"/{token}/":
            continue
        assert client.request("GET", path)[0] == 403


def test_the_page_with_its_token_is_served_with_strict_headers(client):
    status, headers, text = client.get("")
    assert status == 200
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"
    assert 'name="csrf"' in text


@pytest.mark.parametrize(
    "host",
    [
        pytest.param("evil.example:{port}", id="rebound-name"),
        pytest.param("127.0.0.1:1", id="other-port"),
        pytest.param("", id="empty"),
        pytest.param("127.0.0.1.evil.example:{port}", id="suffix"),
    ],
)
def test_a_foreign_host_header_is_refused(client, host):
    port = client.server.guard.port
    status, _headers, text = client.get("", Host=host.format(port=port))
    assert status == 403 and "Host" in text


def test_localhost_is_a_name_of_this_server(client):
    assert client.get("", Host=f"localhost:{client.server.guard.port}")[0] == 200


@pytest.mark.parametrize(
    "origin",
    [
        pytest.param("http://evil.example", id="other-site"),
        pytest.param("null", id="null"),
        pytest.param("http://127.0.0.1:1", id="other-port"),
        pytest.param("https://127.0.0.1:{port}", id="other-scheme"),
    ],
)
def test_a_foreign_origin_is_refused_even_with_the_tokens(client, tree, origin):
    port = client.server.guard.port
    status, _headers, text = client.post(
        "scan", {"folder": str(tree / "Documents")}, Origin=origin.format(port=port)
    )
    assert status == 403 and "Origin" in text
    assert client.server.review.job is None  # nothing started


def test_cross_site_fetches_are_refused(client):
    status, _headers, _text = client.get("", **{"Sec-Fetch-Site": "cross-site"})
    assert status == 403


def test_the_own_origin_is_accepted(client, tree):
    port = client.server.guard.port
    status, _headers, _text = client.post(
        "scan", {"folder": str(tree / "Documents")}, Origin=f"http://127.0.0.1:{port}"
    )
    assert status == 303


@pytest.mark.parametrize("route", ["scan", "clean", "undo", "quit"])
@pytest.mark.parametrize("csrf", [None, "", "forged"], ids=["missing", "empty", "forged"])
def test_every_post_needs_the_csrf_token(client, tree, route, csrf):
    fields: dict[str, str | list[str]] = {"folder": str(tree), "pick": "duplicates/1", "run": "1"}
    if csrf is not None:
        fields["csrf"] = csrf
    status, _headers, text = client.post(route, fields, csrf=False)
    assert status == 403 and "CSRF" in text
    assert client.server.review.job is None
    assert not client.server.app.finished.is_set()


def test_two_csrf_tokens_are_refused(client, tree):
    fields = {"folder": str(tree), "csrf": [client.server.guard.csrf, "other"]}
    assert client.post("scan", fields, csrf=False)[0] == 403


@pytest.mark.parametrize(
    "folder",
    [
        pytest.param("/etc", id="elsewhere"),
        pytest.param("{tree}/Documents/..", id="dot-dot"),
        pytest.param("{tree}/Documents/../../..", id="dot-dot-up"),
        pytest.param("{tree}/Documents/", id="trailing-slash"),
        pytest.param("{tree}/lien", id="symlink-to-elsewhere"),
        pytest.param("", id="empty"),
        pytest.param("\x00", id="nul"),
    ],
)
def test_folders_not_offered_are_refused(client, tree, folder, tmp_path):
    (tree / "lien").symlink_to(tmp_path.parent)
    status, _headers, text = client.post("scan", {"folder": folder.format(tree=tree)})
    assert status == 400
    assert "outside the folders chosen" in text
    assert client.server.review.job is None


def test_chosen_folders_keeps_the_offered_ones_only(tmp_path):
    offered = [tmp_path / "a", tmp_path / "b"]
    assert chosen_folders([str(offered[1]), str(offered[1])], offered) == [offered[1]]
    with pytest.raises(OutsideRoots):
        chosen_folders([str(tmp_path)], offered)


def test_a_folder_swapped_for_a_symlink_leaves_the_roots(tmp_path):
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me")
    inside_path = os.fsencode(root / "sub" / "precious.txt")
    check_paths_inside([inside_path], [root])
    # after the scan, someone replaces the folder by a link to elsewhere
    (root / "sub").rmdir()
    (root / "sub").symlink_to(outside)
    with pytest.raises(OutsideRoots):
        check_paths_inside([inside_path], [root])
    with pytest.raises(OutsideRoots):
        check_paths_inside([os.fsencode(outside / "precious.txt")], [root])


@pytest.mark.parametrize(
    "picks",
    [
        pytest.param(["../../etc/passwd"], id="a-path"),
        pytest.param(["duplicates/0"], id="zero"),
        pytest.param(["duplicates/1/x"], id="not-a-number"),
        pytest.param(["<script>/1"], id="markup"),
        pytest.param(["duplicates/1" + "0" * 30], id="huge"),
    ],
)
def test_picks_that_are_not_findings_are_refused(client, tree, picks):
    client.scan(tree)
    status, _headers, text = client.post("clean", {"pick": picks})
    assert status == 400
    assert "not a finding" in text
    assert "<script>" not in text
    assert client.server.review.workspace.history() == []


@pytest.mark.parametrize(
    "pick",
    [
        pytest.param("duplicates/99", id="no-such-group"),
        pytest.param("duplicates/1/9", id="no-such-copy"),
        pytest.param("photos/1", id="unknown-kind"),
        pytest.param("duplicate_folders/1", id="not-plannable"),
    ],
)
def test_findings_not_in_the_scan_are_refused_with_a_message(client, tree, pick):
    client.scan(tree)
    status, _headers, text = client.post("clean", {"pick": pick})
    assert status == 400
    assert re.search(r"error-summary", text)
    assert client.server.review.workspace.history() == []


def test_every_copy_of_a_group_cannot_be_picked(client, tree):
    client.scan(tree)
    status, _headers, text = client.post("clean", {"pick": ["duplicates/1/1", "duplicates/1/2"]})
    assert status == 400 and "one must stay" in text
    assert len(list((tree / "Documents").glob("rapport-*"))) == 2


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"csrf=%ff%fe", id="not-utf8"),
        pytest.param(b"a=1&" * 30_000, id="too-many-fields"),
    ],
)
def test_malformed_forms_are_refused(client, body):
    status, _headers, text = client.request(
        "POST",
        client.base + "scan",
        body,
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status in (400, 403)
    assert "Traceback" not in text


def test_a_huge_body_is_refused_unread(client):
    status, _headers, _text = client.request(
        "POST", client.base + "scan", b"x", {"Content-Length": "999999999"}
    )
    assert status == 400


def test_other_methods_are_refused(client):
    assert client.request("DELETE", client.base)[0] == 405
    assert client.request("PUT", client.base + "clean", b"")[0] == 405
