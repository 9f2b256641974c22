#!/usr/bin/env python3
"""tabulate_batch.py LEAKDX CASEDIR... : the same TSV as tabulate.py, with two `leakdx diagnose
--batch` runs (one JVM each: with the baseline, and with proc-before/ left out) instead of two
runs per case. Truth: CASEDIR.truth.yaml, or lab/results/truth/NAME.truth.yaml for a fixture."""
import json, os, shutil, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tabulate import COLS, row, truth_of  # noqa: E402


def batch(leakdx, folder):
    out = {}
    p = subprocess.run([leakdx, "diagnose", "--batch", "--format", "json", folder], capture_output=True, text=True)
    for line in p.stdout.splitlines():
        try:
            r = json.loads(line)
        except json.JSONDecodeError:
            continue
        name = os.path.basename(str(r.get("capture", {}).get("path", r.get("capture", ""))).rstrip("/")) \
            if isinstance(r.get("capture"), dict) else os.path.basename(str(r.get("capture", "")).rstrip("/"))
        v = r.get("verdicts") or []
        out[name] = (v[0]["code"], str(v[0].get("bytes", "")), v[0].get("severity", "")) if v else ("(none)", "0", "info")
    return out


def main(leakdx, dirs):
    with tempfile.TemporaryDirectory() as tmp:
        a, b = os.path.join(tmp, "with"), os.path.join(tmp, "without")
        for d in dirs:
            n = os.path.basename(d.rstrip("/"))
            shutil.copytree(d, os.path.join(a, n), ignore=shutil.ignore_patterns("expected.yaml"))
            shutil.copytree(d, os.path.join(b, n), ignore=shutil.ignore_patterns("expected.yaml", "proc-before"))
        ra, rb = batch(leakdx, a), batch(leakdx, b)
    print("\t".join(COLS))
    for d in dirs:
        d = d.rstrip("/")
        n = os.path.basename(d)
        print(row(d, truth_of(d), ra.get(n, ("(error)", "", "")), rb.get(n, ("(error)", "", ""))), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
