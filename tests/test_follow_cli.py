"""`frame-remix peers ...`: follow, list, trust, confirm a key change, block and poll from the shell.
Exit 0 on success, 2 with `error: ...` lines and no traceback; the peer is a signed server on 127.0.0.1."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import gallery.db
from benchmarks.signed_peer import SignedPeer
from frame_remix_cli import PEERS_COMMANDS, main
from tests.test_gallery_support import ADMIN, BUS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("FRAME_REMIX_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("FRAME_REMIX_ADMIN_KEY", ADMIN)
    monkeypatch.chdir(tmp_path)
    yield tmp_path / "data"
    for store in list(gallery.db._stores.values()):
        gallery.db.close_store(store)


@pytest.fixture
def peer() -> Iterator[SignedPeer]:
    with SignedPeer() as p:
        yield p


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_follow_trust_and_poll_from_the_shell(data, capsys, peer: SignedPeer) -> None:
    peer.remix(BUS, "remix-one")
    code, out, _ = run(capsys, "peers", "add", peer.url)
    assert code == 0 and out.startswith(f"added: {peer.url} (key {peer.secret.public.id_hex} pinned, state new)\n")
    code, out, _ = run(capsys, "peers", "poll")
    assert code == 0 and f"polled {peer.url}: 1 kept, 0 deletes, 0 refused" in out
    code, out, _ = run(capsys, "peers", "list")
    assert f"{peer.url}  new      key {peer.secret.public.id_hex}  0 shown, 1 waiting, 0 hidden" in out
    code, out, _ = run(capsys, "peers", "trust", peer.url)
    assert (code, out) == (0, f"trusted: {peer.url}; 1 remix shown in the gallery\n")
    code, out, _ = run(capsys, "peers", "list", "--json")
    assert json.loads(out)[0]["state"] == "trusted" and json.loads(out)[0]["published"] == 1


def test_a_key_change_is_shown_and_confirmed(data, capsys, peer: SignedPeer) -> None:
    run(capsys, "peers", "add", peer.url)
    old = peer.secret.public.id_hex
    peer.rotate_key()
    code, _, err = run(capsys, "peers", "poll", peer.url)
    assert code == 2 and f"error: {peer.url}: {peer.url} now shows the key {peer.secret.public.id_hex}" in err
    code, out, _ = run(capsys, "peers", "list")
    assert f"key change waiting: {peer.secret.public.id_hex} (confirm with `frame-remix peers confirm-key {peer.url}`)" in out
    code, out, _ = run(capsys, "peers", "confirm-key", peer.url)
    assert (code, out) == (0, f"confirmed: {peer.url} now pinned to key {peer.secret.public.id_hex} (was {old})\n")


def test_block_and_wrong_admin_key(data, capsys, peer: SignedPeer) -> None:
    code, _, err = run(capsys, "peers", "add", peer.url, "--admin-key", "wrong")
    assert (code, err) == (2, "error: managing peers needs the instance admin key\n")
    run(capsys, "peers", "add", peer.url, "--admin-key", ADMIN)
    code, out, _ = run(capsys, "peers", "block", peer.url)
    assert code == 0 and out.startswith(f"blocked: {peer.url}; its remixes are gone")
    code, out, _ = run(capsys, "peers", "poll")
    assert (code, out) == (0, "no peers to poll; add one with `frame-remix peers add URL`\n")
    code, _, err = run(capsys, "peers", "trust", "https://nobody.example")
    assert (code, err) == (2, "error: https://nobody.example is not on the allowlist; add it first\n")
    code, _, err = run(capsys, "peers", "add", "not a url")
    assert code == 2 and err.startswith("error: 'not a url' is not an instance address")


def test_every_peers_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [name for name, *_ in PEERS_COMMANDS if f"frame-remix peers {name}" not in readme]
    assert missing == []


def test_import_a_pack_from_a_followed_peer(data, capsys, peer: SignedPeer) -> None:
    code, _, err = run(capsys, "peers", "import", peer.url, "sha256-" + "0" * 64)
    assert (code, err) == (2, f"error: {peer.url} is not on the allowlist; add it first\n")
    run(capsys, "peers", "add", peer.url)
    code, _, err = run(capsys, "peers", "import", peer.url, "sha256-" + "0" * 64)
    assert code == 2 and err.startswith(f"error: The peer {peer.url} answered 404")


def test_hide_and_report_a_remote_remix(data, capsys, peer: SignedPeer) -> None:
    peer.remix(BUS, "remix-one")
    peer.remix(BUS, "remix-two")
    run(capsys, "peers", "add", peer.url)
    run(capsys, "peers", "trust", peer.url)
    run(capsys, "peers", "poll")
    code, out, _ = run(capsys, "peers", "hide", peer.url, "remix-one")
    assert (code, out) == (0, f"remix-one from {peer.url}: hidden here (its home is not told; `peers report` does that)\n")
    code, out, _ = run(capsys, "peers", "report", peer.url, "remix-two", "--reason", "spam")
    assert (code, out) == (0, f"remix-two: reported to {peer.url}; its organizers decide\n")
    assert peer.reports == [{"remix": "remix-two", "reason": "spam"}]
    code, _, err = run(capsys, "peers", "report", peer.url, "remix-one", "--reason", "spam")
    assert (code, err) == (2, f"error: there is no remix 'remix-one' from {peer.url} shown here\n")
    code, out, _ = run(capsys, "peers", "list")
    assert "1 shown, 0 waiting, 1 hidden" in out
