"""Batch queries, saved searches (watch) and the Python session on OpenSearch: the scripting suite's
tests collected here with an OpenSearch collection (``empty_home``) on the session's real node."""

from __future__ import annotations

from . import test_scripting as scripting
from .test_opensearch_writes import empty_home  # noqa: F401  (the OpenSearch collection the fixtures fill)

fast_nlp = scripting.fast_nlp
home = scripting.home

test_session_gives_the_same_results_as_one_shot_calls = scripting.test_session_gives_the_same_results_as_one_shot_calls
test_batch_lines_give_a_record_per_hit_and_an_error_record_per_bad_line = (
    scripting.test_batch_lines_give_a_record_per_hit_and_an_error_record_per_bad_line
)
test_batch_csv_with_option_columns = scripting.test_batch_csv_with_option_columns
test_batch_json_document_and_usage_errors = scripting.test_batch_json_document_and_usage_errors
test_watch_shows_only_hits_in_articles_added_since_its_last_run = (
    scripting.test_watch_shows_only_hits_in_articles_added_since_its_last_run
)
test_watch_list_delete_from_now_and_bad_input = scripting.test_watch_list_delete_from_now_and_bad_input


def test_the_collection_is_on_opensearch(home):
    """The tests above really ran on OpenSearch, not on a Whoosh collection of the same fixture name."""
    assert scripting.Collection(home).config()["engine"] == "opensearch"
