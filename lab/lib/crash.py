#!/usr/bin/env python3
"""Run crash 8.0.6 on a lab vmcore and write a transcript leakdx reads.

usage: crash.py CRASH VMLINUX VMCORE TRUTH_TXT SCENARIO CASEDIR

Writes CASEDIR/crash/session.txt (each command after a 'crash> ' prompt, like a terminal
transcript) and, for scenarios that hold pages (page_frag, NIC ring, page_pool, raw pages, THP,
baseline), the full page tables kmem -p / kmem -m as xz files (prompt line first).
Two passes: the second reads addresses found by the first (search hits, physical addresses).
"""
import lzma, os, re, subprocess, sys, tempfile, time

PAGE_LEVEL = {"pfrag", "nic-ring", "page-pool", "alloc-pages", "thp", "baseline", "five"}
BASE = ["sys", "kmem -i", "kmem -s", "log", "kmem -V", "kmem -z", "kmem -h", "kmem -v",
        "mod", "ps", "ps -u"]
TABLES = [("kmem-p", "kmem -p"), ("kmem-m", "kmem -m lru.next,flags,mapping,_mapcount,_refcount")]


def run(crash, vmlinux, vmcore, cmds, work):
    """run commands in one crash session, each redirected to its own file; return outputs"""
    lines = ["set scroll off"]
    for i, c in enumerate(cmds):
        lines.append(f"{c} > {work}/out{i}.txt")
    lines.append("exit")
    script = os.path.join(work, "cmds")
    open(script, "w").write("\n".join(lines) + "\n")
    with open(script) as inp, open(os.path.join(work, "stderr.txt"), "a") as err:
        # run beside the vmcore and name it alone: `sys` prints DUMPFILE, and the run's folder names the scenario
        subprocess.call([os.path.abspath(crash), "-s", os.path.abspath(vmlinux), os.path.basename(vmcore)], stdin=inp,
                        stdout=err, stderr=subprocess.STDOUT, cwd=os.path.dirname(os.path.abspath(vmcore)))
    outs = []
    for i, _ in enumerate(cmds):
        f = os.path.join(work, f"out{i}.txt")
        outs.append(open(f, errors="replace").read() if os.path.exists(f) else "")
    return outs


def truth(path):
    t = {}
    for l in open(path):
        if "=" in l:
            k, v = l.rstrip("\n").split("=", 1)
            t[k] = v
    return t


def hx(v):
    try:
        n = int(v)  # the modules store the complement of the address (see modules/lab_common.h)
        return f"{~n & (2**64 - 1):x}" if n else None
    except ValueError:
        return None


def main(crash, vmlinux, vmcore, truth_txt, scen, case):
    os.makedirs(os.path.join(case, "crash"), exist_ok=True)
    t = truth(truth_txt)
    a0, a1 = hx(t.get("module.a0", "0")), hx(t.get("module.a1", "0"))
    probes, fa1, ta0 = [], None, None
    if scen == "pfrag" and a1:
        probes = [f"kmem {a1}", f"search -k {a1}"]
    elif scen == "nic-ring" and a0:
        probes = [f"kmem {a0}", f"search -k {a0}", f"struct page {a0}"]
    elif scen in ("page-pool", "alloc-pages", "thp") and a0:
        probes = [f"kmem {a0}", f"struct page {a0}", f"search -k {a0}"]
    elif scen in ("slab-kmalloc", "slab-cache", "vmalloc") and a0:
        probes = [f"kmem {a0}"]
    elif scen == "five":  # several modules: their samples are TAG.a0 / TAG.a1
        fa1, ta0 = hx(t.get("pfrag.a1", "0")), hx(t.get("thp.a0", "0"))
        if fa1:
            probes += [f"kmem {fa1}", f"search -k {fa1}"]
        if ta0:
            probes += [f"kmem {ta0}", f"struct page {ta0}", f"search -k {ta0}"]
    tables = TABLES if scen in PAGE_LEVEL else []
    cmds = BASE + probes + [c for _, c in tables]
    t0 = time.time()
    with tempfile.TemporaryDirectory() as work:
        outs = run(crash, vmlinux, vmcore, cmds, work)
        # second pass: what the first one pointed at
        more = []
        for c, o in zip(cmds, outs):
            if c.startswith("search -k"):
                hits = re.findall(r"^([0-9a-f]{16}): ", o, re.M)[:3]
                for h in hits:
                    if scen == "pfrag" or (scen == "five" and fa1 and fa1 in c):
                        more += [f"struct page_frag_cache {h}", f"kmem {h}"]
                    else:
                        more += [f"rd -64 {int(h, 16) - 32:x} 12", f"kmem {h}"]
            if scen == "nic-ring" and c.startswith("kmem ") and a0 and a0 in c:
                m = re.search(r"^\s*[0-9a-f]+\s+([0-9a-f]+)\s", o.split("\n", 1)[1] if "\n" in o else "", re.M)
                if m:
                    more += [f"ptov {m.group(1)}"]
        outs2 = run(crash, vmlinux, vmcore, more, work) if more else []
        # third step for the NIC ring: search the direct-map address of the page
        more3 = []
        for c, o in zip(more, outs2):
            if c.startswith("ptov"):
                m = re.search(r"^([0-9a-f]{16})\s+[0-9a-f]+\s*$", o, re.M)
                if m:
                    more3.append(f"search -k {m.group(1)}")
        outs3 = run(crash, vmlinux, vmcore, more3, work) if more3 else []
    seconds = round(time.time() - t0, 1)
    with open(os.path.join(case, "crash", "session.txt"), "w") as s:
        for c, o in list(zip(cmds, outs))[: len(BASE) + len(probes)] + list(zip(more, outs2)) + list(zip(more3, outs3)):
            s.write(f"crash> {c}\n{o}")
            if o and not o.endswith("\n"):
                s.write("\n")
            s.write("\n")
    for (name, c), o in zip(tables, outs[len(BASE) + len(probes):]):
        with lzma.open(os.path.join(case, "crash", f"{name}.txt.xz"), "wt", preset=6) as x:
            x.write(f"crash> {c}\n{o}")
    print(f"[lab] crash: {len(cmds) + len(more) + len(more3)} commands in {seconds}s", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:7])
