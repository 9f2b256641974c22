#!/usr/bin/env python3
"""tabulate.py LEAKDX CASEDIR... : diagnose each lab case folder (its truth in CASEDIR.truth.yaml, or
lab/results/truth/NAME.truth.yaml for a fixture) with and without its proc-before/ baseline, print one
TSV row per case. Columns (header first; casecheck/Accuracy.java reads them by name):

  scenario kernel ram size_pct truth_family truth_bytes   the run (truth.yaml)
  expected       the top verdict a right diagnosis gives: a fixture's expected.yaml `top:`, else the
                 truth's family; (none) for a healthy lookalike or a 0% control
  healthy        yes for a healthy lookalike or a control (right = no warning or critical verdict)
  memtotal_kb    the guest's MemTotal (size_pct is a share of it)
  leakdx_top leakdx_bytes severity                         leakdx diagnose CASEDIR (with proc-before/)
  top_without_baseline bytes_without_baseline severity_without_baseline   the same without proc-before/
  match          the run with its baseline is right (see expected/healthy)
  case           the folder's name (SWEEP/PCT for a sweep's size folder)"""
import json, os, re, shutil, subprocess, sys, tempfile

COLS = ["scenario", "kernel", "ram", "size_pct", "truth_family", "truth_bytes", "expected", "healthy", "memtotal_kb",
        "leakdx_top", "leakdx_bytes", "severity", "top_without_baseline", "bytes_without_baseline",
        "severity_without_baseline", "match", "case"]
HERE = os.path.dirname(os.path.abspath(__file__))


def truth(path):
    t = {}
    for l in open(path):
        if ":" in l and not l.startswith(("#", " ")):
            k, v = l.split(":", 1)
            t[k.strip()] = v.strip().strip('"')
    return t


def truth_of(d):
    """a run folder's truth.yaml beside it, or a fixture's in lab/results/truth/"""
    tp = d + ".truth.yaml"
    if not os.path.exists(tp):
        tp = os.path.join(HERE, "..", "results", "truth", os.path.basename(d) + ".truth.yaml")
    return truth(tp)


def expected(d, t):
    """(expected top, healthy) for a folder: its expected.yaml when it is a fixture, else the truth"""
    e = os.path.join(d, "expected.yaml")
    if os.path.exists(e):
        body = open(e).read().split("\nexpect:", 1)[-1]
        top = re.search(r"^  top: *(\S+)", body, re.M)
        healthy = top is None or re.search(r"^  max_severity: *info", body, re.M) is not None
        return ("(none)" if healthy else top.group(1)), healthy
    fam = t.get("family", "")
    healthy = t.get("healthy") == "1" or fam in ("none", "") or \
        (t.get("size_pct") in ("0", "0.0") and not fam.endswith("_OOM"))  # the OOM scenarios take no size
    return ("(none)" if healthy else fam), healthy


def row(d, t, top, nob):
    exp, healthy = expected(d, t)
    match = (top[2] not in ("warning", "critical")) if healthy else (top[0] == exp)
    return "\t".join([t.get("scenario", ""), str(t.get("kernel", "")), t.get("ram", ""), t.get("size_pct", ""),
                      t.get("family", ""), t.get("injected_bytes", ""), exp, "yes" if healthy else "no",
                      t.get("memtotal_kb", ""), *top, *nob, "yes" if match else "no", name(d)])


def name(d):
    """a folder's name; a sweep's size folders (…/vmalloc-6.1-2G/10) keep their sweep's name"""
    b = os.path.basename(d)
    return os.path.basename(os.path.dirname(d)) + "/" + b if re.fullmatch(r"[0-9.]+", b) else b


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
        t = truth_of(d)
        top = diagnose(leakdx, d)
        with tempfile.TemporaryDirectory() as tmp:
            c = os.path.join(tmp, os.path.basename(d))
            shutil.copytree(d, c, ignore=shutil.ignore_patterns("proc-before"))
            nob = diagnose(leakdx, c)
        print(row(d, t, top, nob), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
