"""The gallery's CLI commands: pack, import, publish, export-site, gallery list|show|frames|moderate|delete|
publish-frame|backup. Exit 0 on success, 2 with `error: ...` lines and no traceback for bad input."""
from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import gallery.db
from frame_remix_cli import GALLERY_COMMANDS, main
from tests.test_gallery_support import ADMIN

ROOT = Path(__file__).resolve().parent.parent
BUS_DIR = ROOT / "frames" / "bundled" / "ride-the-bus"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("FRAME_REMIX_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("FRAME_REMIX_ADMIN_KEY", ADMIN)
    monkeypatch.chdir(tmp_path)
    yield tmp_path / "data"
    for store in list(gallery.db._stores.values()):
        gallery.db.close_store(store)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def published(capsys, *extra: str) -> str:
    code, out, err = run(capsys, "publish", "ride-the-bus", "--sample", "--consent", "--json", *extra)
    assert code == 0, err
    return json.loads(out)["id"]


def test_publish_list_show_and_delete(data, capsys) -> None:
    first = published(capsys, "--maker", "Ola")
    second = published(capsys, "--set", "city=Porto", "--remix-of", first)
    code, out, _ = run(capsys, "gallery", "list")
    assert code == 0 and out.index(second) < out.index(first) and "2 remixes" in out
    code, out, _ = run(capsys, "gallery", "list", "--place", "porto", "--json")
    assert [r["id"] for r in json.loads(out)["items"]] == [second]
    code, out, _ = run(capsys, "gallery", "show", second)
    assert code == 0 and "credits: “Why I ride the bus” by Transit Riders Union · CC BY 4.0 · remix by anonymous" in out and "lineage: remix by Ola <- frame ride-the-bus v1" in out
    code, _, _ = run(capsys, "gallery", "delete", first)
    assert code == 0
    code, out, _ = run(capsys, "gallery", "show", second)
    assert "lineage: a removed remix <- frame ride-the-bus v1" in out
    code, out, _ = run(capsys, "gallery", "list", "--search", "grandmother", "--json")
    assert [r["id"] for r in json.loads(out)["items"]] == [second]


def test_publish_twice_with_one_idempotency_key(data, capsys) -> None:
    a = published(capsys, "--idempotency-key", "k")
    b = published(capsys, "--idempotency-key", "k")
    assert a == b
    assert len(json.loads(run(capsys, "gallery", "list", "--json")[1])["items"]) == 1


def test_moderate_with_and_without_the_right_key(data, capsys, monkeypatch) -> None:
    remix = published(capsys)
    code, _, err = run(capsys, "gallery", "moderate", remix, "hide", "--reason", "spam", "--key", "wrong")
    assert code == 2 and err.startswith("error: that key does not open the frame 'ride-the-bus'")
    code, _, err = run(capsys, "gallery", "moderate", remix, "hide")
    assert code == 2 and err == "error: give a reason to hide this remix; it is kept in the moderation log\n"
    code, out, _ = run(capsys, "gallery", "moderate", remix, "hide", "--reason", "spam")
    assert code == 0 and out == f"{remix}: hidden\n"
    code, out, _ = run(capsys, "gallery", "list", "--status", "hidden")
    assert remix in out
    monkeypatch.delenv("FRAME_REMIX_ADMIN_KEY")
    code, _, err = run(capsys, "gallery", "moderate", remix, "restore", "--reason", "ok")
    assert code == 2 and "does not open the frame" in err


def test_publish_frame_pack_import_and_frames(data, capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "gallery", "publish-frame", str(BUS_DIR))
    assert code == 0 and out.startswith("unchanged: ride-the-bus v1")
    code, out, _ = run(capsys, "pack", "ride-the-bus", "-o", str(tmp_path / "bus.zip"))
    assert code == 0 and zipfile.is_zipfile(tmp_path / "bus.zip")
    other = tmp_path / "other"
    code, out, _ = run(capsys, "import", str(tmp_path / "bus.zip"), "--data", str(other))
    assert code == 0 and "ride-the-bus v1" in out
    code, out, _ = run(capsys, "gallery", "frames", "--data", str(other))
    assert out.startswith("ride-the-bus") and "0 remixes" in out


def test_import_refuses_unsafe_packs_with_one_line(data, capsys, tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../etc/passwd", "x")
    (tmp_path / "evil.zip").write_bytes(buf.getvalue())
    code, _, err = run(capsys, "import", str(tmp_path / "evil.zip"))
    assert code == 2 and err.count("\n") == 1 and "unsafe path" in err
    code, _, err = run(capsys, "import", str(tmp_path / "missing.zip"))
    assert code == 2 and "no file at" in err


def test_export_site_and_backup(data, capsys, tmp_path: Path) -> None:
    published(capsys)
    code, out, _ = run(capsys, "export-site", "--out", str(tmp_path / "site"))
    assert code == 0 and "1 remixes" in out and (tmp_path / "site" / "index.html").is_file()
    code, out, _ = run(capsys, "gallery", "backup", str(tmp_path / "backup.db"))
    assert code == 0 and out.endswith("integrity_check: ok\n")
    conn = sqlite3.connect(tmp_path / "backup.db")
    assert conn.execute("SELECT count(*) FROM remix_images").fetchone() == (3,)
    conn.close()
    code, _, err = run(capsys, "gallery", "backup", str(tmp_path / "backup.db"))
    assert code == 2 and "already exists" in err


@pytest.mark.parametrize("argv, fragment", [
    (["gallery", "show", "nope"], "there is no remix 'nope'"),
    (["pack", "nope", "-o", "x.zip"], "there is no frame 'nope'"),
    (["publish", "ride-the-bus", "--sample"], "needs your consent"),
    (["publish", "ride-the-bus", "--consent"], "is required"),
    (["gallery", "list", "--status", "secret"], "not a remix status"),
    (["gallery", "delete", "nope", "--key", "k"], "there is no remix"),
])
def test_bad_input_is_one_error_line_and_exit_2(data, capsys, argv, fragment) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.startswith("error: ") and fragment in err


def test_an_unusable_database_is_one_error_line(data, capsys, tmp_path: Path) -> None:
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "gallery.db").write_bytes(b"this is not a database" * 100)
    code, _, err = run(capsys, "gallery", "list", "--data", str(tmp_path / "broken"))
    assert code == 2 and err.startswith("error: the gallery database cannot be used")


def test_every_gallery_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name, *_ in GALLERY_COMMANDS:
        assert f"frame-remix gallery {name}" in readme, name
    for command in ("frame-remix pack", "frame-remix import", "frame-remix export-site", "frame-remix publish"):
        assert command in readme, command


def test_the_installed_command_runs_end_to_end(tmp_path: Path) -> None:
    env = {"FRAME_REMIX_DATA": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, str(ROOT / "frame_remix_cli.py")]
    done = subprocess.run([*cmd, "publish", "ride-the-bus", "--sample", "--consent"], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("published: "), done.stderr
    listed = subprocess.run([*cmd, "gallery", "list"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert listed.returncode == 0 and "1 remixes" in listed.stdout


def test_publish_to_a_frame_that_only_lives_in_the_gallery(data, capsys) -> None:
    store = gallery.db.open_store(data / "gallery.db")
    gallery.fork_frame(store, "ride-the-bus", "bus-lisboa")
    code, out, err = run(capsys, "publish", "bus-lisboa", "--sample", "--consent")
    assert code == 0 and out.startswith("published: "), err
    code, _, err = run(capsys, "publish", "no-such-frame", "--sample", "--consent")
    assert code == 2 and "not a frame pack on disk, a bundled frame or a frame in the gallery" in err


def test_publish_refuses_an_unknown_field_and_render_only_options(tmp_path) -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    base = [sys.executable, str(root / "frame_remix_cli.py"), "publish", "ride-the-bus", "--sample", "--consent",
            "--data", str(tmp_path)]
    typo = subprocess.run([*base, "--set", "stroy=typo"], capture_output=True, text=True, timeout=120)
    assert typo.returncode == 2 and "this frame has no field 'stroy'; did you mean 'story'?" in typo.stderr
    extra = subprocess.run([*base, "--format", "square"], capture_output=True, text=True, timeout=120)
    assert extra.returncode == 2 and "unrecognized arguments: --format square" in extra.stderr


def test_pack_into_a_missing_folder_is_one_sentence(tmp_path) -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    run = subprocess.run([sys.executable, str(root / "frame_remix_cli.py"), "pack", "ride-the-bus", "-o",
                          str(tmp_path / "nope" / "x.zip"), "--data", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and f"no folder '{tmp_path / 'nope'}'" in run.stderr and "Traceback" not in run.stderr
