"""Where "adapted from" is shown, it says verified or claimed: the app (in the participant's
language), the static export and the CLI; and the CLI's `keys show|revoke` and signed imports."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import gallery
from frames.pack import frame_from_files, write_zip
from gallery.export import export_site
from gallery.federation.identity import instance_key
from tests.drive import app_test, run_cli
from tests.test_gallery_support import ADMIN, BUS, variant


@pytest.fixture
def data(cli_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FRAME_REMIX_ADMIN_KEY", ADMIN)
    return cli_home


def a_fork_and_a_claim(data: Path) -> gallery.Store:
    """A local fork of the bus frame (its parent pack is here: verified) and an imported pack that
    says it adapts a frame this gallery does not hold (claimed)."""
    store = gallery.open_store(data / "gallery.db")
    gallery.fork_frame(store, BUS, "bus-lisboa")
    plain = variant("bus-elsewhere")
    claim = frame_from_files({"frame.toml": plain.manifest_bytes + b'\n[derived_from]\nid = "somewhere-else"\nversion = 2\n',
                              **plain.assets}, "test")
    gallery.import_pack(store, write_zip(claim))
    return store


def test_the_cli_says_verified_or_claimed_and_signed_or_unsigned(data: Path, tmp_path: Path, capsys) -> None:
    a_fork_and_a_claim(data)
    code, out, _ = run_cli(capsys, "gallery", "frames")
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert code == 0 and lines["bus-lisboa"].endswith(f"(from {BUS} v1, verified)")
    assert lines["bus-elsewhere"].endswith("(from somewhere-else v2, claimed)")
    assert "verified" not in lines[BUS] and "claimed" not in lines[BUS]
    code, out, _ = run_cli(capsys, "gallery", "frames", "--json")
    status = {row["frame"]["id"]: row["adapted_from"] for row in json.loads(out)}
    assert status == {"bus-lisboa": "verified", "bus-elsewhere": "claimed", BUS: None, "care-counts": None,
                      "clean-air": None}
    assert run_cli(capsys, "pack", "bus-lisboa", "-o", str(tmp_path / "fork.zip"))[0] == 0
    other = ["--data", str(tmp_path / "other")]
    code, out, _ = run_cli(capsys, "import", str(tmp_path / "fork.zip"), *other)
    keys = json.loads(run_cli(capsys, "keys", "show", "--json")[1])
    fork_key = next(k for k in keys["frames"] if k["frame"] == "bus-lisboa")  # the fork's own key, not the instance's
    assert [k["frame"] for k in keys["frames"]] == ["bus-elsewhere", "bus-lisboa"]
    assert fork_key["key_id"] != keys["instance"]["key_id"] == instance_key(data).public.id_hex
    assert code == 0 and out.splitlines()[-1] == f"signed by key {fork_key['key_id']}"
    (tmp_path / "plain.zip").write_bytes(write_zip(variant("bus-plain")))
    out = run_cli(capsys, "import", str(tmp_path / "plain.zip"), *other)[1]
    assert out.splitlines()[-1] == "unsigned (the pack has no pack.json)"
    assert "(from ride-the-bus v1, claimed)" in run_cli(capsys, "gallery", "frames", *other)[1]


def test_keys_show_and_revoke(data: Path, capsys) -> None:
    gallery.open_store(data / "gallery.db")
    code, out, _ = run_cli(capsys, "keys", "show")
    old = instance_key(data).public
    assert code == 0 and out.splitlines()[0] == f"instance key {old.id_hex}: {old.text()}"
    code, _, err = run_cli(capsys, "keys", "revoke", old.id_hex, "--admin-key", "wrong")
    assert code == 2 and err == "error: revoking a key needs the instance's admin key\n"
    code, _, err = run_cli(capsys, "keys", "revoke", "not a key")
    assert code == 2 and err.startswith("error: give a key id (16 hexadecimal digits) or a public key's text")
    code, out, _ = run_cli(capsys, "keys", "revoke", old.id_hex, "--admin-key", ADMIN)
    assert code == 0 and out.startswith(f"revoked key {old.id_hex} (")
    shown = run_cli(capsys, "keys", "show")[1].splitlines()
    new = instance_key(data).public
    assert new != old and shown[0] == f"instance key {new.id_hex}: {new.text()}"
    assert shown[-1].startswith("revoked ") and shown[-1].endswith(f"key {old.id_hex}: {old.text()}")


def test_the_static_export_says_verified_or_claimed(data: Path, tmp_path: Path) -> None:
    store = a_fork_and_a_claim(data)
    for frame_id in ("bus-lisboa", "bus-elsewhere"):
        gallery.publish_remix(store, gallery.get_frame(store, frame_id), {"city": "Lisboa", "story": "Sim."}, consent=True)
    site = export_site(store, tmp_path / "site").out_dir
    fork_page = (site / "frames" / "bus-lisboa.html").read_text()
    assert '<span class="pack-verified">verified</span>' in fork_page
    assert '<span class="pack-claimed">claimed</span>' in (site / "frames" / "bus-elsewhere.html").read_text()
    index = (site / "index.html").read_text()
    assert f"adapted from {BUS} (verified)" in index and "says it adapts somewhere-else (claimed)" in index
    remix_pages = [p.read_text() for p in (site / "remixes").glob("*.html")]
    assert sum('<span class="pack-verified">(verified)</span>' in p for p in remix_pages) == 1


@pytest.mark.parametrize("lang, word", [("en", "(verified)"), ("es", "(verificado)"), ("ar", "(موثَّق)"),
                                        ("hi", "(सत्यापित)")])
def test_the_app_says_verified_in_the_participants_language(app_env: Path, lang: str, word: str) -> None:
    store = a_fork_and_a_claim(app_env)
    remix = gallery.publish_remix(store, gallery.get_frame(store, "bus-lisboa"), {"city": "Lisboa", "story": "Sim."},
                                  consent=True)
    at = app_test(remix=remix.id, lang=lang).run()
    at.switch_page("app_pages/gallery.py").run()
    assert not at.exception, at.exception
    captions = [c.value.replace("\\", "") for c in at.caption]
    line = next(c for c in captions if c.startswith("Frame: bus-lisboa v1"))
    assert line.endswith(f"adapted from “Why I ride the bus” v1 {word}"), line
