"""searchkit on OpenSearch: the only package that imports opensearch-py (``searchkit.localnode`` runs a
local cluster)."""
