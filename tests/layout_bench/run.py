"""Print the layout bench's scores: ``python -m tests.layout_bench`` (or ``make layout-bench``).

Options: ``--only NAME ...`` some layouts; ``--keep DIR`` keep the rendered files (docs/), gold (gold/NAME/)
and extracted records (pred/NAME.jsonl) there (default: a temporary folder); ``--details`` list, per layout, the gold tasks that were
missed or got a field wrong, and the extra tasks.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from .bench import BY_NAME, LAYOUTS, Result, load_scorer, run_bench

COLUMNS = (
    ("overall", "overall"),
    ("task_f1", "task_f1"),
    ("month", "month_accuracy"),
    ("deadline", "deadline_accuracy"),
    ("start", "start_accuracy"),
    ("lead", "lead_units_f1"),
    ("support", "support_units_f1"),
    ("refs", "references_f1"),
    ("refdate", "reference_dates_accuracy"),
)


def table(results: dict[str, Result]) -> str:
    width = max(len(n) for n in results) + 2
    lines = [f"{'layout':<{width}}" + "".join(f"{h:>9}" for h, _ in COLUMNS) + "   tasks g/p/m"]
    for name, res in results.items():
        if res.skip:
            lines.append(f"{name:<{width}}  skipped: {res.skip}")
            continue
        row = f"{name:<{width}}" + "".join(f"{res.scores.get(k, 0.0):>9.3f}" for _, k in COLUMNS)
        doc = next(iter(res.scores.get("per_document", {}).values()), {})
        row += f"   {doc.get('gold_tasks', 0)}/{doc.get('pred_tasks', 0)}/{doc.get('matched', 0)}"
        if res.error:
            row += f"   error: {res.error[:80]}"
        lines.append(row)
    scored = [r.overall for r in results.values() if not r.skip and r.overall is not None]
    if scored:
        lines.append(f"{'mean':<{width}}{sum(scored) / len(scored):>9.3f}")
    return "\n".join(lines)


def _short(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def details(res: Result) -> list[str]:
    """What a layout got wrong, task by task: missed, extra, and field differences."""
    scorer = load_scorer()
    gold = [r for r in res.gold if r.get("kind") == "task"]
    pred = [r for r in res.records if r.get("kind") == "task"]
    pairs, _, _ = scorer.match_tasks(gold, pred)
    matched_g = {id(g) for g, _ in pairs}
    matched_p = {id(p) for _, p in pairs}
    out = []
    unmatched_p = [p for p in pred if id(p) not in matched_p]
    for g in gold:
        if id(g) not in matched_g:
            out.append(f"  MISSED  {g['text'][:110]}")
            near = max(
                unmatched_p,
                key=lambda p: scorer.similarity(scorer.task_key(g["text"]), scorer.task_key(p.get("text"))),
                default=None,
            )
            if near is not None:
                sim = scorer.similarity(scorer.task_key(g["text"]), scorer.task_key(near.get("text")))
                out.append(f"   nearest ({sim:.0f}%): {str(near.get('text'))[:300]}")
    for p in pred:
        if id(p) not in matched_p:
            out.append(f"  EXTRA   {str(p.get('text'))[:110]}")
    for g, p in pairs:
        diffs = []
        for k in ("month", "deadline", "start"):
            if not scorer.accepts(g.get(k), p.get(k)):
                diffs.append(f"{k} {_short(g.get(k))} got {_short(p.get(k))}")
        for k in ("lead_units", "support_units"):
            gk = {scorer.unit_key(u) for u in g.get(k) or []}
            pk = {scorer.unit_key(u) for u in p.get(k) or []}
            if gk != pk:
                diffs.append(f"{k} {_short(g.get(k))} got {_short(p.get(k))}")
        if diffs:
            out.append(f"  FIELDS  {g['text'][:70]}")
            out += [f"            {d}" for d in diffs]
            if p.get("deadline_text"):
                out.append(f"            (deadline_text {_short(p.get('deadline_text'))})")
    g_refs = {scorer.ref_key(r["symbol"]): r for r in res.gold if r.get("kind") == "reference"}
    p_refs = {scorer.ref_key(r.get("symbol")): r for r in res.records if r.get("kind") == "reference"}
    for k in sorted(set(g_refs) - set(p_refs)):
        out.append(f"  REF MISSED  {g_refs[k]['symbol']}")
    for k in sorted(set(p_refs) - set(g_refs)):
        out.append(f"  REF EXTRA   {p_refs[k].get('symbol')}")
    for k in sorted(set(g_refs) & set(p_refs)):
        if g_refs[k].get("issued_on") and g_refs[k]["issued_on"] != p_refs[k].get("issued_on"):
            out.append(
                f"  REF DATE    {g_refs[k]['symbol']} {g_refs[k]['issued_on']} got {p_refs[k].get('issued_on')}"
            )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.layout_bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", choices=sorted(BY_NAME), metavar="NAME", help="layouts to run")
    ap.add_argument("--keep", type=Path, help="keep rendered files, gold and records in this folder")
    ap.add_argument("--details", action="store_true", help="list the wrong tasks of each layout")
    ap.add_argument("--list", action="store_true", help="list the layouts and exit")
    args = ap.parse_args(argv)
    if args.list:
        for layout in LAYOUTS:
            print(f"{layout.name:<24} {layout.ext:<5} {layout.what}")
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="layout-bench-") as tmp:
        out = args.keep or Path(tmp)
        results = run_bench(out, args.only)
        if args.keep:
            for name, res in results.items():
                if res.records:
                    (out / "pred").mkdir(exist_ok=True)
                    (out / "pred" / f"{name}.jsonl").write_text(
                        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in res.records),
                        encoding="utf-8",
                    )
    print(table(results))
    print(f"({time.monotonic() - started:.0f} s)")
    if args.details:
        for name, res in results.items():
            if not res.skip and res.overall is not None and res.overall < 1.0:
                print(f"\n== {name}  overall {res.overall:.3f}")
                print("\n".join(details(res)) or "  (references only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
