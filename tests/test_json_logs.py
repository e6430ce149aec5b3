"""JSON log lines carry the fields log routers read."""

import json
import logging

from api.middleware import JsonFormatter, request_id_var


def test_a_json_line_names_its_severity_and_request():
    record = logging.LogRecord(
        "dovvybuddy.test", logging.WARNING, __file__, 1, "slow %s", ("db",), None
    )
    token = request_id_var.set("req-123")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["severity"] == "WARNING" and line["level"] == "WARNING"
    assert line["message"] == "slow db" and line["request_id"] == "req-123"
