#!/usr/bin/env python3
"""tabulate.py LEAKDX CASEDIR... : diagnose each lab case folder (its truth in CASEDIR.truth.yaml)
with and without its proc-before/ baseline, print one TSV row per case:
scenario kernel ram size_pct truth_family truth_bytes leakdx_top leakdx_bytes severity
top_without_baseline bytes_without_baseline severity_without_baseline match"""
import json, os, shutil, subprocess, sys, tempfile

COLS = ["scenario", "kernel", "ram", "size_pct", "truth_family", "truth_bytes", "leakdx_top", "leakdx_bytes",
        "severity", "top_without_baseline", "bytes_without_baseline", "severity_without_baseline", "match", "case"]


def truth(path):
    t = {}
    for l in open(path):
        if ":" in l and not l.startswith(("#", " ")):
            k, v = l.split(":", 1)
            t[k.strip()] = v.strip().strip('"')
    return t


def diagnose(leakdx, d):
    p = subprocess.run([leakdx, "diagnose", d, "--format", "json"], capture_output=True, text=True)
    try:
        v = json.loads(p.stdout).get("verdicts") or []
    except json.JSONDecodeError:
        return ("(error)", "", "")
    if not v:
        return ("(none)", "0", "info")
    return (v[0]["code"], str(v[0].get("bytes", "")), v[0].get("severity", ""))


def main(leakdx, dirs):
    print("\t".join(COLS))
    for d in dirs:
        d = d.rstrip("/")
        tp = d + ".truth.yaml"
        if not os.path.exists(tp):  # a fixture: its truth is kept in lab/results/truth/
            tp = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "results", "truth",
                              os.path.basename(d) + ".truth.yaml")
        t = truth(tp)
        top = diagnose(leakdx, d)
        with tempfile.TemporaryDirectory() as tmp:
            c = os.path.join(tmp, os.path.basename(d))
            shutil.copytree(d, c, ignore=shutil.ignore_patterns("proc-before"))
            nob = diagnose(leakdx, c)
        fam = t.get("family", "")
        healthy = t.get("healthy") == "1" or fam == "none"
        # a healthy lookalike matches when leakdx raises no warning or critical verdict
        match = (top[2] not in ("warning", "critical")) if healthy or t.get("size_pct") in ("0", "0.0") else (top[0] == fam)
        print("\t".join([t.get("scenario", ""), str(t.get("kernel", "")), t.get("ram", ""), t.get("size_pct", ""), fam,
                         t.get("injected_bytes", ""), *top, *nob, "yes" if match else "no", os.path.basename(d)]), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
