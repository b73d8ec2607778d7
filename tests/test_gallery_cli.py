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
from frame_remix_cli import GALLERY_COMMANDS
from tests.drive import run_cli
from tests.test_gallery_support import ADMIN

ROOT = Path(__file__).resolve().parent.parent
BUS_DIR = ROOT / "frames" / "bundled" / "ride-the-bus"


@pytest.fixture
def data(cli_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FRAME_REMIX_ADMIN_KEY", ADMIN)
    return cli_home


def published(capsys, *extra: str) -> str:
    code, out, err = run_cli(capsys, "publish", "ride-the-bus", "--sample", "--consent", "--json", *extra)
    assert code == 0, err
    return json.loads(out)["id"]


def test_publish_list_show_and_delete(data, capsys) -> None:
    first = published(capsys, "--maker", "Ola")
    second = published(capsys, "--set", "city=Porto", "--remix-of", first)
    code, out, _ = run_cli(capsys, "gallery", "list")
    assert code == 0 and out.index(second) < out.index(first) and out.endswith("\n2 remixes\n")
    code, out, _ = run_cli(capsys, "gallery", "list", "--place", "porto", "--json")
    assert [r["id"] for r in json.loads(out)["items"]] == [second]
    code, out, _ = run_cli(capsys, "gallery", "show", second)
    assert code == 0 and "credits: “Why I ride the bus” by Transit Riders Union · CC BY 4.0 · remix by anonymous" in out and "lineage: remix by Ola <- frame ride-the-bus v1" in out
    code, _, _ = run_cli(capsys, "gallery", "delete", first)
    assert code == 0
    code, out, _ = run_cli(capsys, "gallery", "show", second)
    assert "lineage: a removed remix <- frame ride-the-bus v1" in out
    code, out, _ = run_cli(capsys, "gallery", "list", "--search", "grandmother", "--json")
    assert [r["id"] for r in json.loads(out)["items"]] == [second]


def test_publish_twice_with_one_idempotency_key(data, capsys) -> None:
    a = published(capsys, "--idempotency-key", "k")
    b = published(capsys, "--idempotency-key", "k")
    assert a == b
    assert len(json.loads(run_cli(capsys, "gallery", "list", "--json")[1])["items"]) == 1
    code, _, err = run_cli(capsys, "publish", "ride-the-bus", "--sample", "--consent", "--set", "city=Porto",
                       "--idempotency-key", "k")
    assert (code, err) == (2, ("error: this --idempotency-key was already used for a different remix; "
                              "use a new key for a new remix\n"))


def test_moderate_with_and_without_the_right_key(data, capsys, monkeypatch) -> None:
    remix = published(capsys)
    code, _, err = run_cli(capsys, "gallery", "moderate", remix, "hide", "--reason", "spam", "--key", "wrong")
    assert code == 2 and err.startswith("error: that key does not open the frame 'ride-the-bus'")
    code, _, err = run_cli(capsys, "gallery", "moderate", remix, "hide")
    assert code == 2 and err == "error: give a reason to hide this remix; it is kept in the moderation log\n"
    code, out, _ = run_cli(capsys, "gallery", "moderate", remix, "hide", "--reason", "spam")
    assert code == 0 and out == f"{remix}: hidden\n"
    code, out, _ = run_cli(capsys, "gallery", "list", "--status", "hidden")
    assert remix in out
    monkeypatch.delenv("FRAME_REMIX_ADMIN_KEY")
    code, _, err = run_cli(capsys, "gallery", "moderate", remix, "restore", "--reason", "ok", "--key", ADMIN)
    assert code == 2 and "does not open the frame" in err


def test_publish_frame_pack_import_and_frames(data, capsys, tmp_path: Path) -> None:
    code, out, _ = run_cli(capsys, "gallery", "publish-frame", str(BUS_DIR))
    assert code == 0 and out.startswith("unchanged: ride-the-bus v1")
    code, out, _ = run_cli(capsys, "pack", "ride-the-bus", "-o", str(tmp_path / "bus.zip"))
    assert code == 0 and zipfile.is_zipfile(tmp_path / "bus.zip")
    other = tmp_path / "other"
    code, out, _ = run_cli(capsys, "import", str(tmp_path / "bus.zip"), "--data", str(other))
    assert code == 0 and out == "unchanged: ride-the-bus v1 is already in the gallery\n"  # bundled: there from the start
    code, out, _ = run_cli(capsys, "gallery", "frames", "--data", str(other))
    bus = next(line for line in out.splitlines() if line.startswith("ride-the-bus "))
    assert "bundled" in bus and "0 remixes" in bus


def test_import_refuses_unsafe_packs_with_one_line(data, capsys, tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../etc/passwd", "x")
    (tmp_path / "evil.zip").write_bytes(buf.getvalue())
    code, _, err = run_cli(capsys, "import", str(tmp_path / "evil.zip"))
    assert code == 2 and err.count("\n") == 1 and "unsafe path" in err
    code, _, err = run_cli(capsys, "import", str(tmp_path / "missing.zip"))
    assert code == 2 and "no file at" in err


def test_export_site_and_backup(data, capsys, tmp_path: Path) -> None:
    published(capsys)
    code, out, _ = run_cli(capsys, "export-site", "--out", str(tmp_path / "site"))
    assert code == 0 and "1 remix, 3 frames" in out and (tmp_path / "site" / "index.html").is_file()
    code, out, _ = run_cli(capsys, "gallery", "backup", str(tmp_path / "backup.db"))
    assert code == 0 and out.endswith("integrity_check: ok\n")
    conn = sqlite3.connect(tmp_path / "backup.db")
    assert conn.execute("SELECT count(*) FROM remix_images").fetchone() == (3,)
    conn.close()
    code, _, err = run_cli(capsys, "gallery", "backup", str(tmp_path / "backup.db"))
    assert code == 2 and "already exists" in err


@pytest.mark.parametrize("argv, fragment", [
    (["gallery", "show", "nope"], "there is no remix 'nope'"),
    (["pack", "nope", "-o", "x.zip"], "there is no frame 'nope'"),
    (["publish", "ride-the-bus", "--sample"], "pass --consent"),
    (["publish", "ride-the-bus", "--consent"], "is required"),
    (["gallery", "list", "--status", "secret"], "not a remix status"),
    (["gallery", "delete", "nope", "--key", "k"], "there is no remix"),
])
def test_bad_input_is_one_error_line_and_exit_2(data, capsys, argv, fragment) -> None:
    code, _, err = run_cli(capsys, *argv)
    assert code == 2 and err.startswith("error: ") and fragment in err


def test_an_unusable_database_is_one_error_line(data, capsys, tmp_path: Path) -> None:
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "gallery.db").write_bytes(b"this is not a database" * 100)
    code, _, err = run_cli(capsys, "gallery", "list", "--data", str(tmp_path / "broken"))
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
    assert listed.returncode == 0 and listed.stdout.endswith("\n1 remix\n")


def test_publish_to_a_frame_that_only_lives_in_the_gallery(data, capsys) -> None:
    store = gallery.db.open_store(data / "gallery.db")
    gallery.fork_frame(store, "ride-the-bus", "bus-lisboa")
    code, out, err = run_cli(capsys, "publish", "bus-lisboa", "--sample", "--consent")
    assert code == 0 and out.startswith("published: "), err
    code, _, err = run_cli(capsys, "publish", "no-such-frame", "--sample", "--consent")
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


def zipped_folder(folder: Path, top: str) -> bytes:
    """A zip as `cd parent && zip -r pack.zip top` makes it: one top folder, with directory entries."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{top}/", b"")
        zf.writestr(f"{top}/assets/", b"")
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.writestr(f"{top}/{path.relative_to(folder).as_posix()}", path.read_bytes())
    return buf.getvalue()


def my_frame(tmp_path: Path) -> Path:
    """The bus frame copied as an organizer's own folder, under the id my-frame."""
    folder = tmp_path / "myframe"
    (folder / "assets").mkdir(parents=True)
    text = (BUS_DIR / "frame.toml").read_text().replace('id = "ride-the-bus"', 'id = "my-frame"', 1)
    (folder / "frame.toml").write_text(text)
    for asset in (BUS_DIR / "assets").iterdir():
        (folder / "assets" / asset.name).write_bytes(asset.read_bytes())
    return folder


def test_a_zip_with_its_top_folder_validates_imports_and_renders_from_the_gallery(data, capsys, tmp_path) -> None:
    pack = tmp_path / "pack.zip"
    pack.write_bytes(zipped_folder(my_frame(tmp_path), "myframe"))
    code, out, err = run_cli(capsys, "validate", str(pack))
    assert (code, out) == (0, "ok: my-frame v1\n"), err
    code, out, err = run_cli(capsys, "import", str(pack))
    assert code == 0 and out.startswith("imported: my-frame v1\n"), err
    (tmp_path / "myframe" / "frame.toml").unlink()  # from here on my-frame lives only in the gallery
    code, out, err = run_cli(capsys, "render", "my-frame", "--sample", "--format", "card", "--out", str(tmp_path / "o"))
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["card.jpg", "texts.json"]
    _, out, _ = run_cli(capsys, "gallery", "frames")
    assert any(line.startswith("my-frame ") and "imported" in line for line in out.splitlines())


def test_import_of_a_folder_says_what_to_do(data, capsys, tmp_path) -> None:
    folder = my_frame(tmp_path)
    code, _, err = run_cli(capsys, "import", str(folder))
    assert (code, err) == (2, (f"error: '{folder}' is a folder; publish it with `frame-remix gallery publish-frame "
                              f"{folder}` (import takes a frame pack .zip)\n"))


def test_every_problem_at_once_in_command_line_words(data, capsys) -> None:
    code, out, err = run_cli(capsys, "publish", "care-counts", "--set", "city=Leeds")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "error: publishing needs the maker's consent: pass --consent to agree that the gallery shows this remix",
        ("error: quote: 'The care you give, in one or two sentences' is required; pass --set quote=... "
        "(or --sample for the frame's example)"),
        "error: role: 'What you do' is required; pass --set role=... (or --sample for the frame's example)",
    ]
    assert "tick" not in err
    code, _, err = run_cli(capsys, "publish", "ride-the-bus", "--consent", "--set", "cty=Lisbon", "--set", "sotry=x")
    assert err.splitlines() == [
        "error: cty: this frame has no field 'cty'; did you mean 'city'?",
        "error: sotry: this frame has no field 'sotry'; did you mean 'story'?",
        "error: city: 'Your town or city' is required; pass --set city=... (or --sample for the frame's example)",
        "error: story: 'Why you ride' is required; pass --set story=... (or --sample for the frame's example)",
    ]


