#!/usr/bin/env python3
"""truth.py TRUTH_TXT OUT_YAML [key=value ...]: the guest's KEY=VALUE truth lines (and the run's own
parameters) as truth.yaml. Numbers stay numbers; module.* keys are grouped under module_params."""
import sys


def val(v):
    try:
        return str(int(v))
    except ValueError:
        pass
    try:
        float(v)
        return v
    except ValueError:
        return '"' + v.replace('\\', '\\\\').replace('"', '\\"') + '"'


def main(src, out, extra):
    kv, mod = {}, {}
    for l in open(src):
        if "=" not in l:
            continue
        k, v = l.rstrip("\n").split("=", 1)
        (mod if k.startswith("module.") else kv)[k.split(".", 1)[-1] if k.startswith("module.") else k] = v
    for k in list(kv):  # a multi-problem scenario's TAG.a0/TAG.a1 sample addresses, stored complemented too
        if k.endswith((".a0", ".a1")) and kv[k] not in ("0", ""):
            kv[k] = f"0x{~int(kv[k]) & (2**64 - 1):x}"
    for e in extra:
        k, v = e.split("=", 1)
        kv[k] = v
    page = int(kv.get("page_size", 4096))
    inj = int(kv.get("injected_bytes", 0) or 0)
    kv["injected_pages"] = str(inj // page)
    with open(out, "w") as f:
        f.write("# Ground truth of one lab run (lab/run.sh). leakdx never reads this file.\n")
        for k in sorted(kv):
            f.write(f"{k}: {val(kv[k])}\n")
        if mod:
            f.write("module_params:\n")
            for k in sorted(mod):
                v = mod[k]
                if k in ("a0", "a1") and v not in ("0", ""):  # stored complemented: see modules/lab_common.h
                    v = f"0x{~int(v) & (2**64 - 1):x}"
                f.write(f"  {k}: {val(v)}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
