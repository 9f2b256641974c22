"""Built case folders for the vmalloc, shmem and stack-pagetables families (issue 6 part 1).
    python3 kb6.py vmalloc ../cases/vmalloc-leak-4.19-built
    python3 kb6.py ioremap ../cases/vmalloc-ioremap-bars-lookalike-built
    python3 kb6.py shmem   ../cases/shmem-tmpfs-files-built
    python3 kb6.py pgshm   ../cases/shmem-postgres-buffers-lookalike-built
    python3 kb6.py kstack  ../cases/kstack-thread-leak-built
    python3 kb6.py threads ../cases/kstack-many-threads-normal-lookalike-built
meminfo is printed by common.py (Linux 6.1 order and layout, or the 4.19 order below); every figure
keeps the identities the kernel keeps (disjoint counters + gap = MemTotal, anon LRU = AnonPages +
Shmem, file LRU = Cached - Shmem + Buffers, MemAvailable from si_mem_available())."""
import os, sys, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *

# fs/proc/meminfo.c at v4.19 (x86_64, no CMA, no highmem): no KReclaimable (4.20), no Zswap,
# no SecPageTables, no FileHugePages/FilePmdMapped (5.4); VmallocUsed and VmallocChunk print 0ul
ORDER_419 = ("MemTotal MemFree MemAvailable Buffers Cached SwapCached Active Inactive Active(anon) Inactive(anon) "
             "Active(file) Inactive(file) Unevictable Mlocked SwapTotal SwapFree Dirty Writeback AnonPages Mapped Shmem "
             "Slab SReclaimable SUnreclaim KernelStack PageTables NFS_Unstable Bounce WritebackTmp CommitLimit Committed_AS "
             "VmallocTotal VmallocUsed VmallocChunk Percpu HardwareCorrupted AnonHugePages ShmemHugePages ShmemPmdMapped "
             "HugePages_Total HugePages_Free HugePages_Rsvd HugePages_Surp Hugepagesize Hugetlb DirectMap4k DirectMap2M DirectMap1G").split()
ORDER = ORDER_61 + ['DirectMap1G']
LABV = [l.rstrip('\n') for l in open(LAB + 'vmallocinfo')]
rnd = random.Random(6)

