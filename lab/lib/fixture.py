#!/usr/bin/env python3
"""fixture.py CASEDIR DEST [--tolerance T]: copy a lab case folder into the test cases as DEST
(cases/lab-...), with an expected.yaml written from CASEDIR.truth.yaml: the
expectation is the truth, never what leakdx says. Healthy lookalikes expect no warning or
critical verdict. Review the file, then run `./leakdx rules test DEST`; a case leakdx gets
wrong keeps its expectation and gains `known_miss: "<reason>"`."""
import os, shutil, sys

LEAK_CODES = ["SLAB_LEAK", "VMALLOC_LEAK", "UNACCOUNTED_KERNEL_MEMORY", "PAGE_FRAG_CACHE_LEAK",
              "NIC_RX_RING_PAGES", "THP_REFCOUNT_LEAK", "SHMEM_TMPFS_GROWTH", "HUGETLB_RESERVED_IDLE",
              "KERNEL_STACK_OR_PAGETABLES", "KERNEL_MEMORY_GROWING"]


def truth(path):
    t, mod = {}, {}
    cur = t
    for l in open(path):
        if l.startswith("#") or ":" not in l:
            continue
        if l.startswith("module_params:"):
            cur = mod
            continue
        k, v = l.split(":", 1)
        (mod if l.startswith(" ") else t)[k.strip()] = v.strip().strip('"')
    return t, mod


def main(case, dest, tol=0.25):
    case = case.rstrip("/")
    t, mod = truth(case + ".truth.yaml")
    if os.path.exists(dest):
        shutil.rmtree(dest)
    shutil.copytree(case, dest)
    fam, inj = t.get("family", "none"), int(t.get("injected_bytes", "0"))
    # size 0 is the control, except for the OOM scenarios, which take no size (they run memory out)
    healthy = t.get("healthy") == "1" or fam == "none" or (t.get("size_pct") in ("0", "0.0") and not fam.endswith("_OOM"))
    params = " ".join(f"{k}={v}" for k, v in sorted(mod.items()) if k not in ("a0", "a1"))
    kernel = t.get("kernel_release", "")
    desc = (f"Real lab capture (lab/run.sh {t['scenario']} --size {t['size_pct']} --kernel {t['kernel']} "
            f"--ram {t['ram']}): Debian {kernel} x86_64 under QEMU TCG, {t['ram']} RAM "
            f"(MemTotal {int(t['memtotal_kb']):,} kB), -smp {t['smp']}. ")
    desc += (f"Healthy lookalike ({fam}): " if t.get("healthy") == "1" else f"Control, nothing injected (the {t['scenario']} injector loaded with size 0): " if healthy else f"Injected: {fam}, ")
    desc += f"{inj:,} bytes ({int(t.get('injected_pages', 0)):,} pages of {t.get('page_size', '?')} bytes)"
    if t.get("module"):
        desc += f" by module {t['module']} ({params})"
    for k in ("cache", "hugepages", "threads", "pte_pages", "lookups", "memcg_limit_bytes", "victim", "note", "live_thp_bytes"):
        if k in t:
            desc += f"; {k} {t[k]}"
    desc += ". proc-before/ is the same guest just before the injection; "
    desc += ("crash/ is crash 8.0.6 on a vmcore of the guest after it (QMP dump-guest-memory, kdump-zlib)."
             if os.path.isdir(os.path.join(case, "crash")) else "no vmcore was taken (--no-vmcore): /proc only.")
    y = ["description: >"]
    words, line = desc.split(), "  "
    for w in words:
        if len(line) + len(w) > 100:
            y.append(line.rstrip())
            line = "  "
        line += w + " "
    y.append(line.rstrip())
    y.append(f'sources: ["lab/guest/scenarios/{t["scenario"]}.sh", "lab/modules/ and lab/user/ (the injected code)"]')
    name = os.path.basename(dest.rstrip("/"))
    y.append(f'built: "nothing: the folder lab/run.sh wrote, copied unchanged; its ground truth is lab/results/truth/{name}.truth.yaml"')
    tdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "results", "truth")
    os.makedirs(tdir, exist_ok=True)
    shutil.copy(case + ".truth.yaml", os.path.join(tdir, name + ".truth.yaml"))
    y.append("expect:")
    if healthy:
        y.append("  exit_code: 0")
        y.append("  max_severity: info")
        y.append("  absent: [" + ", ".join(LEAK_CODES) + "]")
    else:
        y.append("  exit_code: 1")
        y.append(f"  top: {fam}")
        if inj > 0:
            y.append("  verdicts:")
            y.append(f"    - code: {fam}")
            y.append(f"      bytes: {inj}")
            y.append(f"      tolerance: {tol}")
    y.append('  host: {page_size: "4096", arch: x86_64}' if os.path.isdir(os.path.join(dest, "crash")) else '  host: {page_size: "4096"}')
    open(os.path.join(dest, "expected.yaml"), "w").write("\n".join(y) + "\n")
    print(f"{dest}: expected {fam} {inj} healthy={healthy}")


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], a[1], float(a[3]) if len(a) > 3 and a[2] == "--tolerance" else 0.25)
