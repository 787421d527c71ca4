"""Accuracy of ecopark on documents it did not make (issue 12): the validation set and the
randomised corpus (samples/generate/random_corpus.py).

    python benchmarks/bench_accuracy.py                                  # both sets
    python benchmarks/bench_accuracy.py --no-corpus --families A B C D F X
    python benchmarks/bench_accuracy.py --no-corpus --validation DIR     # another copy of the set
    python benchmarks/bench_accuracy.py --no-validation --seed 12 --count 300
    python benchmarks/bench_accuracy.py --no-validation --corpus /tmp/rc # a generated folder
    python benchmarks/bench_accuracy.py --no-validation --seed 13 --count 60 --scans
    ... --json numbers.json

Each set's documents (``NAME.pdf`` or ``NAME.md`` beside ``NAME.truth.json``) are split over
``--workers`` shards; each shard is one ``ecopark extract FILES -o OUT`` subprocess (the
installed command, so the benchmark runs whatever the pipeline is), and each JSON record is
matched to its document by ``source.path``. Seconds per document: the time between one
document's summary line and the previous one in its shard (the first includes the
command's start-up).

Scoring (benchmarks/accuracy_score.py, the validation scorer's rules): exact cells, claims,
figures, injected claim errors found, false alarms, and **confident-wrong cells** — a truth
cell for which the record asserts a value (a non-null ``value``, or for a qualitative truth
a non-empty ``text``) that differs from the truth, while no finding of any kind names that
indicator; also a not-applicable truth cell that the record fills with a number and no
finding names. Tables: per family, per producer, and per variation (one line per value of
each layout draw recorded in the truth's ``layout``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.accuracy_score import score_doc  # noqa: E402

DEFAULT_VALIDATION = ROOT / ".." / "shared" / "validation" / "corpus"
SHOWN = ("cells", "claims", "figures", "errors")
# layout draws that are not one categorical choice (orders, lists of pages …)
SKIP_KEYS = {"order", "omitted", "fig_styles", "table_pages", "narrative_pages", "tilt"}


def ecopark_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "ecopark"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "ecopark.cli"]


def documents(folder: Path, families: list[str] | None) -> list[tuple[Path, dict[str, Any]]]:
    docs = []
    for tp in sorted(folder.glob("*.truth.json")):
        stem = tp.name[: -len(".truth.json")]
        truth = json.loads(tp.read_text(encoding="utf-8"))
        fam = str(truth.get("family", "?"))
        if families and fam.split("-")[0] not in families:
            continue
        src = next(
            (folder / f"{stem}{s}" for s in (".pdf", ".md") if (folder / f"{stem}{s}").exists()),
            None,
        )
        if src is not None:
            docs.append((src, truth))
    return docs


def run_shard(files: list[Path], out: Path, timeout: float) -> tuple[dict[str, float], str]:
    """``ecopark extract`` over ``files``; returns seconds per file name and stderr's tail."""
    t0 = time.perf_counter()
    last = t0
    secs: dict[str, float] = {}
    names = {f.name for f in files}
    proc = subprocess.Popen(
        [*ecopark_cmd(), "extract", *map(str, files), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        now = time.perf_counter()
        head = line.split(":", 1)[0].split()
        if len(head) == 2 and head[1] in names:
            secs[head[1]] = now - last
            last = now
        if now - t0 > timeout:
            proc.kill()
            break
    _, err = proc.communicate()
    return secs, (err or "")[-2000:]


def records(out: Path) -> dict[str, dict[str, Any]]:
    res: dict[str, dict[str, Any]] = {}
    for p in out.rglob("*.json"):
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        src = d.get("source") if isinstance(d, dict) else None
        path = src.get("path") if isinstance(src, dict) else None
        if isinstance(path, str):
            res[Path(path).name] = d
    return res


def extract_all(
    docs: list[tuple[Path, dict[str, Any]]], workers: int, timeout: float
) -> tuple[dict[str, dict[str, Any]], dict[str, float], float]:
    from concurrent.futures import ThreadPoolExecutor

    files = [d[0] for d in docs]
    shards = [files[k::workers] for k in range(workers) if files[k::workers]]
    recs: dict[str, dict[str, Any]] = {}
    secs: dict[str, float] = {}
    t0 = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="ecopark-bench-") as tmp,
        ThreadPoolExecutor(len(shards) or 1) as ex,
    ):
        outs = [Path(tmp) / f"shard{k}" for k in range(len(shards))]
        for (s, err), out in zip(
            ex.map(
                lambda a: run_shard(*a),
                [(sh, o, timeout) for sh, o in zip(shards, outs, strict=True)],
            ),
            outs,
            strict=True,
        ):
            secs.update(s)
            recs.update(records(out))
            if err.strip() and "Traceback" in err:
                print(
                    f"ecopark stderr ({out.name}): {err.strip().splitlines()[-1]}", file=sys.stderr
                )
    return recs, secs, time.perf_counter() - t0


def pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:5.1f}%" if b else "   n/a"


class Tally:
    def __init__(self) -> None:
        self.c: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.docs = 0
        self.present = 0
        self.secs: list[float] = []

    def add(self, r: dict[str, list[int]], present: bool, secs: float | None) -> None:
        self.docs += 1
        self.present += present
        for k, v in r.items():
            self.c[k][0] += v[0]
            self.c[k][1] += v[1]
        if secs is not None:
            self.secs.append(secs)

    def row(self, label: str) -> str:
        c = self.c
        s = sum(self.secs) / len(self.secs) if self.secs else float("nan")
        return (
            f"{label:34s} {self.present:>4d}/{self.docs:<4d}"
            + "".join(f" {pct(*c[k]):>7s} ({c[k][0]}/{c[k][1]})".ljust(22) for k in SHOWN)
            + f" {c['false_alarms'][0]:>5d} {c['confident_wrong'][0]:>6d}"
            + f" {c['na_filled'][0]:>5d} {s:6.2f}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "docs": self.docs,
            "records": self.present,
            **{k: list(v) for k, v in self.c.items()},
            "seconds_per_doc": sum(self.secs) / len(self.secs) if self.secs else None,
        }


HEAD = (
    f"{'':34s} {'docs':>9s}"
    + "".join(f" {k:>7s}".ljust(22) for k in SHOWN)
    + f" {'false':>5s} {'cwrong':>6s} {'na→n':>5s} {'s/doc':>6s}"
)


