"""Organizer templates: a checked subset of Jinja2 in the sandbox; values are never templates."""
from __future__ import annotations

import pytest

from frames.errors import FrameError
from frames.templating import check_template, render_template

NAMES = {"city", "story", "maker", "hashtags"}


@pytest.mark.parametrize(
    "source, expected",
    [
        ("{{ ''.__class__.__mro__ }}", "attribute access (.name) are not allowed in templates"),
        ("{{ 'a' * 10**9 }}", "arithmetic are not allowed in templates"),
        ("{{ 'x'|center(900000000) }}", "filter 'center' is not allowed"),
        ("{% for x in story %}{{ x }}{% endfor %}", "loops ({% for %}) are not allowed in templates"),
        ("{% include 'other.html' %}", "{% include %} are not allowed in templates"),
        ("{{ cty }}", "unknown field 'cty' in the template (did you mean 'city'?)"),
        ("{{ city", "the template has a syntax error on its line 1"),
        ("{% if city %}open", "the template has a syntax error on its line 1"),
        ("{{ story[0] }}", "item access ([...]) are not allowed in templates"),
        ("{{ range(10) }}", "function calls are not allowed in templates"),
        ("{% set x = 1 %}", "{% set %} are not allowed in templates"),
        ("{{ story|truncate(10**9) }}", "filter 'truncate' takes only a literal argument"),
        ("{{ story|truncate(999999) }}", "truncate takes a whole number from 3 to 5000"),
        ("{{ story|default(city) }}", "filter 'default' takes only a literal argument"),
        ("{{ 'x' * 3 }}", "arithmetic are not allowed"),
        ("{% if city > 'a' %}x{% endif %}", "the comparison 'gt' is not allowed in a condition; use == or !="),
        ("{{ cycler }}", "unknown field 'cycler'"),
        ("x" * 2001, "the template is 2001 characters long; the limit is 2000"),
    ],
)
def test_unsafe_or_wrong_templates_are_refused(source: str, expected: str) -> None:
    problems = check_template(source, NAMES)
    assert problems and any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    "source, result",
    [
        ("Why I ride in {{ city }}", "Why I ride in Kraków"),
        ("{{ city|upper }}", "KRAKÓW"),
        ("{{ maker|default('anonymous', ) }}", ""),
        ("{% if maker %}by {{ maker }}{% else %}anonymous{% endif %}", "anonymous"),
        ("{% if city == 'Kraków' and not maker %}yes{% endif %}", "yes"),
        ("{{ city ~ ' / ' ~ story|truncate(10) }}", "Kraków / A long..."),
        ("{{ hashtags }}", "#A #B"),
    ],
)
def test_allowed_templates_render(source: str, result: str) -> None:
    context = {"city": "Kraków", "story": "A long story about buses", "maker": "", "hashtags": "#A #B"}
    assert check_template(source, NAMES) == []
    assert render_template(source, context) == result


def test_values_are_never_rendered_as_templates() -> None:
    out = render_template("{{ story }}", {"story": "{{ 7*7 }} {% for x in y %}{{ ''.__class__ }}"})
    assert out == "{{ 7*7 }} {% for x in y %}{{ ''.__class__ }}"


def test_render_refuses_a_template_that_fails_the_check() -> None:
    with pytest.raises(FrameError, match="filter 'center' is not allowed"):
        render_template("{{ story|center(900000000) }}", {"story": "x"})


def test_output_is_bounded() -> None:
    assert len(render_template("{{ story }}{{ story }}", {"story": "y" * 5000}, limit=3000)) == 3000


def test_a_missing_variable_is_a_clear_error_not_an_empty_string() -> None:
    with pytest.raises(FrameError, match="unknown field 'city'"):
        render_template("{{ city }}", {"story": "x"})
