"""An instance that works out of the box: a fresh data folder gets the bundled frames and an
owner-only admin key on the first gallery command, and the CLI moderates with that key."""
from __future__ import annotations

import json
import multiprocessing
import os
import stat
from pathlib import Path

import pytest

from gallery.adminkey import KEY_FILE, admin_key_path, resolve_admin_key
from gallery.instance import admin_notice
from tests.drive import run_cli


@pytest.fixture
def fresh(cli_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder nobody has used, no FRAME_REMIX_ADMIN_KEY, cwd outside the checkout."""
    monkeypatch.delenv("FRAME_REMIX_ADMIN_KEY", raising=False)
    return cli_home


def test_first_gallery_command_makes_an_owner_only_key_and_installs_the_bundled_frames(fresh, capsys) -> None:
    code, out, err = run_cli(capsys, "gallery", "frames")
    assert code == 0, err
    assert [line.split()[0] for line in out.splitlines()] == sorted(["care-counts", "clean-air", "ride-the-bus"])
    key_file = fresh / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 32


def test_pack_of_a_bundled_frame_on_a_fresh_folder(fresh, capsys, tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "pack", "ride-the-bus", "-o", str(tmp_path / "bus.zip"))
    assert code == 0, err
    assert out.startswith(f"wrote {tmp_path / 'bus.zip'}")


def test_the_key_file_approves_a_pending_care_counts_remix(fresh, capsys) -> None:
    code, out, err = run_cli(capsys, "publish", "care-counts", "--sample", "--consent", "--json")
    assert code == 0, err
    remix = json.loads(out)
    assert remix["status"] == "pending"
    key = (fresh / KEY_FILE).read_text().strip()
    code, out, err = run_cli(capsys, "gallery", "moderate", remix["id"], "approve", "--key", key)
    assert (code, out) == (0, f"{remix['id']}: published\n"), err
    code, out, _ = run_cli(capsys, "gallery", "list", "--frame", "care-counts", "--json")
    assert [r["id"] for r in json.loads(out)["items"]] == [remix["id"]]


def test_without_key_the_cli_falls_back_to_the_key_file(fresh, capsys) -> None:
    code, out, _ = run_cli(capsys, "publish", "care-counts", "--sample", "--consent", "--json")
    remix = json.loads(out)["id"]
    code, out, err = run_cli(capsys, "gallery", "moderate", remix, "approve")
    assert (code, out) == (0, f"{remix}: published\n"), err
    code, _, err = run_cli(capsys, "gallery", "moderate", remix, "hide", "--reason", "x", "--key", "wrong")
    assert code == 2 and "does not open the frame 'care-counts'" in err


def test_the_environment_wins_and_writes_no_file(tmp_path: Path) -> None:
    admin = resolve_admin_key(tmp_path, "  from-the-env-0123456789  ")
    assert (admin.key, admin.path, admin.created) == ("from-the-env-0123456789", None, False)
    assert not admin_key_path(tmp_path).exists()


def test_a_second_start_reads_the_same_key(tmp_path: Path) -> None:
    first, second = resolve_admin_key(tmp_path), resolve_admin_key(tmp_path)
    assert first.created and not second.created and first.key == second.key


def test_an_emptied_key_file_is_one_sentence(tmp_path: Path) -> None:
    admin_key_path(tmp_path).write_text("")
    with pytest.raises(Exception) as caught:
        resolve_admin_key(tmp_path)
    assert str(caught.value) == (f"the admin key file '{admin_key_path(tmp_path)}' is empty or too short; "
                                 "delete it and start again to make a new key")


def _race(folder: str, barrier, results) -> None:
    barrier.wait()
    results.put(resolve_admin_key(Path(folder)).key)


@pytest.mark.slow
def test_processes_starting_together_make_one_key(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    for round_ in range(5):
        folder = tmp_path / f"round{round_}"
        barrier, results = ctx.Barrier(6), ctx.Queue()
        procs = [ctx.Process(target=_race, args=(str(folder), barrier, results)) for _ in range(6)]
        for p in procs:
            p.start()
        keys = {results.get(timeout=30) for _ in procs}
        for p in procs:
            p.join(timeout=30)
        assert len(keys) == 1 and keys == {admin_key_path(folder).read_text().strip()}
        assert [p.name for p in folder.iterdir()] == [KEY_FILE]  # no temporary file left behind


def test_the_notice_shows_the_key_only_when_it_was_made(tmp_path: Path) -> None:
    made = resolve_admin_key(tmp_path)
    text = admin_notice(made, "https://remix.example.org/")
    assert made.key in text and "https://remix.example.org/organize" in text and "delete" in text
    later = admin_notice(resolve_admin_key(tmp_path), "https://remix.example.org")
    assert made.key not in later and str(admin_key_path(tmp_path)) in later


@pytest.mark.slow
def test_the_server_prints_the_new_key_once_with_the_organize_link(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT, _free_port, _wait_healthy

    def start(log: Path) -> str:
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if k != "FRAME_REMIX_ADMIN_KEY"}
        env |= {"FRAME_REMIX_DATA": str(tmp_path / "data"), "FRAME_REMIX_PUBLIC_URL": f"http://127.0.0.1:{port}"}
        cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.address",
               "127.0.0.1", "--server.port", str(port), "--server.headless", "true"]
        with log.open("w") as out:
            proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        try:
            _wait_healthy(proc, port, log)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        return f"http://127.0.0.1:{port}"

    url = start(tmp_path / "first.log")
    key = admin_key_path(tmp_path / "data").read_text().strip()
    first = (tmp_path / "first.log").read_text()
    assert first.count(key) == 1 and f"{url}/organize" in first
    start(tmp_path / "second.log")
    assert key not in (tmp_path / "second.log").read_text()
