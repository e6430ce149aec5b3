"""The committed openapi.json is the clients' source of truth: it must match the app, and
the live app must honour it — schemathesis, every check, every operation, a fixed seed."""

import pytest

from cli.main import OPENAPI_FILE, openapi_document
from scripts.contract_fuzz import SERVER_ENV, fuzz
from tests.server_process import ServerProcess

# Enough to cover every operation's valid and invalid shapes in a few minutes on two
# cores; `python -m scripts.contract_fuzz` runs 100 per operation.
EXAMPLES = 5


def test_the_committed_document_matches_the_running_code():
    assert OPENAPI_FILE.read_text() == openapi_document(), (
        "openapi.json is out of date: run `.venv/bin/dovvybuddy openapi`"
    )


@pytest.mark.db
def test_every_operation_honours_the_document(database_url, indexed_corpus):
    server = ServerProcess(database_url, **SERVER_ENV).start().wait_for_ready()
    try:
        result = fuzz(server.base_url, EXAMPLES, timeout=1800)
    finally:
        server.stop()
    print(f"\nschemathesis: {result.cases} test cases, every check, seed fixed")
    assert result.returncode == 0, result.output[-8000:]
    assert result.cases > 0, result.output[-3000:]
