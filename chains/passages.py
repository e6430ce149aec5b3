"""How retrieved passages travel inside a prompt, and how they are read back.

One format serves every model: hosted LLMs read it as plain reference material, and the
offline extractive answerer parses it back into passages it can quote and cite.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from typing_extensions import TypedDict


class Passage(TypedDict):
    """A retrieved chunk as it is kept in graph state."""

    path: str
    title: str
    section: str
    content: str
    doc_type: str
    destination: str | None
    score: float
    similarity: float


# The section of a passage the trip agent writes from the dive_sites table: a verdict on
# the diver's level that an answer about suitability leads with.
VERDICT_SECTION = "Sites for your level"


class Citation(TypedDict):
    path: str
    title: str
    section: str


@dataclass(frozen=True)
class PromptPassage:
    index: int
    path: str
    title: str
    section: str
    text: str


_PASSAGE = re.compile(
    r'<passage index="(?P<index>\d+)" path="(?P<path>[^"]*)" title="(?P<title>[^"]*)" '
    r'section="(?P<section>[^"]*)">\n(?P<text>.*?)\n</passage>',
    re.DOTALL,
)
_FOLLOW_UP = re.compile(r"<follow_up>(?P<text>.*?)</follow_up>", re.DOTALL)
_CLOSING = re.compile(r"<closing>(?P<text>.*?)</closing>", re.DOTALL)
_NEXT_STEPS = re.compile(r"<next_steps>(?P<text>.*?)</next_steps>", re.DOTALL)
# The lines chains/prompts.AGENT_TEMPLATE writes the focus and the diver's profile on.
_CONVERSATION = re.compile(r"^What the conversation is about: (?P<json>\{.*\})$", re.MULTILINE)
_PROFILE = re.compile(r"^What we know about this diver: (?P<json>\{.*\})$", re.MULTILINE)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def render_passages(passages: list[Passage]) -> str:
    if not passages:
        return "(nothing relevant was found in the knowledge base)"
    blocks = []
    for i, p in enumerate(passages, start=1):
        # "</passage>" inside a document must not end the block early.
        text = passage_body(p).replace("</passage>", "</ passage>")
        blocks.append(
            f'<passage index="{i}" path="{_attr(p["path"])}" title="{_attr(p["title"])}" '
            f'section="{_attr(p["section"])}">\n{text}\n</passage>'
        )
    return "\n\n".join(blocks)


def passage_body(passage: Passage) -> str:
    """The chunk's text without the heading line that was embedded with it."""
    first, _, rest = passage["content"].partition("\n")
    return rest if rest and first.startswith(passage["title"]) else passage["content"]


def parse_passages(prompt: str) -> list[PromptPassage]:
    return [
        PromptPassage(
            index=int(m["index"]),
            path=html.unescape(m["path"]),
            title=html.unescape(m["title"]),
            section=html.unescape(m["section"]),
            text=m["text"],
        )
        for m in _PASSAGE.finditer(prompt)
    ]


def parse_conversation(prompt: str) -> dict:
    """The conversation focus the agent wrote into the prompt (a JSON object), or {}."""
    return _json_line(_CONVERSATION, prompt)


def parse_profile(prompt: str) -> dict:
    """The diver's profile the agent wrote into the prompt (a JSON object), or {}."""
    return _json_line(_PROFILE, prompt)


def _json_line(pattern: re.Pattern, prompt: str) -> dict:
    match = pattern.search(prompt)
    if not match:
        return {}
    try:
        focus = json.loads(match["json"])
    except ValueError:
        return {}
    return focus if isinstance(focus, dict) else {}


def parse_follow_up(prompt: str) -> str | None:
    match = _FOLLOW_UP.search(prompt)
    return match["text"].strip() if match else None


def parse_closing(prompt: str) -> str | None:
    match = _CLOSING.search(prompt)
    return match["text"].strip() if match else None


def parse_next_steps(prompt: str) -> str | None:
    match = _NEXT_STEPS.search(prompt)
    return match["text"].strip() if match else None


def citation_of(passage: Passage) -> Citation:
    return {"path": passage["path"], "title": passage["title"], "section": passage["section"]}
