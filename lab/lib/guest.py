#!/usr/bin/env python3
"""Boot one lab guest under QEMU and serve its vmcore requests.

usage: guest.py VMLINUZ INITRD RAWDIR SCENARIO PCT RAM SMP VMCORE(0|1) TIMEOUT_S

The guest's /init prints @@DUMP_REQUEST@@ TAG when it wants a vmcore; we answer with QMP
dump-guest-memory (kdump-zlib, which QEMU writes in the flattened format) and touch
RAWDIR/.dumped_TAG. Console output goes to RAWDIR/console.log, timings to RAWDIR/timings.json.
"""
import json, os, socket, subprocess, sys, time


class Qmp:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.f = self.s.makefile("rwb")
        self.f.readline()
        self.call("qmp_capabilities")

    def call(self, name, **args):
        self.f.write(json.dumps({"execute": name, "arguments": args}).encode() + b"\n")
        self.f.flush()
        while True:
            r = json.loads(self.f.readline())
            if "return" in r or "error" in r:
                return r


def main(vmlinuz, initrd, raw, scenario, pct, ram, smp, vmcore, timeout):
    sock = os.path.join(raw, "qmp.sock")
    if os.path.exists(sock):
        os.unlink(sock)
    # the scenario travels by fw_cfg, not the command line the kernel log prints
    append = "console=ttyS0,115200 panic=-1 log_buf_len=4M"
    lab_args = f"scenario={scenario} pct={pct} vmcore={vmcore}"
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "qemu64", "-m", ram, "-smp", smp,
           "-nographic", "-no-reboot", "-nic", "none", "-kernel", vmlinuz, "-initrd", initrd,
           "-append", append, "-fw_cfg", f"name=opt/lab/args,string={lab_args}",
           "-virtfs", f"local,path={raw},mount_tag=out,security_model=none,id=out",
           "-device", "vmcoreinfo", "-device", "virtio-rng-pci",
           *(["-virtfs", f"local,path={raw}/data,mount_tag=data,security_model=none,id=data"]
             if os.path.isdir(os.path.join(raw, "data")) else []),
           "-qmp", f"unix:{sock},server=on,wait=off"]
    t = {"cmd": cmd, "dumps": {}}
    con_path = os.path.join(raw, "console.log")
    t0 = time.time()
    with open(con_path, "wb") as con:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=con, stderr=subprocess.STDOUT)
    print(f"[lab] qemu pid {p.pid}", flush=True)
    qmp, pos, buf, done = None, 0, "", False
    while not done:
        done = p.poll() is not None
        if time.time() - t0 > timeout:
            p.kill()
            t["error"] = "timeout"
            break
        with open(con_path, "rb") as f:
            f.seek(pos)
            data = f.read()
        pos += len(data)
        buf += data.decode("utf-8", "replace")
        while "\n" in buf:
            line, buf = buf.split("\n", 1)
            line = line.strip("\r")
            if line.startswith("@@GUEST_UP@@"):
                t["guest_up_s"] = round(time.time() - t0, 1)
            elif line.startswith("@@DUMP_REQUEST@@"):
                tag = line.split()[1]
                qmp = qmp or Qmp(sock)
                path = os.path.join(raw, f"vmcore-{tag}.flat")
                td = time.time()
                r = qmp.call("dump-guest-memory", paging=False, protocol=f"file:{path}", format="kdump-zlib")
                t["dumps"][tag] = {"seconds": round(time.time() - td, 1), "result": r,
                                   "bytes": os.path.getsize(path) if os.path.exists(path) else None}
                print(f"[lab] vmcore {tag}: {t['dumps'][tag]}", flush=True)
                open(os.path.join(raw, f".dumped_{tag}"), "w").close()
            elif line.startswith("@@GUEST_DONE@@"):
                t["guest_done_s"] = round(time.time() - t0, 1)
            elif line.startswith("[guest"):
                print(line, flush=True)
        time.sleep(0.3)
    p.wait()
    t["qemu_exit_s"] = round(time.time() - t0, 1)
    t["qemu_rc"] = p.returncode
    json.dump(t, open(os.path.join(raw, "timings.json"), "w"), indent=1)
    if os.path.exists(sock):
        os.unlink(sock)
    return 0 if "guest_done_s" in t else 1


if __name__ == "__main__":
    a = sys.argv[1:]
    sys.exit(main(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], int(a[8])))
