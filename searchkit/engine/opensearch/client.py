"""Connecting to a cluster: the URL from ``init --url`` or ``$SEARCHKIT_OPENSEARCH_URL``, credentials only
from the environment (never from a command line or a file), and one place that turns transport errors
into searchkit errors."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from importlib.util import find_spec
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ...errors import EngineUnavailable, IndexOutdated, InputError

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

URL_ENV = "SEARCHKIT_OPENSEARCH_URL"
USER_ENV = "SEARCHKIT_OPENSEARCH_USER"
PASSWORD_ENV = "SEARCHKIT_OPENSEARCH_PASSWORD"
#: Seconds a request may take (bulk batches and rebuild refreshes included).
TIMEOUT = 120


def require_client() -> None:
    """Refuse, in one line, when opensearch-py is not installed: checked when an OpenSearch collection is
    made or opened (not imported: a query process reads without it), so ``init`` says so, not the first
    write after its NLP."""
    if find_spec("opensearchpy") is None:
        raise EngineUnavailable(
            "OpenSearch collections need the opensearch-py package: pip install 'searchkit[opensearch]' "
            "(from a clone: pip install -e '.[opensearch]')"
        )


def check_url(url: str | None) -> str:
    """``url`` (or ``$SEARCHKIT_OPENSEARCH_URL``) as ``http(s)://host:port``, refusing credentials in it."""
    url = (url or os.environ.get(URL_ENV) or "").strip().rstrip("/")
    if not url:
        raise InputError(
            f"an OpenSearch collection needs the cluster's address: --url http://HOST:PORT or {URL_ENV} "
            "(start a local one with 'searchkit opensearch start --data DIR')"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url!r} is not an OpenSearch address; give it as http://HOST:PORT or https://HOST:PORT")
    if parts.username or parts.password:
        raise InputError(
            f"put no credentials in the OpenSearch address; set {USER_ENV} and {PASSWORD_ENV} in the environment"
        )
    return url


def connect(url: str) -> OpenSearch:
    """An opensearch-py client for ``url``, with basic auth from the environment when it is set."""
    from opensearchpy import OpenSearch

    # opensearch-py logs each failed request with its traceback; searchkit reports failures itself
    logging.getLogger("opensearch").addHandler(logging.NullHandler())
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    return OpenSearch(
        [url],
        timeout=TIMEOUT,
        max_retries=2,
        retry_on_timeout=True,
        http_compress=True,
        http_auth=(user, password or "") if user else None,
    )


def missing_index(url: str, name: str) -> str:
    return (
        f"OpenSearch at {url} has no {name} that this collection's catalogue names (deleted, or another "
        "cluster?); run 'searchkit doctor --fix'"
    )


def unreachable(url: str) -> str:
    return f"cannot reach OpenSearch at {url}; start it (searchkit opensearch start --data DIR) or check the address"


def refused(url: str, status: object) -> str:
    return f"OpenSearch at {url} refused us ({status}); set {USER_ENV} and {PASSWORD_ENV}"


@contextlib.contextmanager
def reaching(url: str) -> Iterator[None]:
    """Turn a cluster that cannot be reached or refuses us into one line that says what to do."""
    from opensearchpy.exceptions import AuthenticationException, AuthorizationException, ConnectionError, NotFoundError

    try:
        yield
    except NotFoundError as exc:
        error = exc.info.get("error", {}) if isinstance(exc.info, dict) else {}
        missing = error.get("index", "index") if isinstance(error, dict) else "index"
        raise IndexOutdated(missing_index(url, missing)) from None
    except ConnectionError:
        raise EngineUnavailable(unreachable(url)) from None
    except (AuthenticationException, AuthorizationException) as exc:
        raise EngineUnavailable(refused(url, exc.status_code)) from None