def host(MT, gapkb, order, **over):
    """A meminfo dict: the given counters, MemFree the rest after a gap of gapkb, LRUs and MemAvailable derived."""
    v = dict(Buffers=0, Cached=0, SwapCached=0, AnonPages=0, SReclaimable=0, SUnreclaim=0, KernelStack=0, PageTables=0,
             SecPageTables=0, Percpu=0, Hugetlb=0, Shmem=0, Mapped=0, MemTotal=MT)
    v.update(over)
    v['MemFree'] = MT - sum(v[p] for p in PARTS if p != 'MemFree') - gapkb
    assert v['MemFree'] > 0 and gap(v) == gapkb, v
    v['Slab'] = v['SReclaimable'] + v['SUnreclaim']; v['KReclaimable'] = v['SReclaimable']
    anon = v['AnonPages'] + v['Shmem']; file = v['Cached'] - v['Shmem'] + v['Buffers']
    v['Active(anon)'] = anon * 7 // 10; v['Inactive(anon)'] = anon - v['Active(anon)']
    v['Active(file)'] = file * 6 // 10; v['Inactive(file)'] = file - v['Active(file)']
    v['Active'] = v['Active(anon)'] + v['Active(file)']; v['Inactive'] = v['Inactive(anon)'] + v['Inactive(file)']
    base = dict(Unevictable=0, Mlocked=0, SwapTotal=0, SwapFree=0, Zswap=0, Zswapped=0, Dirty=412, Writeback=0, NFS_Unstable=0,
                Bounce=0, WritebackTmp=0, CommitLimit=MT // 2, VmallocTotal=34359738367, VmallocChunk=0, HardwareCorrupted=0,
                AnonHugePages=0, ShmemHugePages=0, ShmemPmdMapped=0, FileHugePages=0, FilePmdMapped=0, HugePages_Total=0,
                HugePages_Free=0, HugePages_Rsvd=0, HugePages_Surp=0, Hugepagesize=2048, DirectMap4k=301060)
    for k, x in base.items(): v.setdefault(k, x)
    v.setdefault('Committed_AS', v['AnonPages'] + v['Shmem'] + 1_200_000)
    v['DirectMap1G'] = (MT // (1 << 20)) * (1 << 20)  # whole GiBs
    v['DirectMap2M'] = MT + 4 * 1024 * 64 - v['DirectMap4k'] - v['DirectMap1G']
    v['DirectMap2M'] -= v['DirectMap2M'] % 2048
    # min_free_kbytes 67584 spread over the zones: wmark_low ~ 1.25 x min; totalreserve ~ 3.7 x min
    v['MemAvailable'] = memavailable(v, totalreserve=250000, wmark_low=84480)
    keep = {k: v[k] for k in order}
    return keep

def write(out, name, text):
    os.makedirs(os.path.dirname(out + '/' + name), exist_ok=True)
    open(out + '/' + name, 'w').write(text)

def hashed():  # %pK of a hashed pointer: 16 hex digits, upper half zero
    return '0x00000000%08x' % rnd.getrandbits(32)

def vline(size, rest):
    return f"{hashed()}-{hashed()} {size:>7} {rest}"

def status(pid, comm, threads, rss_anon, rss_file, rss_shmem, vmsize, pte, ppid=1, uid=0):
    rss = rss_anon + rss_file + rss_shmem
    return '\n'.join([f"Name:\t{comm}", "Umask:\t0022", "State:\tS (sleeping)", f"Tgid:\t{pid}", "Ngid:\t0", f"Pid:\t{pid}",
        f"PPid:\t{ppid}", "TracerPid:\t0", f"Uid:\t{uid}\t{uid}\t{uid}\t{uid}", f"Gid:\t{uid}\t{uid}\t{uid}\t{uid}", "FDSize:\t256",
        "Groups:\t", f"NStgid:\t{pid}", f"NSpid:\t{pid}", f"NSpgid:\t{pid}", f"NSsid:\t{pid}",
        f"VmPeak:\t{vmsize + 10240:>8} kB", f"VmSize:\t{vmsize:>8} kB", "VmLck:\t       0 kB", "VmPin:\t       0 kB",
        f"VmHWM:\t{rss + 2048:>8} kB", f"VmRSS:\t{rss:>8} kB", f"RssAnon:\t{rss_anon:>8} kB", f"RssFile:\t{rss_file:>8} kB",
        f"RssShmem:\t{rss_shmem:>8} kB", f"VmData:\t{rss_anon + 20480:>8} kB", "VmStk:\t     132 kB", "VmExe:\t    1024 kB",
        "VmLib:\t   10240 kB", f"VmPTE:\t{pte:>8} kB", "VmSwap:\t       0 kB", "HugetlbPages:\t       0 kB", "CoreDumping:\t0",
        "THP_enabled:\t1", f"Threads:\t{threads}", "SigQ:\t0/127516", "SigPnd:\t0000000000000000", "ShdPnd:\t0000000000000000",
        "Seccomp:\t0", "Seccomp_filters:\t0", "Speculation_Store_Bypass:\tthread vulnerable", "Cpus_allowed_list:\t0-15",
        "Mems_allowed_list:\t0", "voluntary_ctxt_switches:\t15121", "nonvoluntary_ctxt_switches:\t310"]) + '\n'

def base_procs(out, extra_shmem=0):
    # a few ordinary daemons of a Debian 12 server
    for pid, comm, th, a, f, s, vm, pte in [(1, 'systemd', 1, 5_120, 7_680, 0, 167_772, 92), (612, 'systemd-journal', 1, 2_048, 11_264, 1_024 + extra_shmem, 82_000, 124),
                                           (803, 'sshd', 1, 1_536, 6_144, 0, 15_400, 64), (811, 'cron', 1, 512, 2_560, 0, 6_700, 52)]:
        write(out, f'proc/{pid}.{comm}.status', status(pid, comm, th, a, f, s, vm, pte))

def cmd_vmalloc(out):
    # 16 GiB x86_64 guest on 4.19: VmallocUsed prints 0, vmallocinfo shows a module's areas
    lines = [l.replace('kernel_clone+0xbf/0x430', '_do_fork+0x8c/0x390') for l in LABV]
    stacks = sum(1 for l in lines if '_do_fork' in l)
    leak_pages = 0
    # the leaking caller's areas: shape of the lines quoted in Open-CAS issue 410 (caller [module] pages=N vmalloc vpages N0=N)
    for i in range(200):
        p = [5306, 3534, 7539, 293][i % 4]
        leak_pages += p
        # no "vpages" word: VM_VPAGES (page array itself vmalloc'd) was gone before 4.19
        lines.append(vline((p + 1) * 4096, f"_raw_ram_init+0x2d/0x70 [cas_cache] pages={p} vmalloc N0={p}"))
    normal = sum(int(l.split('pages=')[1].split()[0]) for l in LABV if 'pages=' in l and 'kernel_clone' not in l)
    leak_kb = leak_pages * 4
    MT = 16_393_012
    v = host(MT, leak_kb + normal * 4 + 48_000, ORDER_419, Buffers=102_400, Cached=2_310_000, AnonPages=3_580_000, Mapped=410_000,
             Shmem=38_000, SReclaimable=290_000, SUnreclaim=182_000, KernelStack=stacks * 16 + 14_000, PageTables=41_000,
             Percpu=11_776, VmallocUsed=0)
    write(out, 'proc/meminfo', meminfo(v, ORDER_419))
    write(out, 'proc/vmallocinfo', '\n'.join(lines) + '\n')
    print('leak pages', leak_pages, 'kB', leak_kb, 'normal pages', normal, 'stacks', stacks, 'MemFree', v['MemFree'], 'avail', v['MemAvailable'])
    print('Shmem line', ORDER_419.index('Shmem') + 1, 'VmallocUsed line', ORDER_419.index('VmallocUsed') + 1, 'vmalloc first leak line', len(LABV) + 1)

def cmd_ioremap(out):
    # 16 GiB 6.1 workstation with two GPUs: their BARs are ioremapped, VmallocUsed is normal
    lines = list(LABV)
    bars = [(268435456, 'amdgpu_bo_kmap'), (268435456, 'amdgpu_bo_kmap')]
    phys = 0x3800000000
    for gpu in range(2):
        for i, (size, who) in enumerate([(8 << 30, 'amdgpu_device_init+0x1b4/0x1dc0 [amdgpu]'), (256 << 20, 'amdgpu_ttm_init+0x13c/0x6f0 [amdgpu]'),
                                          (2 << 20, 'amdgpu_device_init+0x8e4/0x1dc0 [amdgpu]')]):
            lines.append(vline(size + 4096, f"{who} phys=0x{phys:016x} ioremap"))
            phys += size
    normal_pages = sum(int(l.split('pages=')[1].split()[0]) for l in lines if 'pages=' in l)
    gpu_pages = 0
    for i in range(40):  # amdgpu's own vmalloc'd buffers (page tables of the GPU VM)
        lines.append(vline(65536 + 4096, "amdgpu_vm_init+0x6f/0x6d0 [amdgpu] pages=16 vmalloc N0=16")); gpu_pages += 16
    MT = 16_318_684
    vused = (normal_pages + gpu_pages) * 4
    v = host(MT, 61_000, ORDER, Buffers=210_000, Cached=4_820_000, AnonPages=5_100_000, Mapped=880_000, Shmem=410_000,
             SReclaimable=420_000, SUnreclaim=230_000, KernelStack=21_000, PageTables=62_000, Percpu=14_336, VmallocUsed=vused)
    write(out, 'proc/meminfo', meminfo(v, ORDER))
    write(out, 'proc/vmallocinfo', '\n'.join(lines) + '\n')
    print('VmallocUsed', vused, 'ioremap bytes', sum(int(l.split()[1]) for l in lines if l.endswith(' ioremap')))

def cmd_shmem(out):
    # 32 GiB 6.1 build server: 11.5 GiB of files left in /dev/shm and /run by crashed CI jobs
    MT = 32_863_076
    tmpfs = 12_058_624
    v = host(MT, 54_000, ORDER, Buffers=120_000, Cached=tmpfs + 64_000 + 3_100_000, AnonPages=4_200_000, Mapped=390_000, Shmem=tmpfs + 64_000,
             SReclaimable=610_000, SUnreclaim=260_000, KernelStack=19_200, PageTables=48_000, Percpu=20_480, VmallocUsed=71_000)
    write(out, 'proc/meminfo', meminfo(v, ORDER))
    write(out, 'proc/meminfo.before_drop_caches', meminfo(v, ORDER))
    a = dict(v); a['Cached'] = v['Shmem'] + 190_000; a['Buffers'] = 8_000; a['SReclaimable'] = 160_000; a['KReclaimable'] = 160_000
    a['Slab'] = a['SReclaimable'] + a['SUnreclaim']
    a['MemFree'] = MT - sum(a[p] for p in PARTS if p != 'MemFree') - 54_000
    file = a['Cached'] - a['Shmem'] + a['Buffers']; a['Active(file)'] = file * 6 // 10; a['Inactive(file)'] = file - a['Active(file)']
    a['Active'] = a['Active(anon)'] + a['Active(file)']; a['Inactive'] = a['Inactive(anon)'] + a['Inactive(file)']
    a['MemAvailable'] = memavailable(a, 250000, 84480)
    write(out, 'proc/meminfo.after_drop_caches', meminfo(a, ORDER))
    base_procs(out)
    write(out, 'proc/2211.gitlab-runner.status', status(2211, 'gitlab-runner', 14, 88_000, 31_000, 0, 1_402_000, 420))
    write(out, 'proc/9012.cc1plus.status', status(9012, 'cc1plus', 1, 1_980_000, 14_000, 0, 2_200_000, 4_100, ppid=2211, uid=998))
    print('Shmem', v['Shmem'], 'Mapped', v['Mapped'], 'unmapped lower bound', v['Shmem'] - v['Mapped'], 'avail', v['MemAvailable'])

def cmd_pgshm(out):
    # 64 GiB 6.1 database server: PostgreSQL shared_buffers = 16 GiB (shared anonymous mmap = Shmem), all touched
    MT = 65_842_900
    sb = 16 * 1024 * 1024 + 143_360  # shared_buffers + the other shared structures PostgreSQL allocates
    v = host(MT, 97_000, ORDER, Buffers=310_000, Cached=sb + 52_000 + 29_000_000, AnonPages=3_900_000, Mapped=sb + 420_000, Shmem=sb + 52_000,
             SReclaimable=1_210_000, SUnreclaim=410_000, KernelStack=24_000, PageTables=830_000, Percpu=40_960, VmallocUsed=98_000)
    write(out, 'proc/meminfo', meminfo(v, ORDER))
    base_procs(out)
    # the postmaster and its backends each map what they touched of the segment; the checkpointer touches all of it
    write(out, 'proc/1201.postgres.status', status(1201, 'postgres', 1, 18_000, 22_000, 410_000, 17_300_000, 1_100, uid=106))
    write(out, 'proc/1207.postgres.status', status(1207, 'postgres', 1, 2_100, 9_000, sb, 17_300_000, 33_000, ppid=1201, uid=106))
    for i, pid in enumerate(range(3001, 3021)):
        write(out, f'proc/{pid}.postgres.status', status(pid, 'postgres', 1, 9_000 + i * 100, 12_000, 1_900_000 + i * 40_000, 17_310_000, 4_200 + i * 90, ppid=1201, uid=106))
    print('Shmem', v['Shmem'], 'Mapped', v['Mapped'], 'checkpointer RssShmem', sb, 'Cached-Shmem+SRecl', v['Cached'] - v['Shmem'] + v['SReclaimable'], 'avail', v['MemAvailable'])

def cmd_kstack(out):
    # 32 GiB 6.1 x86_64: a daemon starts a thread per request and never joins them (detached threads blocked forever)
    MT = 32_863_076
    leaked = 96_000
    others = 1_412
    threads = leaked + 4 + others
    v = host(MT, 58_000, ORDER, Buffers=90_000, Cached=2_400_000, AnonPages=leaked * 52 + 2_000_000, Mapped=300_000, Shmem=21_000,
             SReclaimable=400_000, SUnreclaim=leaked * 3 + 220_000, KernelStack=threads * 16, PageTables=leaked * 4 // 10 + 40_000,
             Percpu=20_480, VmallocUsed=threads * 16 + 50_000)
    write(out, 'proc/meminfo', meminfo(v, ORDER))
    base_procs(out)
    # each thread has an 8 MiB user stack reservation (VmSize) of which ~52 kB is touched (RssAnon)
    write(out, 'proc/4711.acme-agent.status', status(4711, 'acme-agent', leaked + 4, leaked * 52 + 30_000, 18_000, 0,
                                                      (leaked + 4) * 8196 + 210_000, leaked * 4 // 10 + 900))
    write(out, 'proc/2310.java.status', status(2310, 'java', 212, 1_500_000, 40_000, 0, 9_800_000, 4_800, uid=1000))
    print('threads', threads, 'KernelStack', v['KernelStack'], 'line', ORDER.index('KernelStack') + 1, 'avail', v['MemAvailable'])

def cmd_threads(out):
    # 64 GiB 6.1 x86_64 application server, 14,000 threads (two JVMs with big pools): normal
    MT = 65_842_900
    threads = 13_942
    v = host(MT, 88_000, ORDER, Buffers=260_000, Cached=9_800_000, AnonPages=31_000_000, Mapped=700_000, Shmem=48_000,
             SReclaimable=900_000, SUnreclaim=520_000, KernelStack=threads * 16, PageTables=140_000, Percpu=40_960, VmallocUsed=threads * 16 + 80_000)
    write(out, 'proc/meminfo', meminfo(v, ORDER))
    base_procs(out)
    write(out, 'proc/2310.java.status', status(2310, 'java', 6_410, 16_000_000, 60_000, 0, 38_000_000, 48_000, uid=1000))
    write(out, 'proc/2522.java.status', status(2522, 'java', 6_102, 14_200_000, 52_000, 0, 36_000_000, 44_000, uid=1000))
    print('threads', threads, 'KernelStack', v['KernelStack'], 'MB', v['KernelStack'] / 1024)

{'vmalloc': cmd_vmalloc, 'ioremap': cmd_ioremap, 'shmem': cmd_shmem, 'pgshm': cmd_pgshm, 'kstack': cmd_kstack,
 'threads': cmd_threads}[sys.argv[1]](sys.argv[2])
