"""The read requests of a search (search, count, exists) over the standard library's HTTP client.

A one-shot ``searchkit query`` on OpenSearch spent longer importing opensearch-py (which imports
urllib3 and requests with it) than a whole Whoosh query process takes; a reader needs three JSON
requests, so it makes them itself on one kept-alive connection. Writes and index administration keep
using opensearch-py (bulk helpers, retries on back-pressure). Failures become the same one-line
searchkit errors as ``client.reaching`` gives.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
from typing import Any
from urllib.parse import quote, urlsplit

from ...errors import EngineUnavailable, IndexOutdated, QueryError
from .client import PASSWORD_ENV, TIMEOUT, USER_ENV, missing_index, refused, unreachable


class ReadClient:
    """Search requests to one cluster address; the connection is opened on first use and reopened once
    when the server has closed it (a long-lived session's idle connection)."""

    def __init__(self, url: str, timeout: float = TIMEOUT) -> None:
        self.url = url
        parts = urlsplit(url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or "localhost"
        self._port = parts.port or (443 if self._https else 80)
        self._base = parts.path.rstrip("/")
        self._timeout = timeout
        self._headers = {"Content-Type": "application/json", "Accept": "application/json"}
        user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
        if user:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"
        self._connection: http.client.HTTPConnection | None = None

    def search(self, index: str, body: dict) -> dict:
        return self._request("POST", f"/{quote(index)}/_search", body)

    def count(self, index: str) -> dict:
        return self._request("POST", f"/{quote(index)}/_count", {})

    def exists(self, index: str, id: str) -> bool:
        return self._request("HEAD", f"/{quote(index)}/_doc/{quote(id, safe='')}", None, absent_ok=True) is not None

    def term_vectors(
        self, index: str, wanted: list[tuple[str, list[str]]], texts: list[tuple[str, str]]
    ) -> tuple[list[dict[str, dict[str, int]]], list[dict[str, dict[str, int]]]]:
        """The words (term -> frequency) of each (document id, its fields) of ``wanted``, and of each
        (field, text) of ``texts`` as that field analyses it, in one request (term vectors are computed
        from the stored source)."""
        if not wanted and not texts:
            return [], []
        flags = {"positions": False, "offsets": False, "term_statistics": False, "field_statistics": False}
        docs = [{"_id": i, "fields": fields, **flags} for i, fields in wanted]
        docs += [{"doc": {field: text}, "fields": [field], **flags} for field, text in texts]
        answer = self._request("POST", f"/{quote(index)}/_mtermvectors", {"docs": docs})
        found = [
            {
                f: {term: v["term_freq"] for term, v in tv["terms"].items()}
                for f, tv in (d.get("term_vectors") or {}).items()
            }
            for d in answer["docs"]
        ]
        return found[: len(wanted)], found[len(wanted) :]

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            if self._https:
                self._connection = http.client.HTTPSConnection(self._host, self._port, timeout=self._timeout)
            else:
                self._connection = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
        return self._connection

    def _request(self, method: str, path: str, body: dict | None, absent_ok: bool = False) -> Any:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        for attempt in (1, 2):
            connection = self._connect()
            try:
                connection.request(method, self._base + path, body=data, headers=self._headers)
                response = connection.getresponse()
                payload = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()  # the server closed an idle kept-alive connection: one fresh try
                if attempt == 2:
                    raise EngineUnavailable(unreachable(self.url)) from None
            except OSError:
                self.close()
                raise EngineUnavailable(unreachable(self.url)) from None
        status = response.status
        if status == 404 and absent_ok:
            return None
        if status >= 300:
            self._fail(status, payload)
        return json.loads(payload) if payload else {}

    def _fail(self, status: int, payload: bytes) -> None:
        try:
            error = json.loads(payload).get("error", {})
        except (ValueError, AttributeError):
            error = {}
        if not isinstance(error, dict):
            error = {"reason": str(error)}
        if status == 404:
            raise IndexOutdated(missing_index(self.url, str(error.get("index", "index"))))
        if status in (401, 403):
            raise EngineUnavailable(refused(self.url, status))
        cause = (error.get("root_cause") or [error])[0]
        reason = cause.get("reason") if isinstance(cause, dict) else None
        if status == 400:
            raise QueryError(f"OpenSearch refused the query: {reason or error.get('type', 'bad request')}")
        raise EngineUnavailable(
            f"OpenSearch at {self.url} answered {status} ({reason or 'no reason given'}); try again"
        )
