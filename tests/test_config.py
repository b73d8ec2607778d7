"""One configuration, read at the edges: Settings from the environment, and a core that never reads it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import gallery
from gallery.config import Settings, is_loopback, public_url_notice, request_base_url
from tests.test_gallery_support import publish

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT_READ = re.compile(r"os\.environ|os\.getenv|getenv\(|environ\[")


def test_settings_come_from_the_environment_with_defaults() -> None:
    s = Settings.from_env({"FRAME_REMIX_PUBLIC_URL": " https://remix.example.org/ ", "FRAME_REMIX_DATA": "/srv/fr",
                           "FRAME_REMIX_ADMIN_KEY": " k3y ", "FRAME_REMIX_REPORT_THRESHOLD": "5"})
    assert s == Settings("https://remix.example.org", Path("/srv/fr"), "k3y", 5)
    assert s.db_path == Path("/srv/fr/gallery.db")
    default = Settings.from_env({"FRAME_REMIX_REPORT_THRESHOLD": "zero"})
    assert default == Settings("", Path("data"), "", 3)
    assert default.base_url() == "http://localhost:8501" and default.base_url("http://10.0.0.5:9000") == "http://10.0.0.5:9000"
    assert s.base_url("http://10.0.0.5:9000") == "https://remix.example.org"  # configured wins


@pytest.mark.parametrize("package", ["frames", "remix", "gallery"])
def test_the_core_never_reads_the_environment(package: str) -> None:
    readers = [str(p.relative_to(ROOT)) for p in (ROOT / package).rglob("*.py") if ENVIRONMENT_READ.search(p.read_text())]
    assert readers == [], f"{readers} read the environment; read it in the shell and pass Settings down"


def test_two_instances_in_one_process_keep_their_own_admin_key_and_threshold(tmp_path: Path) -> None:
    one = gallery.open_store(settings=Settings(data_dir=tmp_path / "one", admin_key="one-key", report_threshold=1))
    two = gallery.open_store(settings=Settings(data_dir=tmp_path / "two", admin_key="two-key"))
    remix = publish(one)
    assert gallery.report_remix(one, remix.id, "a", "spam", address="198.51.100.1") == 1
    assert gallery.remix_ref(one, remix.id).status == "reported"  # threshold 1 hides at once
    assert gallery.get_remix(one, remix.id, key="one-key").summary.status == "reported"
    with pytest.raises(gallery.GalleryError):
        gallery.get_remix(one, remix.id, key="two-key")
    assert two.settings.admin_key == "two-key"


@pytest.mark.parametrize(("url", "headers", "expected"), [
    ("http://127.0.0.1:8765/", {}, "http://127.0.0.1:8765"),
    ("http://127.0.0.1:8765/", {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "remix.example.org"},
     "https://remix.example.org"),
    ("http://10.0.0.2:8501/", {"x-forwarded-host": "a.example, b.example"}, "http://a.example"),
    ("http://10.0.0.2:8501/", {"X-Forwarded-Host": "evil.example/phish?x="}, "http://10.0.0.2:8501"),
    ("http://10.0.0.2:8501/", {"X-Forwarded-Proto": "javascript"}, "http://10.0.0.2:8501"),
    ("", {}, ""),
])
def test_the_address_a_request_was_made_on(url: str, headers: dict[str, str], expected: str) -> None:
    assert request_base_url(url, headers) == expected


def test_loopback_addresses_are_recognised_and_announced() -> None:
    assert all(is_loopback(u) for u in ("http://localhost:8501", "http://127.0.0.1:9", "http://[::1]:8501/x",
                                        "http://app.localhost", "http://0.0.0.0:8501"))
    assert not any(is_loopback(u) for u in ("https://remix.example.org", "http://192.168.1.20:8501"))
    assert "WARNING" in public_url_notice(Settings(public_url="http://127.0.0.1:8501"))
    assert "not set" in public_url_notice(Settings())
    assert "https://remix.example.org" in public_url_notice(Settings(public_url="https://remix.example.org"))
