#!/usr/bin/env python3
"""results_md.py TSV: a lab results TSV (tabulate.py) as a Markdown table for lab.md."""
import csv, sys


def mib(b):
    try:
        return f"{int(b) / 1048576:,.1f}"
    except ValueError:
        return b


rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("| case | kernel | RAM | size % | truth | truth MiB | right answer | leakdx top (severity, MiB) | without proc-before | match |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['case']} | {r['kernel']} | {r['ram']} | {r['size_pct']} | {r['truth_family']} | "
          f"{mib(r['truth_bytes'])} | {r['expected']} | {r['leakdx_top']} ({r['severity']}, {mib(r['leakdx_bytes'])}) | "
          f"{r['top_without_baseline']} ({r['severity_without_baseline']}, {mib(r['bytes_without_baseline'])}) | {r['match']} |")
