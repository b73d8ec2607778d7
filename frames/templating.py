"""Organizer templates: a small, checked subset of Jinja2, run in the immutable sandbox.

Templates are untrusted. `check_template` walks the parse tree and allows only what a caption
needs: `{{ name }}`, literal strings, a few filters with literal arguments, `~` to join, and
`{% if %}` / `{% elif %}` / `{% else %}` over names with simple comparisons. No loops,
includes, calls, attribute or item access, arithmetic. `render_template` refuses anything
that fails that check, renders with `ImmutableSandboxedEnvironment` and `StrictUndefined`, and
bounds the output. Participant values only ever arrive as variables, never as templates.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from frames.errors import FrameError

MAX_SOURCE = 2000
MAX_OUTPUT = 10_000
MAX_LITERAL = 300
MAX_TRUNCATE = 5000
MAX_DEPTH = 24  # levels of {% if %}, brackets, filters, not/and/or: far beyond any caption, far below the recursion limit
FILTERS: dict[str, int] = {  # name -> most literal arguments it takes
    "upper": 0, "lower": 0, "title": 0, "capitalize": 0, "trim": 0, "default": 1, "truncate": 1,
}
_COMPARE_OPS = {"eq", "ne"}
_ALLOWED_HINT = "use {{ field }}, the filters upper, lower, title, capitalize, trim, default, truncate, and {% if %}"


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    """The one Jinja environment for organizer templates (no autoescape: output is plain text)."""
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False, cache_size=0,
    )
    env.filters = {name: env.filters[name] for name in FILTERS}
    env.tests = {}
    env.globals = {}
    return env


def check_template(source: str, names: Iterable[str]) -> list[str]:
    """Every reason this template may not be used (empty list = allowed)."""
    if len(source) > MAX_SOURCE:
        return [f"the template is {len(source)} characters long; the limit is {MAX_SOURCE}"]
    try:
        if _bracket_depth(source) > MAX_DEPTH:  # before parsing: Jinja's parser recurses per bracket
            return [_too_deep()]
        tree = environment().parse(source)
        if _tree_depth(tree) > MAX_DEPTH:  # before walking or compiling: both recurse per level
            return [_too_deep()]
        known = set(names)
        problems: list[str] = []
        for message in _walk(tree, known):
            if message not in problems:
                problems.append(message)
        return problems
    except TemplateSyntaxError as exc:
        return [f"the template has a syntax error on its line {exc.lineno}: {exc.message}; check the {{{{ }}}} and {{% %}} pairs"]
    except RecursionError:  # a backstop: the two bounds above are meant to make this unreachable
        return [_too_deep()]


def _too_deep() -> str:
    return (f"the template is nested too deeply (more than {MAX_DEPTH} levels of {{% if %}}, brackets, "
            "filters or and/or); flatten it")


def _bracket_depth(source: str) -> int:
    """The deepest nesting of (), [] and {} in the template's expressions, from the flat token stream."""
    depth = deepest = 0
    for _, kind, value in environment().lex(source):
        if kind == "operator" and value in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "operator" and value in ")]}":
            depth -= 1
    return deepest


