"""Reports: real reporters each count, and one person cannot hide a remix alone by changing
browsers or tokens from one address; each address may send only so many reports an hour."""
from __future__ import annotations

from dataclasses import replace

import pytest

import gallery
from gallery import GalleryError, client_address, list_remixes, report_remix
from tests.test_gallery_support import publish

LIMIT = "your network has already sent 5 reports in the last hour, the most allowed; please try again later"


@pytest.fixture(autouse=True)
def limits(store) -> None:
    """The instance's limits, configured on the test's store as a shell would (Settings)."""
    store.settings = replace(store.settings, report_threshold=3, reports_per_hour=5)


def test_three_people_from_three_addresses_count_as_three(store) -> None:
    r = publish(store)
    counts = [report_remix(store, r.id, f"token-{i}", "hateful", address=f"198.51.100.{i}") for i in (1, 2, 3)]
    assert counts == [1, 2, 3]
    assert gallery.remix_ref(store, r.id).status == "reported"
    assert all(item.id != r.id for item in list_remixes(store).items)


def test_one_person_changing_tokens_from_one_address_cannot_hide_a_remix(store) -> None:
    r = publish(store)
    counts = [report_remix(store, r.id, f"new-token-{i}", "spam", address="203.0.113.5") for i in range(5)]
    assert counts == [1, 1, 1, 1, 1]
    with pytest.raises(GalleryError) as info:
        report_remix(store, r.id, "yet-another-token", "spam", address="203.0.113.5")
    assert str(info.value) == LIMIT
    assert gallery.remix_ref(store, r.id).status == "published"
    assert report_remix(store, r.id, "someone-else", "spam", address="198.51.100.9") == 2  # others still count


def test_an_address_is_limited_across_remixes(store) -> None:
    remixes = [publish(store) for _ in range(6)]
    for r in remixes[:5]:
        assert report_remix(store, r.id, "token", "spam", address="2001:db8:1:2::7") == 1
    with pytest.raises(GalleryError, match="your network has already sent 5 reports"):
        report_remix(store, remixes[5].id, "token", "spam", address="2001:db8:1:2::99")  # same /64
    assert report_remix(store, remixes[5].id, "token", "spam", address="2001:db8:1:3::7") == 1


@pytest.mark.parametrize("peer, forwarded, trust, expected", [
    ("198.51.100.4", None, False, "198.51.100.4"),
    ("10.0.0.2", "203.0.113.8, 10.0.0.2", False, "10.0.0.2"),  # the header is ignored unless the proxy is trusted
    ("10.0.0.2", "203.0.113.8", True, "203.0.113.8"),
    ("10.0.0.2", "192.0.2.66, 203.0.113.8", True, "203.0.113.8"),  # a forged first entry is not the client
    ("10.0.0.2", "not an address", True, "not an address"),
    ("2001:db8:1:2:aaaa::1", None, False, "2001:db8:1:2::/64"),
    ("::ffff:198.51.100.4", None, False, "198.51.100.4"),
    (None, None, False, "unknown"),
])
def test_client_address(peer: str | None, forwarded: str | None, trust: bool, expected: str) -> None:
    assert client_address(peer, forwarded, trust_proxy=trust) == expected
