"""Sending an OpenSearch export with the official client (the optional extra ``opensearch``).

The index is created from ``index.json`` (an existing index is kept: its documents are
replaced by id), then each bulk file goes in one request. A request refused as a whole for
load (HTTP 429, 502, 503, 504) or a lost connection is retried after a growing pause; inside
an accepted request, the items refused with 429 are sent again, alone; any other refused
item is a failure, counted and reported with its reason. Nothing is raised for failed
articles: the report says what failed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchkit.errors import ExportError
from searchkit.export.opensearch import BULK_PATTERN, INDEX_FILE

INSTALL_HINT = (
    "sending to a server needs the optional extra 'opensearch' (opensearch-py): "
    "pip install 'searchkit[opensearch]'; or send the files with curl (see README)"
)
RETRY_STATUS = frozenset({429, 502, 503, 504})
#: Errors kept word for word in the report; the rest are counted.
MAX_ERRORS = 10


@dataclass
class UploadReport:
    """What an upload did: articles sent, indexed, failed (with the first reasons)."""

    index: str
    sent: int = 0
    indexed: int = 0
    failed: int = 0
    retries: int = 0
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    created: bool = False

    @property
    def ok(self) -> bool:
        """True when every article was indexed."""
        return self.failed == 0

    def fail(self, count: int, reason: str) -> None:
        self.failed += count
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(reason)


def upload_opensearch(
    folder: str | Path,
    url: str,
    *,
    index: str | None = None,
    retries: int = 5,
    backoff: float = 1.0,
    timeout: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
) -> UploadReport:
    """Create the index and send every bulk file of an export ``folder`` to ``url``.

    ``index`` overrides the index name written in the bulk files. ``retries`` is how often
    a refused request or item is sent again, after ``backoff * 2**attempt`` seconds.
    Raises ExportError when the client is missing, the folder holds no export, or the
    server cannot be reached or refuses to create the index.
    """
    try:
        from opensearchpy import OpenSearch
    except ImportError as exc:
        raise ExportError(INSTALL_HINT) from exc
    folder = Path(folder)
    bulk_files = sorted(folder.glob(BULK_PATTERN.replace("{:05d}", "*")))
    if not (folder / INDEX_FILE).is_file():
        raise ExportError(
            f"{folder} holds no OpenSearch export ({INDEX_FILE} is missing): write one with "
            f"searchkit export opensearch {folder}"
        )
    name = index or _index_named(bulk_files) or "searchkit"
    client = OpenSearch(hosts=[url], timeout=timeout, max_retries=0, http_compress=False)
    report = UploadReport(name)
    _create(client, name, json.loads((folder / INDEX_FILE).read_text("utf-8")), url, report)
    sender = _Sender(client, report, retries, backoff, sleep)
    for path in bulk_files:
        lines = path.read_text("utf-8").splitlines()
        pairs = [(lines[i], lines[i + 1]) for i in range(0, len(lines) - 1, 2)]
        report.sent += len(pairs)
        sender.send([(_retarget(action, name), doc) for action, doc in pairs])
    return report


def _index_named(bulk_files: list[Path]) -> str | None:
    for path in bulk_files:
        with path.open(encoding="utf-8") as stream:
            first = stream.readline()
        if first.strip():
            return str(json.loads(first)["index"]["_index"])
    return None


def _retarget(action: str, index: str) -> str:
    data = json.loads(action)
    data["index"]["_index"] = index
    return json.dumps(data, ensure_ascii=False)


def _create(client: Any, name: str, body: dict[str, Any], url: str, report: UploadReport) -> None:
    from opensearchpy.exceptions import ConnectionError, TransportError

    try:
        client.indices.create(index=name, body=body)
    except ConnectionError as exc:
        raise ExportError(f"cannot reach {url} ({exc.error}): check the address") from exc
    except TransportError as exc:
        if "resource_already_exists" in str(exc.error):
            return  # kept as it is: documents are replaced by id
        raise ExportError(
            f"{url} refused to create index {name!r} (HTTP {exc.status_code}: {exc.error}); "
            "check that the server is OpenSearch or Elasticsearch 7+ and the name is free"
        ) from exc
    report.created = True


class _Sender:
    """Bulk requests with retries, results counted into a report."""

    def __init__(
        self,
        client: Any,
        report: UploadReport,
        retries: int,
        backoff: float,
        sleep: Callable[[float], None],
    ) -> None:
        self.client, self.report = client, report
        self.retries, self.backoff, self.sleep = retries, backoff, sleep

    def send(self, pairs: list[tuple[str, str]]) -> None:
        attempt = 0
        while pairs:
            response = self._request(pairs, attempt)
            if response is None:
                return
            pairs = self._results(pairs, response, attempt)
            if pairs:
                attempt += 1
                self._pause(attempt)

    def _request(self, pairs: list[tuple[str, str]], attempt: int) -> dict[str, Any] | None:
        """The bulk response, retried while the server is busy; None when it gave up."""
        from opensearchpy.exceptions import ConnectionError, TransportError

        body = "".join(f"{action}\n{doc}\n" for action, doc in pairs)
        while True:
            self.report.requests += 1
            try:
                response: dict[str, Any] = self.client.bulk(body=body)
                return response
            except (ConnectionError, TransportError) as exc:
                status = getattr(exc, "status_code", None)
                busy = isinstance(exc, ConnectionError) or status in RETRY_STATUS
                if not busy or attempt >= self.retries:
                    why = "connection failed" if status == "N/A" else f"HTTP {status}"
                    self.report.fail(len(pairs), f"bulk request of {len(pairs)}: {why}: {exc}")
                    return None
                attempt += 1
                self._pause(attempt)

    def _results(
        self, pairs: list[tuple[str, str]], response: dict[str, Any], attempt: int
    ) -> list[tuple[str, str]]:
        """Count the items; return those to send again (refused with 429)."""
        again: list[tuple[str, str]] = []
        for pair, item in zip(pairs, response.get("items", []), strict=False):
            result = next(iter(item.values()))
            status = int(result.get("status", 500))
            if status < 300:
                self.report.indexed += 1
            elif status == 429 and attempt < self.retries:
                again.append(pair)
            else:
                error = result.get("error") or {}
                reason = error.get("reason", "") if isinstance(error, dict) else str(error)
                kind = error.get("type", "error") if isinstance(error, dict) else "error"
                self.report.fail(1, f"{result.get('_id')}: HTTP {status} {kind}: {reason}")
        return again

    def _pause(self, attempt: int) -> None:
        self.report.retries += 1
        self.sleep(self.backoff * 2 ** (attempt - 1))
