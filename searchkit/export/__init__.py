"""Carrying the archive out: every article as JSON Lines, or to OpenSearch/Elasticsearch.

* :func:`export_jsonl`: the articles in the JSONL format ``searchkit index`` reads, so an
  export indexes back into the same articles (and the same scores).
* :func:`export_opensearch`: index settings and mappings that reproduce searchkit's analysis
  per language, and the articles as bulk NDJSON files; :func:`upload_opensearch` sends them
  with the official client (the optional extra ``opensearch``).
"""

from __future__ import annotations

from searchkit.export.jsonl import article_record, export_jsonl
from searchkit.export.opensearch import OpenSearchExport, export_opensearch, index_body
from searchkit.export.upload import UploadReport, upload_opensearch

__all__ = [
    "OpenSearchExport",
    "UploadReport",
    "article_record",
    "export_jsonl",
    "export_opensearch",
    "index_body",
    "upload_opensearch",
]