def _tree_depth(tree: nodes.Node) -> int:
    """The depth of the parse tree, measured without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH:  # no need to look further down once the bound is passed
            stack.extend((child, depth + 1) for child in node.iter_child_nodes())
    return deepest


def _walk(node: nodes.Node, known: set[str]) -> Iterator[str]:
    """Yield a sentence for every node outside the allowed subset."""
    if isinstance(node, (nodes.Template, nodes.Output)):
        for child in node.iter_child_nodes():
            yield from _walk(child, known)
    elif isinstance(node, nodes.TemplateData):
        return
    elif isinstance(node, nodes.If):
        yield from _condition(node.test, known)
        for child in [*node.body, *node.elif_, *node.else_]:
            yield from _walk(child, known)
    else:
        yield from _expression(node, known)


def _expression(node: nodes.Node, known: set[str]) -> Iterator[str]:
    if isinstance(node, nodes.Name):
        if node.name not in known:
            yield _unknown_name(node.name, known)
    elif isinstance(node, nodes.Const):
        yield from _literal(node)
    elif isinstance(node, nodes.Concat):
        for child in node.nodes:
            yield from _expression(child, known)
    elif isinstance(node, nodes.Filter):
        yield from _filter(node, known)
    elif isinstance(node, nodes.CondExpr):
        yield from _condition(node.test, known)
        yield from _expression(node.expr1, known)
        if node.expr2 is not None:
            yield from _expression(node.expr2, known)
    else:
        yield _not_allowed(node)


def _literal(node: nodes.Const) -> Iterator[str]:
    if not isinstance(node.value, str) or isinstance(node.value, bool):
        yield f"only text literals are allowed, not {node.value!r}; {_ALLOWED_HINT}"
    elif len(node.value) > MAX_LITERAL:
        yield f"a text literal is {len(node.value)} characters long; the limit is {MAX_LITERAL}"


def _filter(node: nodes.Filter, known: set[str]) -> Iterator[str]:
    if node.name not in FILTERS:
        yield f"filter '{node.name}' is not allowed; {_ALLOWED_HINT}"
        return
    if node.kwargs or node.dyn_args or node.dyn_kwargs or len(node.args) > FILTERS[node.name]:
        yield f"filter '{node.name}' takes at most {FILTERS[node.name]} plain argument(s)"
        return
    if node.node is not None:
        yield from _expression(node.node, known)
    for arg in node.args:
        yield from _filter_argument(node.name, arg)


def _filter_argument(name: str, arg: nodes.Expr) -> Iterator[str]:
    if not isinstance(arg, nodes.Const):
        yield f"filter '{name}' takes only a literal argument, like {name}(\"...\") or {name}(80)"
    elif name == "truncate":
        if not isinstance(arg.value, int) or isinstance(arg.value, bool) or not 3 <= arg.value <= MAX_TRUNCATE:
            yield f"truncate takes a whole number from 3 to {MAX_TRUNCATE}"
    else:
        yield from _literal(arg)


def _condition(node: nodes.Node, known: set[str]) -> Iterator[str]:
    """Conditions: a name, `not`, `and`, `or`, and == / != between names and literals."""
    if isinstance(node, nodes.Not):
        yield from _condition(node.node, known)
    elif isinstance(node, (nodes.And, nodes.Or)):
        yield from _condition(node.left, known)
        yield from _condition(node.right, known)
    elif isinstance(node, nodes.Compare):
        yield from _expression(node.expr, known)
        for op in node.ops:
            if op.op not in _COMPARE_OPS:
                yield f"the comparison '{op.op}' is not allowed in a condition; use == or !="
            yield from _expression(op.expr, known)
    else:
        yield from _expression(node, known)


def _unknown_name(name: str, known: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else f"; use one of: {', '.join(sorted(known))}"
    return f"unknown field '{name}' in the template{hint}"


_NODE_WORDS = {
    "For": "loops ({% for %})", "Include": "{% include %}", "Import": "{% import %}",
    "FromImport": "{% import %}", "Extends": "{% extends %}", "Macro": "macros", "Call": "function calls",
    "Getattr": "attribute access (.name)", "Getitem": "item access ([...])", "Assign": "{% set %}",
    "AssignBlock": "{% set %}", "Block": "{% block %}", "CallBlock": "{% call %}", "FilterBlock": "{% filter %}",
    "With": "{% with %}", "Mul": "arithmetic", "Add": "arithmetic", "Sub": "arithmetic", "Div": "arithmetic",
    "FloorDiv": "arithmetic", "Mod": "arithmetic", "Pow": "arithmetic", "Neg": "arithmetic", "Pos": "arithmetic",
    "Test": "tests (is ...)", "List": "lists", "Tuple": "tuples", "Dict": "dicts", "Slice": "slices",
}


def _not_allowed(node: nodes.Node) -> str:
    what = _NODE_WORDS.get(type(node).__name__, f"'{type(node).__name__}' expressions")
    return f"{what} are not allowed in templates; {_ALLOWED_HINT}"


@lru_cache(maxsize=512)
def _compiled(source: str, names: frozenset[str]):
    problems = check_template(source, names)
    if problems:
        raise FrameError(problems[0], "template")
    return environment().from_string(source)


def render_template(source: str, context: Mapping[str, str], *, limit: int = MAX_OUTPUT) -> str:
    """Render a checked template over plain-text variables; output cut to `limit` characters."""
    template = _compiled(source, frozenset(context))
    safe = {key: str(value) for key, value in context.items()}
    try:
        out = template.render(safe)
    except SecurityError:
        raise FrameError("the template tried something unsafe and was stopped; simplify it", "template") from None
    except TemplateError as exc:
        raise FrameError(f"the template could not be filled in ({exc.message}); check its field names", "template") from None
    return out[:limit]
