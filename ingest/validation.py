"""`dovvybuddy ingest validate`: every problem in the knowledge base, reported at once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from ingest.documents import content_files
from ingest.schema import SCHEMAS, DiveSiteDoc

_FRONT_MATTER = re.compile(r"\A---\s*\n(?P<yaml>.*?\n)---\s*\n", re.DOTALL)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def _key_line(front_matter: str, key: str) -> int | None:
    for number, line in enumerate(front_matter.splitlines(), start=2):  # line 1 is '---'
        if line.startswith(f"{key}:"):
            return number
    return None


def validate_file(content_dir: Path, file: Path) -> tuple[list[Problem], object | None]:
    """Problems of one file, and its parsed front matter when it is valid."""
    path = file.relative_to(content_dir).as_posix()
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return [Problem(path, None, f"not UTF-8 text ({error.reason})")], None
    match = _FRONT_MATTER.match(text)
    if not match:
        return [
            Problem(path, 1, "no YAML front matter: the file must start with a '---' block")
        ], None
    try:
        data = yaml.safe_load(match["yaml"])
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else None
        reason = getattr(error, "problem", None) or str(error)
        return [Problem(path, line, f"front matter is not valid YAML: {reason}")], None
    if not isinstance(data, dict):
        return [Problem(path, 2, "front matter must be a mapping of keys to values")], None

    problems: list[Problem] = []
    body = text[match.end() :]
    if not re.search(r"^# \S", body, re.MULTILINE):
        problems.append(Problem(path, None, "the body has no '# ' title"))
    if not re.search(r"^## \S", body, re.MULTILINE):
        problems.append(Problem(path, None, "the body has no '## ' section"))

    doc_type = data.get("doc_type")
    schema = SCHEMAS.get(doc_type)
    if schema is None:
        problems.append(
            Problem(
                path,
                _key_line(match["yaml"], "doc_type"),
                f"doc_type must be one of {', '.join(SCHEMAS)}, got {doc_type!r}",
            )
        )
        return problems, None
    try:
        parsed = schema.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            key = str(item["loc"][0]) if item["loc"] else "front matter"
            field = ".".join(str(part) for part in item["loc"]) or key
            message = item["msg"]
            if item["type"] == "extra_forbidden":
                allowed = ", ".join(schema.model_fields)
                message = f"unknown key for a {doc_type} document (allowed: {allowed})"
            elif item["type"] == "missing":
                message = f"required for a {doc_type} document"
            problems.append(Problem(path, _key_line(match["yaml"], key), f"{field}: {message}"))
        return problems, None
    return problems, parsed


def validate_content(content_dir: Path) -> tuple[list[Problem], int]:
    """All problems across the knowledge base, and how many files were checked."""
    files = content_files(content_dir)
    problems: list[Problem] = []
    destinations: set[str] = set()
    sites: list[tuple[str, DiveSiteDoc]] = []
    seen_destinations: dict[str, str] = {}
    for file in files:
        file_problems, parsed = validate_file(content_dir, file)
        problems.extend(file_problems)
        path = file.relative_to(content_dir).as_posix()
        if parsed is None:
            continue
        if parsed.doc_type == "destination":
            if parsed.destination in seen_destinations:
                problems.append(
                    Problem(
                        path,
                        None,
                        f"destination {parsed.destination!r} is "
                        f"already described by {seen_destinations[parsed.destination]}",
                    )
                )
            seen_destinations[parsed.destination] = path
            destinations.add(parsed.destination)
        elif parsed.doc_type == "dive_site":
            sites.append((path, parsed))
    for path, site in sites:
        if site.destination not in destinations:
            problems.append(
                Problem(
                    path,
                    None,
                    f"destination {site.destination!r} has no "
                    "destination document (doc_type: destination)",
                )
            )
    return sorted(problems), len(files)
