"""The `frame-remix` CLI through a real subprocess: exit codes, files written, plain errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image

from tests.samples import phone_jpeg

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "frames" / "bundled"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "frame_remix_cli.py"), *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def assert_user_error(run: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert fragment in run.stderr, run.stderr


def test_list_json_names_every_bundled_frame() -> None:
    run = cli("list", "--json")
    assert run.returncode == 0
    rows = json.loads(run.stdout)
    assert {r["id"] for r in rows} == {p.name for p in BUNDLED.iterdir() if (p / "frame.toml").exists()}
    assert all({"square", "story", "card"} <= set(r["formats"]) for r in rows)


def test_validate_bundled_frames() -> None:
    for folder in BUNDLED.iterdir():
        if (folder / "frame.toml").exists():
            run = cli("validate", str(folder))
            assert run.returncode == 0 and run.stdout.startswith("ok: "), run.stderr


def test_validate_reports_every_problem_one_line_each(tmp_path: Path) -> None:
    text = (BUNDLED / "ride-the-bus" / "frame.toml").read_text()
    broken = text.replace("width = 1080\nheight = 1080", "width = 20000\nheight = 1080", 1).replace('{{ city }}"', '{{ cty }}"', 1)
    (tmp_path / "frame.toml").write_text(broken)
    (tmp_path / "assets").mkdir()
    for asset in (BUNDLED / "ride-the-bus" / "assets").iterdir():
        (tmp_path / "assets" / asset.name).write_bytes(asset.read_bytes())
    run = cli("validate", str(tmp_path))
    assert_user_error(run, "error: formats.square.width: 20000 is too large; the most allowed is 4096")
    assert "unknown field 'cty'" in run.stderr
    assert all(line.startswith("error: ") for line in run.stderr.splitlines())


def test_validate_missing_path() -> None:
    assert_user_error(cli("validate", "/nonexistent/frame"), "error: no file or folder at '/nonexistent/frame'")


def test_render_writes_every_format_and_texts(tmp_path: Path) -> None:
    photo = tmp_path / "me.jpg"
    photo.write_bytes(phone_jpeg(1600, 1200))
    out = tmp_path / "out"
    run = cli("render", "ride-the-bus", "--set", "city=Kraków", "--set", "story=Because it is how we get to work.",
              "--photo", str(photo), "--out", str(out), "--json")
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert len(summary["files"]) == 4
    sizes = {p.stem: Image.open(p).size for p in out.glob("*.jpg")}
    assert sizes == {"square": (1080, 1080), "story": (1080, 1920), "card": (1200, 630)}
    texts = json.loads((out / "texts.json").read_text())
    assert set(texts["post"]) == {"x", "bluesky", "mastodon", "instagram"}
    assert "Kraków" in texts["post"]["x"] and "#RideTheBus" in texts["post"]["x"]
    assert set(texts["alt"]) == {"square", "story", "card"}
    for path in out.glob("*.jpg"):
        assert b"GPS" not in path.read_bytes() and b"Exif" not in path.read_bytes()


def test_render_one_format_with_samples(tmp_path: Path) -> None:
    run = cli("render", "ride-the-bus", "--sample", "--format", "card", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.jpg", "texts.json"]


def test_render_unknown_field_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = cli("render", "ride-the-bus", "--set", "cty=Kraków", "--out", str(out))
    assert_user_error(run, "error: cty: this frame has no field 'cty'; did you mean 'city'?")
    assert not out.exists()


def test_render_missing_required_field(tmp_path: Path) -> None:
    run = cli("render", "ride-the-bus", "--set", "city=Lisbon", "--out", str(tmp_path / "o"))
    assert_user_error(run, "error: story: 'Why you ride' is required; pass --set story=... (or --sample for the frame's example)")


def test_render_bad_photo_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "fake.jpg"
    bad.write_bytes(b"this is not a photo at all" * 10)
    out = tmp_path / "out"
    run = cli("render", "ride-the-bus", "--sample", "--photo", str(bad), "--out", str(out))
    assert_user_error(run, "error: ")
    assert len(run.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_render_unknown_frame_and_format(tmp_path: Path) -> None:
    assert_user_error(cli("render", "no-such-frame", "--out", str(tmp_path)), "error: 'no-such-frame' is not a frame pack on disk, a bundled frame or a frame in the gallery")
    assert not (ROOT / "data").exists() or (ROOT / "data" / "gallery.db").exists()  # rendering made no gallery
    assert_user_error(cli("render", "ride-the-bus", "--sample", "--format", "poster", "--out", str(tmp_path)), "this frame has no format 'poster'")


def test_bulk_renders_rows_and_reports_errors(tmp_path: Path) -> None:
    (tmp_path / "p.jpg").write_bytes(phone_jpeg(800, 600))
    rows = [
        "city,story,photo",
        "Lisbon,The 728 runs along the river.,p.jpg",
        "Kraków,,",
        "Accra,Trotros and buses are how we move.,missing.jpg",
        "Cairo,أركب الحافلة كل يوم,",
    ]
    (tmp_path / "rows.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    run = cli("bulk", "ride-the-bus", str(tmp_path / "rows.csv"), "--out", str(out), "--jobs", "2")
    assert run.returncode == 2
    assert "2 rendered, 2 failed" in run.stdout
    assert "row 2: story: 'Why you ride' is required" in run.stderr
    assert "row 3: photo 'missing.jpg' was not found next to the CSV" in run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["report.csv", "row-00001", "row-00004"]
    assert (out / "row-00001" / "story.jpg").exists()
    assert "Traceback" not in run.stderr


def test_bulk_unknown_column(tmp_path: Path) -> None:
    (tmp_path / "rows.csv").write_text("town,story\nLisbon,hi\n")
    assert_user_error(cli("bulk", "ride-the-bus", str(tmp_path / "rows.csv"), "--out", str(tmp_path / "o")), "columns this frame does not know: town")


def test_schema_is_json_schema() -> None:
    run = cli("schema")
    schema = json.loads(run.stdout)
    assert run.returncode == 0 and "formats" in schema["properties"] and schema["additionalProperties"] is False


def test_validate_warns_about_low_contrast_but_passes(tmp_path: Path) -> None:
    text = (BUNDLED / "care-counts" / "frame.toml").read_text()
    (tmp_path / "frame.toml").write_text(text.replace('color = "brand.light"', 'color = "#5a3f60"', 1))
    run = cli("validate", str(tmp_path))
    assert run.returncode == 0 and run.stdout == "ok: care-counts v1\n"
    assert run.stderr.startswith("warning: formats.square.layers[2]: text colour #5a3f60 has contrast")
    assert "WCAG AA needs" in run.stderr


def test_list_json_tells_a_script_how_to_fill_every_field() -> None:
    rows = {r["id"]: r for r in json.loads(cli("list", "--json").stdout)}
    care = {f["name"]: f for f in rows["care-counts"]["fields"]}
    assert care["quote"] | {"help": "", "sample": ""} == {
        "name": "quote", "kind": "long_text", "label": "The care you give, in one or two sentences", "required": True,
        "max_length": 220, "help": "", "sample": ""}
    assert care["role"]["required"] and "max_length" not in care["role"]
    assert care["role"]["options"][:2] == [{"value": "nurse", "label": "nurse"}, {"value": "home_carer", "label": "home carer"}]
    assert care["city"]["max_length"] == 40 and care["city"]["required"] is False
    bus = {f["name"]: f for f in rows["ride-the-bus"]["fields"]}
    assert bus["photo"]["kind"] == "photo" and "max_length" not in bus["photo"]
    assert rows["clean-air"]["languages"] == ["en", "ar", "es", "hi"]
    assert rows["care-counts"]["moderation"] == "approve"


def readme_commands() -> list[str]:
    """The README's `frame-remix ...` lines that name no placeholder (PATH, ID, [--option]): runnable as written."""
    import re

    lines = [line.split("   #")[0].strip() for line in (ROOT / "README.md").read_text().splitlines()]
    return [line for line in lines if line.startswith("frame-remix ") and not re.search(r"\[|\b[A-Z_]{2,}\b", line)]


def test_the_readme_commands_work_as_written(tmp_path: Path) -> None:
    import os
    import shlex

    commands = readme_commands()
    assert "frame-remix render ride-the-bus --sample --out out" in commands and len(commands) >= 4
    installed = Path(sys.executable).parent / "frame-remix"  # what `.venv/bin/frame-remix` is after the install
    env = {**os.environ, "FRAME_REMIX_DATA": str(tmp_path / "data")}
    env.pop("FRAME_REMIX_ADMIN_KEY", None)
    for command in commands:
        argv = [str(installed), *shlex.split(command)[1:]]
        done = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120, check=False)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (command, done.stderr)
def test_render_warns_once_when_it_bakes_a_loopback_address(tmp_path: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "FRAME_REMIX_PUBLIC_URL"}
    cmd = [sys.executable, str(ROOT / "frame_remix_cli.py"), "render", "care-counts", "--sample", "--format", "card",
           "--out", str(tmp_path / "o")]
    run = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert run.returncode == 0 and run.stderr.count("warning: the QR codes point at http://localhost:8501") == 1
    configured = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False,
                                env={**env, "FRAME_REMIX_PUBLIC_URL": "https://remix.example.org"})
    assert configured.returncode == 0 and configured.stderr == ""
