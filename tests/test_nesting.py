"""Deeply nested templates and manifests get one sentence, never a recursion traceback."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from frames.errors import FrameError
from frames.pack import load_pack
from frames.templating import MAX_DEPTH, check_template, render_template
from tests.test_cli import BUNDLED, assert_user_error, cli

TOO_DEEP = f"the template is nested too deeply (more than {MAX_DEPTH} levels of {{% if %}}, brackets, filters or and/or); flatten it"
DEEP_TEMPLATES = {
    "parentheses": "{{ " + "(" * 900 + "city" + ")" * 900 + " }}",
    "ifs": "{%if city%}" * 80 + "x" + "{%endif%}" * 80,
    "or chain": "{% if " + " or ".join(["c"] * 390) + " %}x{% endif %}",
    "filter chain": "{{ city" + "|upper" * 300 + " }}",
    "not chain": "{% if " + "not " * 450 + "c %}x{% endif %}",
}


@pytest.mark.parametrize("source", DEEP_TEMPLATES.values(), ids=DEEP_TEMPLATES.keys())
def test_deep_template_is_one_sentence(source: str) -> None:
    assert check_template(source, {"city", "c"}) == [TOO_DEEP]
    with pytest.raises(FrameError) as info:
        render_template(source, {"city": "Lisbon", "c": "x"})
    assert str(info.value.problems[0]).endswith(TOO_DEEP)


def test_5000_nested_ifs_are_refused_by_length_not_recursion() -> None:
    source = "{% if city %}" * 5000 + "x" + "{% endif %}" * 5000
    assert check_template(source, {"city"}) == [f"the template is {len(source)} characters long; the limit is 2000"]


def test_reasonable_nesting_still_allowed() -> None:
    source = "{% if city %}" * 8 + "{{ (city|upper|trim) if city else 'x' }}" + "{% endif %}" * 8
    assert check_template(source, {"city"}) == []
    assert render_template(source, {"city": " lisbon "}) == "LISBON"


def _pack_with_template(tmp_path: Path, template: str) -> Path:
    folder = tmp_path / "frame"
    shutil.copytree(BUNDLED / "ride-the-bus", folder)
    manifest = folder / "frame.toml"
    text = manifest.read_text()
    start = text.index('post = """')
    end = text.index('"""', start + 10) + 3
    manifest.write_text(text[:start] + f"post = '''{template}'''" + text[end:])
    return folder


@pytest.mark.parametrize("name", ["parentheses", "or chain"])
def test_deep_template_in_a_pack_cli_and_api(tmp_path: Path, name: str) -> None:
    folder = _pack_with_template(tmp_path, DEEP_TEMPLATES[name])
    assert_user_error(cli("validate", str(folder)), f"error: texts.post: {TOO_DEEP}")
    with pytest.raises(FrameError) as info:
        load_pack(folder)
    assert [str(p) for p in info.value.problems] == [f"texts.post: {TOO_DEEP}"]


@pytest.mark.parametrize("depth", [20, 500, 100_000])
def test_deeply_nested_manifest_is_one_sentence(tmp_path: Path, depth: int) -> None:
    (tmp_path / "frame.toml").write_text('id = "deep"\ntitle = ' + "[" * depth + "]" * depth + "\n")
    run = cli("validate", str(tmp_path))
    assert_user_error(run, "error: frame.toml: the manifest is nested too deeply (more than 12 levels); flatten it")
    assert len(run.stderr.splitlines()) == 1