def test_a_photo_for_a_frame_without_a_photo_field_is_refused(data, capsys, tmp_path) -> None:
    photo = tmp_path / "me.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"0" * 100)
    for command in ("render", "publish"):
        code, _, err = run_cli(capsys, command, "care-counts", "--sample", "--consent" if command == "publish" else "--json",
                           "--photo", str(photo), "--out" if command == "render" else "--maker", str(tmp_path / "o"))
        assert (code, err) == (2, "error: the frame 'care-counts' has no photo field; leave out --photo\n")
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("limit", ["0", "-1", "201"])
def test_a_page_size_out_of_range_is_refused(data, capsys, limit) -> None:
    code, _, err = run_cli(capsys, "gallery", "list", "--limit", limit)
    assert (code, err) == (2, f"error: --limit must be between 1 and 200, got {limit}\n")


def test_counts_are_in_the_right_plural(data, capsys) -> None:
    published(capsys)
    _, out, _ = run_cli(capsys, "gallery", "frames")
    bus = next(line for line in out.splitlines() if line.startswith("ride-the-bus "))
    assert bus.endswith("1 remix, 1 place, 1 language")
    _code, out, _ = run_cli(capsys, "gallery", "list")
    assert out.endswith("\n1 remix\n")


def test_list_json_includes_gallery_frames_without_making_a_gallery(data, capsys, tmp_path) -> None:
    _, out, _ = run_cli(capsys, "list", "--json")
    assert [r["id"] for r in json.loads(out)] == ["care-counts", "clean-air", "ride-the-bus"]
    assert not data.exists()  # listing never creates a gallery
    pack = tmp_path / "pack.zip"
    pack.write_bytes(zipped_folder(my_frame(tmp_path), "myframe"))
    assert run_cli(capsys, "import", str(pack))[0] == 0
    _code, out, _ = run_cli(capsys, "list", "--json")
    mine = json.loads(out)[-1]
    assert mine["id"] == "my-frame" and [f["name"] for f in mine["fields"]] == ["city", "story", "photo"]
