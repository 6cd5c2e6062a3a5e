"""Files out: the JSONL round trip, the OpenSearch files, and the bulk upload against a
stand-in server of our own that answers like the bulk API."""

from __future__ import annotations

import importlib.util
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.cli.commands import main
from searchkit.export.opensearch import index_body

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ["base militaire", "Militärbasis", "barrage Rogun", "coton", "Bichkek pollution"]
needs_client = pytest.mark.skipif(
    importlib.util.find_spec("opensearchpy") is None,
    reason="needs the optional extra 'opensearch': pip install 'searchkit[opensearch]'",
)


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("export") / "index"
    report = searchkit.build_index([ROOT / "corpus"], index_dir)
    assert report.ok
    return index_dir


def snapshot(index_dir):
    with searchkit.open_index(index_dir) as searcher:
        ids = sorted(searcher.all_ids())
        articles = {i: searcher.article(i) for i in ids}
        scores = {
            q: [(h.id, round(h.score, 9)) for h in searcher.search(q, limit=20).hits]
            for q in QUERIES
        }
    return articles, scores


def test_exporting_and_indexing_the_export_gives_the_same_articles_and_scores(
    corpus_index, tmp_path
):
    count = searchkit.export_jsonl(corpus_index, tmp_path / "out")
    report = searchkit.build_index([tmp_path / "out"], tmp_path / "again")
    assert report.ok and not report.warnings
    before, scores_before = snapshot(corpus_index)
    after, scores_after = snapshot(tmp_path / "again")
    assert count == len(before) == len(after) == 47
    assert before.keys() == after.keys()
    for article_id, article in before.items():
        back = after[article_id]
        for name in ("title", "lead", "body", "lang", "tags", "author", "date", "url"):
            assert getattr(back, name) == getattr(article, name), (article_id, name)
        assert (back.caption, back.credit, back.related) == (
            article.caption,
            article.credit,
            article.related,
        )
        assert back.extra == article.extra
    assert scores_after == scores_before
    assert all(scores_before[q] for q in QUERIES)


