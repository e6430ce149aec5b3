"""Markdown-aware chunking sized by the embedding model's own tokenizer.

Documents are split at their headers first (each chunk keeps its title and section path),
then by size with a small overlap. A table cut in two keeps its header row in each part:
"| Rescue Diver | 2–3 days | 350–600 |" means nothing without the columns' names.
Sizes are counted with the tokenizer of the model that will embed the chunk, and a chunk
is only accepted once its full embedded text — title and section line included — fits the
model's input limit, so nothing is ever silently cut.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from ingest.documents import SourceDocument

HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3")]
# Bumped whenever the same file would be cut into other chunks: the ingest ledger then
# re-chunks every file once (unchanged chunks keep their ids and cached embeddings).
CHUNKING_VERSION = "2"
TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}")


@dataclass(frozen=True)
class Chunk:
    id: str
    path: str
    chunk_index: int
    title: str
    section: str
    text: str  # what is embedded and shown: a heading line, then the passage
    metadata: dict


def chunk_id(path: str, text: str) -> str:
    """Stable across runs: the same text at the same path always has the same id."""
    return hashlib.sha256(f"{path}\n{text}".encode()).hexdigest()[:32]


class MarkdownChunker:
    def __init__(
        self,
        count_tokens: Callable[[str], int],
        *,
        max_tokens: int = 256,
        target_tokens: int = 200,
        overlap_tokens: int = 24,
    ) -> None:
        self.count_tokens = count_tokens
        self.max_tokens = max_tokens
        self.target_tokens = target_tokens
        self.overlap_tokens = overlap_tokens
        self._headers = MarkdownHeaderTextSplitter(HEADERS, strip_headers=True)

    def _size_splitter(self, budget: int) -> RecursiveCharacterTextSplitter:
        return RecursiveCharacterTextSplitter(
            chunk_size=budget,
            chunk_overlap=min(self.overlap_tokens, budget // 4),
            length_function=self.count_tokens,
            separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
            keep_separator="end",
        )

    def chunk(self, document: SourceDocument) -> list[Chunk]:
        title = document.title
        chunks: list[Chunk] = []
        for section_doc in self._headers.split_text(document.body):
            headers = [
                section_doc.metadata[name] for _, name in HEADERS if name in section_doc.metadata
            ]
            # The H1 usually repeats the title; the section path starts below it.
            path_parts = [h for h in headers if h.strip() != title.strip()]
            section = " > ".join(path_parts)
            heading = f"{title} — {section}" if section else title
            body = section_doc.page_content.strip()
            if not body:
                continue
            for piece in self._fit(heading, body):
                text = f"{heading}\n{piece}"
                chunks.append(
                    Chunk(
                        id=chunk_id(document.path, text),
                        path=document.path,
                        chunk_index=len(chunks),
                        title=title,
                        section=section,
                        text=text,
                        metadata=_json_safe(document.metadata),
                    )
                )
        return chunks

    def _fit(self, heading: str, body: str) -> list[str]:
        header = _table_header(body)
        if header:
            # The continuation of a table is fitted with its header row on top.
            heading = f"{heading}\n{header}"
        budget = min(self.target_tokens, self.max_tokens - self.count_tokens(heading) - 4)
        pieces = [body] if self.count_tokens(f"{heading}\n{body}") <= self.max_tokens else None
        while pieces is None or any(
            self.count_tokens(f"{heading}\n{p}") > self.max_tokens for p in pieces
        ):
            if budget < 16:
                raise ValueError(f"cannot fit a chunk of {heading!r} in {self.max_tokens} tokens")
            pieces = [p.strip() for p in self._size_splitter(budget).split_text(body) if p.strip()]
            budget = int(budget * 0.8)
        if header:
            pieces = [_with_header(piece, header) for piece in pieces]
        return pieces


def _table_header(body: str) -> str | None:
    """The header row and separator of the section's first table ("| Course | Days |" and
    "|---|---|"), if it has one."""
    lines = body.splitlines()
    for above, line in itertools.pairwise(lines):
        if above.lstrip().startswith("|") and TABLE_SEPARATOR.match(line.strip()):
            return f"{above.strip()}\n{line.strip()}"
    return None


def _with_header(piece: str, header: str) -> str:
    """A piece that opens on table rows, not on the table's own header, gets the header."""
    if piece.lstrip().startswith("|") and not piece.lstrip().startswith(header.split("\n")[0]):
        return f"{header}\n{piece}"
    return piece


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)  # dates and other YAML scalars
