"""The ceiling for ``make bench``: the same stack (gunicorn sync workers + Flask) answering with
canned bytes, so ``emulator req/s / ceiling req/s`` measures what the emulator itself costs.

``BENCH_CEILING_DIR`` holds one ``<workload>.xml`` (gateway) or ``<workload>.json`` (REST) per
workload (the emulator's real answer, captured by the runner); ``POST /ceiling/<workload>`` reads
the request body, as the views do, and returns those bytes with the door's content type.

    BENCH_CEILING_DIR=/tmp/answers gunicorn -w 2 'intacct_mock.loadtests.bench.ceiling:app'
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response, abort, request

XML_CONTENT_TYPE = 'text/xml; encoding="UTF-8"'  # what the gateway sends
JSON_CONTENT_TYPE = "application/json"  # what the REST API sends


def create_app(directory: str | Path) -> Flask:
    answers = {p.stem: (p.read_bytes(), JSON_CONTENT_TYPE if p.suffix == ".json" else XML_CONTENT_TYPE)
               for p in Path(directory).glob("*") if p.suffix in (".xml", ".json")}
    app = Flask(__name__)

    @app.post("/ceiling/<workload>")
    def canned(workload: str) -> Response:
        request.stream.read(10 * 1024 * 1024 + 1)
        found = answers.get(workload)
        if found is None:
            abort(404)
        body, content_type = found
        return Response(body, 200, content_type=content_type)

    return app


app = create_app(os.environ["BENCH_CEILING_DIR"]) if "BENCH_CEILING_DIR" in os.environ else None
