#!/usr/bin/env python3
"""Builds cases/vmalloc-caller-built from the real lab-baseline /proc files (authoring guide's example).

    python3 make-case.py cases/vmalloc-caller-built

A driver (the made-up module leakdemo) vmallocs an 8 MiB ring per open and never vfrees it:
40 areas of 2,048 pages. The lab's meminfo and vmallocinfo are kept line for line; the 40
areas are added to vmallocinfo and their 327,680 kB moved from MemFree (and MemAvailable) to
VmallocUsed, which counts vmalloc'd pages since 5.0 (Roman Gushchin, "mm: show number of
vmalloc pages in /proc/meminfo"). Writes only the capture files, never expected.yaml.
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
lab = os.environ.get("LAB", os.path.join(here, "..", "cases", "lab-baseline-proc", "proc"))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "cases", "vmalloc-caller-built")
AREAS, PAGES, PAGE_KB = 40, 2048, 4
leak_kb = AREAS * PAGES * PAGE_KB

meminfo = []
for line in open(os.path.join(lab, "meminfo")):
    key, rest = line.split(":", 1)
    kb = rest.split()[0] if rest.split() else ""
    if key in ("MemFree", "MemAvailable"):
        line = "%s%*d kB\n" % (key + ":", 23 - len(key), int(kb) - leak_kb)
    elif key == "VmallocUsed":
        line = "%s%*d kB\n" % (key + ":", 23 - len(key), int(kb) + leak_kb)
    meminfo.append(line)
assert all(len(a.split(":", 1)[0]) + 1 + len(a.split(":", 1)[1].rstrip("\n")) == len(a.rstrip("\n")) for a in meminfo)

areas = open(os.path.join(lab, "vmallocinfo")).read().splitlines(keepends=True)
# /proc/vmallocinfo hashes addresses with %pK: made-up hashed values, the size includes the guard page
start = 0x000000003a5c9e11
for i in range(AREAS):
    end = (start * 2654435761 + i) & 0xFFFFFFFF
    areas.insert(60 + i, "0x%016x-0x%016x %8d leakdemo_alloc_ring+0x2a/0x60 [leakdemo] pages=%d vmalloc N0=%d\n"
                 % (start, end, PAGES * PAGE_KB * 1024 + 4096, PAGES, PAGES))
    start = end

os.makedirs(os.path.join(out, "proc"), exist_ok=True)
open(os.path.join(out, "proc", "meminfo"), "w").writelines(meminfo)
open(os.path.join(out, "proc", "vmallocinfo"), "w").writelines(areas)
print("wrote", out, "with", AREAS, "areas =", leak_kb, "kB")
