"""The instance's configuration as one frozen value, built once at the edges and passed down.

Only the shells (the CLI's `main`, the app's entry) pass the process environment to `Settings.from_env`; the
core receives the result and never reads the environment itself, so a test or a script can
run two differently configured instances in one process.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import ip_address
from pathlib import Path
from urllib.parse import urlsplit

from remix.qr import DEFAULT_PUBLIC_URL

DB_NAME = "gallery.db"
DEFAULT_REPORT_THRESHOLD = 3
DEFAULT_REPORTS_PER_HOUR = 5

ENV_PUBLIC_URL = "FRAME_REMIX_PUBLIC_URL"
ENV_DATA = "FRAME_REMIX_DATA"
ENV_ADMIN_KEY = "FRAME_REMIX_ADMIN_KEY"
ENV_REPORT_THRESHOLD = "FRAME_REMIX_REPORT_THRESHOLD"
ENV_REPORTS_PER_HOUR = "FRAME_REMIX_REPORTS_PER_HOUR"
ENV_TRUSTED_PROXY = "FRAME_REMIX_TRUSTED_PROXY"
ENV_POLL_SECONDS = "FRAME_REMIX_POLL_SECONDS"
DEFAULT_POLL_SECONDS = 300


@dataclass(frozen=True)
class Settings:
    """Public URL ('' = not configured: the app follows the request), data folder, admin key
    ('' = nobody is admin), how many distinct reports hide a remix pending review, how many
    reports one address may send an hour, and whether a reverse proxy's X-Forwarded-For is
    trusted (only behind a proxy that sets it)."""

    public_url: str = ""
    data_dir: Path = field(default_factory=lambda: Path("data"))
    admin_key: str = ""
    report_threshold: int = DEFAULT_REPORT_THRESHOLD
    reports_per_hour: int = DEFAULT_REPORTS_PER_HOUR
    trust_proxy: bool = False
    poll_seconds: int = DEFAULT_POLL_SECONDS  # how often the app's server polls its followed peers; 0 = never

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read FRAME_REMIX_PUBLIC_URL, _DATA, _ADMIN_KEY, _REPORT_THRESHOLD, _REPORTS_PER_HOUR and
        _TRUSTED_PROXY, and _POLL_SECONDS (default 300; 0 turns the server's peer poller off). The admin key
        here is the variable only; `gallery.instance.open_instance`
        falls back to the instance's key file."""
        data = Path(env.get(ENV_DATA) or "data")
        return cls(
            public_url=(env.get(ENV_PUBLIC_URL) or "").strip().rstrip("/"),
            data_dir=data,
            admin_key=(env.get(ENV_ADMIN_KEY) or "").strip(),
            report_threshold=_positive(env.get(ENV_REPORT_THRESHOLD, ""), DEFAULT_REPORT_THRESHOLD),
            reports_per_hour=_positive(env.get(ENV_REPORTS_PER_HOUR, ""), DEFAULT_REPORTS_PER_HOUR),
            trust_proxy=(env.get(ENV_TRUSTED_PROXY) or "").strip().lower() in ("1", "true", "yes"),
            poll_seconds=_seconds(env.get(ENV_POLL_SECONDS, ""), DEFAULT_POLL_SECONDS),
        )

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_NAME

    def base_url(self, request_url: str = "") -> str:
        """The public URL to bake into links: the configured one, else the request's, else the default."""
        return (self.public_url or request_url or DEFAULT_PUBLIC_URL).rstrip("/")


def _positive(raw: str, default: int) -> int:
    raw = raw.strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def _seconds(raw: str, default: int) -> int:
    """A poll interval: a whole number of seconds (0 = off), else the default."""
    raw = raw.strip()
    return int(raw) if raw.isdigit() else default


def db_path(directory: Path | None = None) -> Path:
    """The gallery database inside a data folder (default `data/`)."""
    return (directory or Path("data")) / DB_NAME


def is_loopback(url: str) -> bool:
    """True when a URL points at this machine only (localhost, 127.x, ::1): no phone can follow it."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host).is_loopback or ip_address(host).is_unspecified
    except ValueError:
        return False


_HOST = re.compile(r"^[A-Za-z0-9.\-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$")


def request_base_url(url: str, headers: Mapping[str, str]) -> str:
    """The address a request was made on, as `scheme://host[:port][/prefix]`, honouring a proxy's
    X-Forwarded-Proto and X-Forwarded-Host (first value of each). '' when nothing usable is known.

    A host that is not a plain host name or address is ignored (a forged header cannot inject a path).
    """
    parts = urlsplit(url or "")
    proto = _first(headers, "x-forwarded-proto").lower() or parts.scheme
    host = _first(headers, "x-forwarded-host") or parts.netloc
    if proto not in ("http", "https") or not _HOST.match(host):
        host = parts.netloc
        proto = parts.scheme
    if not host or proto not in ("http", "https"):
        return ""
    return f"{proto}://{host}{parts.path.rstrip('/')}"


def _first(headers: Mapping[str, str], name: str) -> str:
    value = next((v for k, v in headers.items() if k.lower() == name), "") or ""
    return value.split(",")[0].strip()


def public_url_notice(settings: Settings) -> str:
    """What the server says at start about the address it bakes into QR codes and links."""
    if not settings.public_url:
        return ("frame-remix: FRAME_REMIX_PUBLIC_URL is not set; QR codes, share links and delete links follow "
                "the address each visitor uses (behind a proxy: X-Forwarded-Proto/Host). Set it to your public "
                "address (e.g. https://remix.example.org) so every image points there.")
    if is_loopback(settings.public_url):
        return (f"frame-remix: WARNING: FRAME_REMIX_PUBLIC_URL is {settings.public_url}, a loopback address: "
                "QR codes and links in every image will only work on this machine. Set it to the address "
                "people reach this server on.")
    return f"frame-remix: public URL {settings.public_url} (QR codes, share links and delete links point there)"
