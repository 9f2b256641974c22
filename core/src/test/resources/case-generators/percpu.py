#!/usr/bin/env python3
"""Builds cases/percpu-chunks-built from the real lab-baseline /proc files (once the authoring guide's example).

    python3 percpu.py ../cases/percpu-chunks-built

A driver (the made-up module leakdemo) calls alloc_percpu() for every flow it tracks and never
free_percpu()s: the per-CPU allocator keeps creating chunks. Everything added is modelled on the
lab guest itself (Debian 6.1.0-56-amd64, 2 CPUs, 4 KiB pages), whose dmesg says
"pcpu-alloc: s217088 r8192 d28672 u1048576 alloc=1*2097152" and whose vmallocinfo holds one
dynamic chunk (line 94) and its metadata (lines 19, 67, 68, 69):

  - a chunk is one pcpu_get_vm_areas area of 2 MiB (a 1 MiB unit for each of the 2 CPUs; VM_ALLOC
    but no pages=, its pages are mapped by the percpu allocator, mm/percpu-vm.c);
  - pcpu_alloc_chunk() vmallocs its metadata: md_blocks 2 pages, alloc_map 8, bound_map 9 and, with
    memcg kmem accounting, obj_cgroups 512 (one pointer per 4-byte slot of the 1 MiB unit).

CHUNKS new chunks are added, every page populated: meminfo Percpu (populated pages x units,
mm/percpu.c pcpu_nr_pages()) grows by CHUNKS x 256 pages x 2 units, VmallocUsed by the metadata
pages (CHUNKS x 531), and MemFree and MemAvailable shrink by both. The lab's lines are kept line
for line. Writes only the capture files, never expected.yaml.
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
lab = os.environ.get("LAB", os.path.join(here, "..", "cases", "lab-baseline-proc", "proc"))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "cases", "percpu-chunks-built")
CHUNKS, CPUS, UNIT_PAGES, PAGE = 128, 2, 256, 4096
# (caller as the lab prints it, pages) of pcpu_alloc_chunk()'s vmalloc'd metadata, lab lines 19, 67-69
META = [("pcpu_create_chunk+0x92/0x1b0", 2), ("pcpu_create_chunk+0x4e/0x1b0", 8),
        ("pcpu_create_chunk+0x75/0x1b0", 9), ("pcpu_create_chunk+0x167/0x1b0", 512)]
percpu_kb = CHUNKS * UNIT_PAGES * CPUS * PAGE // 1024
meta_kb = CHUNKS * sum(p for _, p in META) * PAGE // 1024

meminfo = []
for line in open(os.path.join(lab, "meminfo")):
    key, rest = line.split(":", 1)
    kb = int(rest.split()[0]) if rest.split() else 0
    if key in ("MemFree", "MemAvailable"):
        line = "%s%*d kB\n" % (key + ":", 23 - len(key), kb - percpu_kb - meta_kb)
    elif key == "VmallocUsed":
        line = "%s%*d kB\n" % (key + ":", 23 - len(key), kb + meta_kb)
    elif key == "Percpu":
        line = "%s%*d kB\n" % (key + ":", 23 - len(key), kb + percpu_kb)
    meminfo.append(line)

areas = open(os.path.join(lab, "vmallocinfo")).read().splitlines(keepends=True)
assert "pcpu_get_vm_areas" in areas[93], "lab vmallocinfo line 94 is the first dynamic chunk"


def hashed(i):
    # /proc/vmallocinfo hashes addresses with %pK: made-up hashed values
    return (0x3a5c9e11 * 2654435761 + i * 40503) & 0xFFFFFFFF


# the chunks after the lab's one (pcpu_get_vm_areas allocates them from the top, one run)
chunks = ["0x%016x-0x%016x %7d pcpu_get_vm_areas+0x0/0x1080 vmalloc\n"
          % (hashed(2 * i), hashed(2 * i + 1), UNIT_PAGES * CPUS * PAGE) for i in range(CHUNKS)]
# their metadata after the lab's (sizes include the guard page, as the lab's do)
meta = ["0x%016x-0x%016x %7d %s pages=%d vmalloc N0=%d\n"
        % (hashed(10000 + 8 * i + j), hashed(10001 + 8 * i + j), (p + 1) * PAGE, caller, p, p)
        for i in range(CHUNKS) for j, (caller, p) in enumerate(META)]
areas = areas[:69] + meta + areas[69:94] + chunks + areas[94:]

os.makedirs(os.path.join(out, "proc"), exist_ok=True)
open(os.path.join(out, "proc", "meminfo"), "w").writelines(meminfo)
open(os.path.join(out, "proc", "vmallocinfo"), "w").writelines(areas)
print("wrote", out, ":", CHUNKS, "chunks, Percpu +%d kB, VmallocUsed +%d kB" % (percpu_kb, meta_kb))
