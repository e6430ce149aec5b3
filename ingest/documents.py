"""Reading the knowledge base: markdown files with YAML front matter under content/."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter

# Files that describe the knowledge base rather than belong to it.
NOT_CONTENT = {"README.md"}


@dataclass(frozen=True)
class SourceDocument:
    path: str  # relative to the content root, with forward slashes: the citation path
    metadata: dict[str, Any]
    body: str
    content_hash: str
    metadata_extra: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.metadata.get("title") or Path(self.path).stem.replace("-", " ").title())

    @property
    def doc_type(self) -> str:
        return str(self.metadata.get("doc_type") or "general")


def content_files(content_dir: Path) -> list[Path]:
    return sorted(p for p in content_dir.rglob("*.md") if p.is_file() and p.name not in NOT_CONTENT)


def file_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def load_document(content_dir: Path, file: Path) -> SourceDocument:
    raw = file.read_bytes()
    post = frontmatter.loads(raw.decode("utf-8"))
    return SourceDocument(
        path=file.relative_to(content_dir).as_posix(),
        metadata=dict(post.metadata),
        body=post.content,
        content_hash=file_hash(raw),
    )
