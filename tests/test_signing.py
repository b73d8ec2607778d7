"""Signatures in minisign's format: ours verify with the standard tool, and every tampering is refused."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from frames.signing import PublicKey, SecretKey, SignatureError, generate_key, sign, verify
from gallery.federation.identity import instance_key, load_or_create_key

DATA = "frame pack manifest ✊ مرحبا\n".encode()


@pytest.fixture(scope="module")
def key() -> SecretKey:
    return generate_key()


def test_sign_then_verify_returns_the_trusted_comment(key: SecretKey) -> None:
    signature = sign(key, DATA, trusted_comment="frame-remix pack climate v2")
    assert verify(key.public, DATA, signature) == "frame-remix pack climate v2"
    assert signature.count("\n") == 4


def test_the_minisign_tool_verifies_our_signature(key: SecretKey, tmp_path: Path) -> None:
    tool = shutil.which("minisign")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("minisign is missing; .ci/run must install Debian's minisign")
        pytest.skip("minisign is not installed (apt-get install minisign)")
    (tmp_path / "pack.json").write_bytes(DATA)
    (tmp_path / "pack.json.minisig").write_text(sign(key, DATA, trusted_comment="frame-remix pack x"))
    (tmp_path / "minisign.pub").write_text(key.public.file_text())
    done = subprocess.run([tool, "-Vm", str(tmp_path / "pack.json"), "-p", str(tmp_path / "minisign.pub")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "Trusted comment: frame-remix pack x" in done.stdout
    (tmp_path / "pack.json").write_bytes(DATA + b" ")
    assert subprocess.run([tool, "-Vm", str(tmp_path / "pack.json"), "-P", key.public.text()],
                          capture_output=True, timeout=30).returncode != 0


def _swap_line(signature: str, index: int, line: str) -> str:
    lines = signature.splitlines()
    lines[index] = line
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("tamper, sentence", [
    (lambda s, k: s, "the signature does not match: the data was changed after key"),
    (lambda s, k: _swap_line(s, 2, "trusted comment: something else"), "the signature does not match"),
    (lambda s, k: sign(generate_key(), DATA), "the signature was made by another key than"),
    (lambda s, k: s.replace("trusted comment:", "comment:"), "the signature is not in minisign's format"),
    (lambda s, k: _swap_line(s, 1, "!!!"), "the signature is not valid base64"),
    (lambda s, k: "x" * 5000, "the signature is missing or too long"),
])
def test_tampering_is_refused_with_one_sentence(key: SecretKey, tamper, sentence: str) -> None:
    signature = tamper(sign(key, DATA), key)
    data = DATA + b"!" if sentence.endswith("data was changed after key") else DATA
    with pytest.raises(SignatureError, match="^" + sentence):
        verify(key.public, data, signature)


def test_public_key_text_round_trips_and_rejects_other_keys(key: SecretKey) -> None:
    assert PublicKey.from_text(key.public.text()) == key.public
    assert PublicKey.from_text(key.public.file_text()) == key.public
    with pytest.raises(SignatureError, match=r"not valid base64|wrong length"):
        PublicKey.from_text("hello")


def test_instance_key_is_made_once_and_private(tmp_path: Path) -> None:
    first = instance_key(tmp_path)
    assert instance_key(tmp_path) == first
    path = tmp_path / "keys" / "instance.key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_or_create_key(tmp_path / "keys" / "other.key") != first
    assert SecretKey.from_file_text(path.read_text()).public == first.public
