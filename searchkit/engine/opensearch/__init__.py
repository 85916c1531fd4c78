"""searchkit on OpenSearch: the only package that imports opensearch-py (``node`` starts a local cluster)."""