def test_export_jsonl_to_stdout(corpus_index):
    result = CliRunner().invoke(main, ["export", "jsonl", "-", "--index", str(corpus_index)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 47
    first = json.loads(lines[0])
    assert {"id", "lang", "title", "body"} <= first.keys() and "path" not in first


def test_export_of_a_missing_index_is_one_error_line(tmp_path):
    result = CliRunner().invoke(main, ["export", "jsonl", str(tmp_path / "o"), "--index", "nope"])
    assert result.exit_code == 1
    assert "Error: no index at nope" in result.output
    assert not (tmp_path / "o").exists()


def test_opensearch_export_writes_settings_mappings_and_chunked_bulk_files(corpus_index, tmp_path):
    written = searchkit.export_opensearch(corpus_index, tmp_path, index="archive", chunk=20)
    assert written.articles == 47
    assert [p.name for p in written.bulk_files] == [f"bulk-0000{i}.ndjson" for i in (1, 2, 3)]
    body = json.loads(written.index_file.read_text("utf-8"))
    assert body == json.loads(json.dumps(index_body()))
    props = body["mappings"]["properties"]
    assert props["body_de"]["analyzer"] == "searchkit_de_index"
    assert props["body_de"]["search_analyzer"] == "searchkit_de_search"
    lines = written.bulk_files[0].read_text("utf-8").splitlines()
    assert len(lines) == 40
    action, doc = json.loads(lines[0]), json.loads(lines[1])
    assert action["index"]["_index"] == "archive" and action["index"]["_id"] == doc["id"]
    lang = doc["lang"]
    assert doc[f"title_{lang}"] and doc[f"body_{lang}"]


class BulkAPI(BaseHTTPRequestHandler):
    """Answers like OpenSearch: PUT /<index>, POST /_bulk. The first bulk request gets a
    429; an article whose id contains "rogun" is refused (mapping error); one whose id
    contains "aral" gets an item-level 429 once, then is accepted."""

    calls: list[tuple[str, str, bytes]]
    busy_once: list[bool]
    item_busy: set[str]

    def log_message(self, *args):
        pass

    def _answer(self, status: int, data: dict) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self):
        payload = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.calls.append(("PUT", self.path, payload))
        self._answer(200, {"acknowledged": True, "index": self.path.strip("/")})

    def do_POST(self):
        payload = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.calls.append(("POST", self.path, payload))
        if not self.path.startswith("/_bulk"):
            return self._answer(404, {"error": "no such endpoint"})
        if self.busy_once:
            self.busy_once.pop()
            return self._answer(429, {"error": {"type": "es_rejected_execution_exception"}})
        lines = payload.decode().splitlines()
        items = []
        for action in lines[0::2]:
            meta = json.loads(action)["index"]
            doc_id = meta["_id"]
            result = {"_index": meta["_index"], "_id": doc_id}
            if "rogun" in doc_id:
                result |= {
                    "status": 400,
                    "error": {"type": "mapper_parsing_exception", "reason": "failed to parse"},
                }
            elif "aral" in doc_id and doc_id not in self.item_busy:
                self.item_busy.add(doc_id)
                result |= {"status": 429, "error": {"type": "es_rejected_execution_exception"}}
            else:
                result |= {"status": 201, "result": "created"}
            items.append({"index": result})
        errors = any(i["index"]["status"] >= 300 for i in items)
        self._answer(200, {"took": 1, "errors": errors, "items": items})


@pytest.fixture
def server():
    handler = type("Handler", (BulkAPI,), {"calls": [], "busy_once": [True], "item_busy": set()})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@needs_client
def test_upload_sends_in_chunks_retries_and_reports_failures(corpus_index, tmp_path, server):
    url, handler = server
    written = searchkit.export_opensearch(corpus_index, tmp_path, chunk=20)
    pauses: list[float] = []
    report = searchkit.upload_opensearch(tmp_path, url, sleep=pauses.append, backoff=0.5)
    rogun = [i for i in _ids(written) if "rogun" in i]
    aral = [i for i in _ids(written) if "aral" in i]
    assert rogun and aral
    assert (report.sent, report.failed, report.indexed) == (47, len(rogun), 47 - len(rogun))
    assert all("HTTP 400 mapper_parsing_exception: failed to parse" in e for e in report.errors)
    assert sorted(e.split(":")[0] for e in report.errors) == sorted(rogun)
    # PUT the index, then: 429 on the first bulk, its retry, the aral items again, 2 more.
    methods = [(m, p.split("?")[0]) for m, p, _ in handler.calls]
    assert methods[0] == ("PUT", "/searchkit")
    assert json.loads(handler.calls[0][2]) == json.loads(written.index_file.read_text("utf-8"))
    bulks = [payload for m, p, payload in handler.calls if p.startswith("/_bulk")]
    assert bulks[0] == bulks[1] == written.bulk_files[0].read_bytes()
    sent_ids = [[json.loads(line)["index"]["_id"] for line in b.splitlines()[::2]] for b in bulks]
    resends = [ids for ids in sent_ids if set(ids) <= set(aral)]
    assert sorted(i for ids in resends for i in ids) == sorted(aral)
    assert len(resends) == len({_chunk_of(i, written) for i in aral})
    assert len(bulks) == 1 + 3 + len(resends)  # the 429, the three files, the resent items
    assert report.retries == len(pauses) == 1 + len(resends)
    assert pauses[0] == 0.5


@needs_client
def test_upload_command_reports_and_exits_1_on_failures(corpus_index, tmp_path, server):
    url, _ = server
    args = ["export", "opensearch", str(tmp_path), "--index", str(corpus_index), "--url", url]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "failed: " in result.output and "mapper_parsing_exception" in result.output
    assert f"sent 47 articles to {url} index 'searchkit': " in result.output


def test_upload_without_the_client_says_how_to_install(corpus_index, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_client(name, *args, **kwargs):
        if name.startswith("opensearchpy"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    searchkit.export_opensearch(corpus_index, tmp_path)
    monkeypatch.setattr(builtins, "__import__", no_client)
    with pytest.raises(searchkit.ExportError, match=r"pip install 'searchkit\[opensearch\]'"):
        searchkit.upload_opensearch(tmp_path, "http://127.0.0.1:9")


def _ids(written):
    return [
        json.loads(line)["index"]["_id"]
        for path in written.bulk_files
        for line in path.read_text("utf-8").splitlines()[::2]
    ]


def _chunk_of(article_id, written):
    for path in written.bulk_files:
        if f'"_id": "{article_id}"' in path.read_text("utf-8"):
            return path
    raise AssertionError(article_id)


def test_stdout_stream_api(corpus_index):
    out = io.StringIO()
    assert searchkit.export_jsonl(corpus_index, out) == 47
