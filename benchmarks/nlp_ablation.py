"""Every rule group earns its place: entity F1 on the TUNE part with each rule group switched off.

For each group (a function of :mod:`searchkit.nlp.names`, :mod:`searchkit.nlp.recall` or the
pipeline), the harnesses run with that function replaced by a no-op, on cached parses; a group whose
removal does not lower F1 on the tune part is a candidate to drop. Never run on the report part.
Run: PYTHONPATH=.:benchmarks python benchmarks/nlp_ablation.py [group ...]
"""

from __future__ import annotations

import sys
from unittest import mock

import entities_newswire
import gum_entities

from searchkit.nlp import names, pipeline

GROUPS = {
    "repair_spans": ("names.repair_spans", lambda mentions, texts: mentions),
    "acronym_mentions": ("names.acronym_mentions", lambda mentions, texts: {}),
    "gazetteer_mentions": ("names.gazetteer_mentions", lambda mentions, texts: None),
    "headed_orgs": ("names.headed_orgs", lambda mentions, texts: None),
    "list_votes": ("names.list_votes", lambda mentions, texts: None),
    "given_names": ("names.given_names", lambda mentions, texts: None),
    "scores_to_names": ("names._scores_to_names", lambda mentions: None),
    "expand_short_person_names": ("names._expand_short_person_names", lambda mentions: None),
    "vote_types": ("names._vote_types", lambda mentions: None),
    "teams": ("names._teams", lambda mentions, texts: None),
    "expand_short_institutions": ("names._expand_short_institutions", lambda mentions: None),
    "expand_acronyms": ("names._expand_acronyms", lambda mentions, spelled: None),
    "propagate": ("names.propagate", lambda mentions, texts: None),
    "speaker_mentions": ("pipeline.speaker_mentions", lambda mentions, texts, claims: None),
}
MODULES = {"names": names, "pipeline": pipeline}


def measure() -> dict[str, float]:
    out = {}
    for label, rows in (("nw", entities_newswire.run("tune")), ("gum", gum_entities.run("tune"))):
        for kind, (_, _, f) in rows["searchkit"].items():
            out[f"{label} {kind}"] = f
    return out


def main() -> None:
    wanted = sys.argv[1:] or ["none", *GROUPS]
    base = measure()
    print(f"{'switched off':28} " + " ".join(f"{k:>10}" for k in base))
    print(f"{'(nothing)':28} " + " ".join(f"{v:10.3f}" for v in base.values()))
    for group in wanted:
        if group not in GROUPS:
            continue
        module, attr = GROUPS[group][0].split(".")
        with mock.patch.object(MODULES[module], attr, GROUPS[group][1]):
            got = measure()
        print(f"{group:28} " + " ".join(f"{got[k] - base[k]:+10.3f}" for k in base), flush=True)


if __name__ == "__main__":
    main()
