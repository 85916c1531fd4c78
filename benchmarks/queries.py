"""The fixed query set: each query in searchkit's syntax and the same intent in SQLite FTS5 syntax.

Realistic for the corpus (BBC News 2004-05, Reuters 1987): single words, two words (ANDed), phrases,
OR, NOT, and field filters (speaker:, source:, person:, org:, place:, title:). FTS5 columns:
title, section, text, speaker, source, person, org, place (names as indexed by searchkit).
"""

from __future__ import annotations

#: (kind, searchkit query, FTS5 query)
QUERIES: list[tuple[str, str, str]] = [
    # single words
    ("word", "oil", "oil"),
    ("word", "election", "election"),
    ("word", "inflation", "inflation"),
    ("word", "coffee", "coffee"),
    ("word", "broadband", "broadband"),
    ("word", "football", "football"),
    ("word", "tariffs", "tariffs"),
    ("word", "takeover", "takeover"),
    ("word", "album", "album"),
    ("word", "dividend", "dividend"),
    ("word", "terrorism", "terrorism"),
    ("word", "yen", "yen"),
    ("word", "said", "said"),
    # two words
    ("two", "interest rates", "interest rates"),
    ("two", "oil prices", "oil prices"),
    ("two", "mobile phone", "mobile phone"),
    ("two", "trade deficit", "trade deficit"),
    ("two", "wheat exports", "wheat exports"),
    ("two", "film award", "film award"),
    ("two", "tax cuts", "tax cuts"),
    ("two", "bank merger", "bank merger"),
    ("two", "opec output", "opec output"),
    ("two", "video games", "video games"),
    ("two", "labour manifesto", "labour manifesto"),
    ("two", "champions league", "champions league"),
    ("two", "crude oil", "crude oil"),
    # phrases
    ("phrase", '"interest rates"', '"interest rates"'),
    ("phrase", '"prime minister"', '"prime minister"'),
    ("phrase", '"federal reserve"', '"federal reserve"'),
    ("phrase", '"general election"', '"general election"'),
    ("phrase", '"net profit"', '"net profit"'),
    ("phrase", '"world cup"', '"world cup"'),
    ("phrase", '"chief executive"', '"chief executive"'),
    ("phrase", '"stock exchange"', '"stock exchange"'),
    ("phrase", '"oscar nominations"', '"oscar nominations"'),
    ("phrase", '"european union"', '"european union"'),
    # OR / NOT
    ("or", "gold OR silver", "gold OR silver"),
    ("or", "coffee OR cocoa OR sugar", "coffee OR cocoa OR sugar"),
    ("or", "microsoft OR apple", "microsoft OR apple"),
    ("or", "blair OR brown", "blair OR brown"),
    ("or", "strike OR walkout", "strike OR walkout"),
    ("not", "oil NOT opec", "oil NOT opec"),
    ("not", "music NOT download", "music NOT download"),
    # field filters
    ("field", "speaker:blair", "speaker:blair"),
    ("field", "speaker:brown tax", "speaker:brown AND tax"),
    ("field", "speaker:greenspan", "speaker:greenspan"),
    ("field", "source:reuters profit", "source:reuters AND profit"),
    ("field", "source:bbc election", "source:bbc AND election"),
    ("field", "person:blair iraq", "person:blair AND iraq"),
    ("field", "org:opec prices", "org:opec AND prices"),
    ("field", "place:japan exports", "place:japan AND exports"),
    ("field", "title:profit", "title:profit"),
    ("field", 'source:reuters "oil prices"', 'source:reuters AND "oil prices"'),
    ("field", "place:china", "place:china"),
    ("field", "org:microsoft", "org:microsoft"),
    ("field", "speaker:howard election", "speaker:howard AND election"),
]

#: The few queries timed as whole `searchkit query` processes (a common word, a phrase, a filter).
CLI_QUERIES = ["oil prices", '"prime minister"', "speaker:blair", "source:reuters profit"]
