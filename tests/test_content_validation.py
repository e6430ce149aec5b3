"""`ingest validate` reports every problem of every file, by name and line."""

import textwrap

from typer.testing import CliRunner

from cli.main import app
from config.settings import PROJECT_ROOT
from ingest.validation import validate_content

GOOD_DESTINATION = """\
---
doc_type: destination
title: "Testland"
description: "A destination made up for tests."
tags: [test, island]
last_updated: 2026-11-25
sources: ["The test suite"]
destination: testland
country: Nowhere
region: Test Sea
best_months: [Mar, Apr]
water_temp_c: [26, 29]
visibility_m: [10, 30]
---

# Testland

## Overview

Warm water.
"""


def _write(root, name, text):
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def test_the_real_corpus_is_valid():
    problems, checked = validate_content(PROJECT_ROOT / "content")
    assert checked >= 60
    assert problems == []


def test_every_problem_is_reported_with_its_file_and_line(tmp_path):
    _write(tmp_path, "destinations/testland/index.md", GOOD_DESTINATION)
    _write(tmp_path, "broken-yaml.md", "---\ntitle: [unclosed\ndoc_type: general\n---\n# T\n## S\n")
    _write(tmp_path, "no-front-matter.md", "# Just a title\n\n## Section\n")
    _write(
        tmp_path,
        "destinations/testland/sites/bad-site.md",
        """\
        ---
        doc_type: dive_site
        title: "Bad site"
        description: "A site with several mistakes."
        tags: [test, site]
        last_updated: 2026-11-25
        sources: ["The test suite"]
        destination: atlantis
        site_name: Bad site
        depth_range_m: [30, 5]
        min_certification: expert
        difficulty: beginner
        current: mild
        site_type: reef
        highlights: ["nothing"]
        colour: blue
        ---

        # Bad site

        ## Overview

        Text.
        """,
    )
    problems, checked = validate_content(tmp_path)
    assert checked == 4
    text = "\n".join(str(p) for p in problems)
    # YAML notices the unclosed list where it meets the next key, on line 3.
    assert "broken-yaml.md:3: front matter is not valid YAML" in text
    assert "no-front-matter.md:1: no YAML front matter" in text
    site = "destinations/testland/sites/bad-site.md"
    assert f"{site}:10: depth_range_m" in text  # [30, 5] is upside down
    assert f"{site}:11: min_certification" in text
    assert f"{site}:16: colour: unknown key" in text
    assert f"{site}: destination 'atlantis' has no destination document" not in text  # invalid
    assert not any(p.path == "destinations/testland/index.md" for p in problems)


def test_a_site_must_belong_to_a_known_destination(tmp_path):
    _write(tmp_path, "destinations/testland/index.md", GOOD_DESTINATION)
    site = GOOD_DESTINATION.replace("doc_type: destination", "doc_type: dive_site")
    site = site.replace(
        "country: Nowhere\nregion: Test Sea\nbest_months: [Mar, Apr]\n"
        "water_temp_c: [26, 29]\nvisibility_m: [10, 30]\n",
        "site_name: Reef\ndepth_range_m: [5, 18]\nmin_certification: open_water\n"
        "difficulty: beginner\ncurrent: mild\nsite_type: reef\nhighlights: [fish]\n",
    ).replace("destination: testland", "destination: elsewhere")
    _write(tmp_path, "destinations/elsewhere/sites/reef.md", site)
    problems, _ = validate_content(tmp_path)
    assert [str(p) for p in problems] == [
        "destinations/elsewhere/sites/reef.md: destination 'elsewhere' has no destination "
        "document (doc_type: destination)"
    ]


def test_the_command_exits_non_zero_and_names_the_files(tmp_path):
    _write(tmp_path, "a.md", "---\ndoc_type: recipe\n---\n# A\n## B\n")
    _write(tmp_path, "b.md", "---\ndoc_type: general\n---\n# B\n## C\n")
    result = CliRunner().invoke(app, ["ingest", "validate", "--content-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "a.md:2: doc_type must be one of" in result.output
    assert "b.md:" in result.output and "title: required" in result.output
