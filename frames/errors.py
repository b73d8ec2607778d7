"""The one error family of frame-remix: every problem carries a sentence a user can act on.

The UI and the CLI print `str(error)` (or each `Problem`) and nothing else, so the text here
is the whole message a person sees: what is wrong, where, and what to do.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing that is wrong, with the place it is wrong (empty when it has none).

    `code` names the kind of problem ('required', 'consent') for a shell that words the fix in
    its own terms (the CLI says "pass --consent" where the app says "tick the box").
    """

    place: str
    message: str
    code: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


class FrameRemixError(Exception):
    """Base of every error meant for a user; never carries a traceback to them."""

    def __init__(self, problems: list[Problem] | str, place: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(place, problems)]
        self.problems: list[Problem] = problems
        super().__init__("\n".join(str(p) for p in problems))


class FrameError(FrameRemixError):
    """A frame pack, its manifest or one of its templates is not usable."""