def variations(layout: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for k, v in layout.items():
        if k in SKIP_KEYS:
            continue
        if isinstance(v, dict):
            out += [
                (f"{k}.{k2}", json.dumps(v2, ensure_ascii=False))
                for k2, v2 in v.items()
                if k2 not in SKIP_KEYS and not isinstance(v2, (list, dict))
            ]
        elif isinstance(v, list):
            if all(isinstance(x, str) for x in v):
                out.append((k, "/".join(v)))
        else:
            out.append((k, json.dumps(v, ensure_ascii=False)))
    return out


def bench(
    name: str, docs: list[tuple[Path, dict[str, Any]]], workers: int, timeout: float, verbose: bool
) -> dict[str, Any]:
    recs, secs, wall = extract_all(docs, workers, timeout)
    fam: dict[str, Tally] = defaultdict(Tally)
    prod: dict[str, Tally] = defaultdict(Tally)
    var: dict[tuple[str, str], Tally] = defaultdict(Tally)
    total = Tally()
    per_doc: dict[str, Any] = {}
    for src, truth in docs:
        out = recs.get(src.name)
        r, miss = score_doc(truth, out)
        s = secs.get(src.name)
        layout = truth.get("layout", {}) or {}
        f = str(truth.get("family", "?"))
        f = "X" if f.startswith("X") else f
        p = str(layout.get("producer") or layout.get("renderer") or "?")
        for t in (fam[f], prod[p], total):
            t.add(r, out is not None, s)
        for kv in variations(layout):
            var[kv].add(r, out is not None, s)
        per_doc[src.name] = {"family": f, "producer": p, **r, "seconds": s, "misses": miss}
        if verbose and miss:
            print(f"{src.name} [{f} {p}]")
            for m in miss[:30]:
                print("    " + m)
    print(f"\n== {name}: {len(docs)} documents, {wall:.0f} s wall with {workers} workers")
    print(HEAD)
    for k in sorted(fam, key=lambda x: ("ABCDEFX".find(x) if x in "ABCDEFX" else 99, x)):
        print(fam[k].row(f"family {k}"))
    print(total.row("all"))
    print("\nper producer")
    print(HEAD)
    for k in sorted(prod):
        print(prod[k].row(k))
    print("\nper variation (layout draw = value)")
    print(HEAD)
    for k, v in sorted(var):
        print(var[(k, v)].row(f"{k}={v}"[:34]))
    c = total.c
    print(
        f"\n{name}: cells {pct(*c['cells']).strip()} ({c['cells'][0]}/{c['cells'][1]}), "
        f"claims {pct(*c['claims']).strip()}, "
        f"figures {pct(*c['figures']).strip()}, errors found {c['errors'][0]}/{c['errors'][1]}, "
        f"false alarms {c['false_alarms'][0]}, confident-wrong {c['confident_wrong'][0]}, "
        f"n/a filled {c['na_filled'][0]}, {wall / max(1, len(docs)):.2f} s/doc wall"
    )
    return {
        "documents": len(docs),
        "wall_seconds": wall,
        "total": total.as_dict(),
        "families": {k: v.as_dict() for k, v in fam.items()},
        "producers": {k: v.as_dict() for k, v in prod.items()},
        "variations": {f"{k}={v}": t.as_dict() for (k, v), t in var.items()},
        "docs": per_doc,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--validation", type=Path, default=DEFAULT_VALIDATION, help="the validation corpus folder"
    )
    ap.add_argument("--no-validation", action="store_true")
    ap.add_argument("--families", nargs="+", help="only these families (validation: A B C D E F X)")
    ap.add_argument("--corpus", type=Path, help="a generated corpus folder (else generate one)")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument(
        "--count", type=int, help="documents to generate (default 300, 60 with --scans)"
    )
    ap.add_argument("--scans", action="store_true", help="generate scans (family E)")
    ap.add_argument(
        "--keep",
        type=Path,
        help="generate into this folder (kept; reused when it holds the corpus)",
    )
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per shard")
    ap.add_argument("--verbose", action="store_true", help="list every miss")
    ap.add_argument("--json", type=Path, help="write the numbers here")
    a = ap.parse_args(argv)
    result: dict[str, Any] = {}
    if not a.no_validation:
        vdir = a.validation.resolve()
        if not vdir.is_dir():
            print(f"validation corpus not found: {vdir}", file=sys.stderr)
            return 2
        result["validation"] = bench(
            f"validation ({vdir})", documents(vdir, a.families), a.workers, a.timeout, a.verbose
        )
    if not a.no_corpus:
        with tempfile.TemporaryDirectory(prefix="ecopark-rc-") as tmp:
            folder = a.corpus or a.keep or Path(tmp)
            count = a.count or (60 if a.scans else 300)
            if a.corpus is None and len(list(folder.glob("*.truth.json"))) < count:
                from samples.generate.random_corpus import generate

                t0 = time.perf_counter()
                errors = generate(
                    a.seed, count, folder, scans=a.scans, workers=a.workers, quiet=True
                )
                kind = ", scans" if a.scans else ""
                secs = time.perf_counter() - t0
                print(f"generated {count} documents (seed {a.seed}{kind}) in {secs:.0f} s")
                print(f"{len(errors)} failed to generate")
                for e in errors:
                    print("  " + e, file=sys.stderr)
            label = (
                f"random corpus ({folder}, seed {a.seed})"
                if a.corpus is None
                else f"random corpus ({folder})"
            )
            result["random"] = bench(
                label, documents(folder, a.families), a.workers, a.timeout, a.verbose
            )
    if a.json:
        a.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
