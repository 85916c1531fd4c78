"""Compare the summaries of two benchmark runs: python benchmarks/compare.py before.json after.json"""

from __future__ import annotations

import json
import sys

#: Metrics where a smaller number is better; every other number is better larger.
SMALLER_IS_BETTER = ("_ms", "_mb", "_seconds", "seconds")


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = (json.load(open(p)) for p in sys.argv[1:])
    sa, sb = a.get("summary", {}), b.get("summary", {})
    for run, label in ((a, "a"), (b, "b")):
        m = run.get("meta", {})
        print(f"{label}: {m.get('branch')} {m.get('commit')}{' (dirty)' if m.get('dirty') else ''} at {m.get('when')}")
    print(f"\n{'metric':34} {'a':>12} {'b':>12} {'change':>9}")
    for key in dict.fromkeys([*sa, *sb]):
        x, y = sa.get(key), sb.get(key)
        change = ""
        if isinstance(x, (int, float)) and isinstance(y, (int, float)) and x:
            ratio = y / x
            better = ratio < 1 if key.endswith(SMALLER_IS_BETTER) else ratio > 1
            change = f"{(ratio - 1) * 100:+.0f}%" + (" ✓" if better and abs(ratio - 1) > 0.05 else "")
        print(f"{key:34} {_fmt(x):>12} {_fmt(y):>12} {change:>9}")


def _fmt(v: object) -> str:
    if v is None:
        return "-"
    return f"{v:,.2f}" if isinstance(v, float) else f"{v:,}" if isinstance(v, int) else str(v)


if __name__ == "__main__":
    main()
