import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import os
OUT = sys.argv[1]; os.makedirs(OUT+'/proc', exist_ok=True)
K = lambda p: p*4
MANAGED = 4109641; PRESENT = 4194174; RESERVED = PRESENT - MANAGED
assert RESERVED == 84533
zones = {  # kB
 'DMA':   dict(present=15996, managed=15360, free=13956, min=60, low=75, high=90, aa=0, ia=1040, af=0, inf=0, pcp=0, lpcp=0),
 'DMA32': dict(present=3129212, managed=3063512, free=13296, min=12596, low=15745, high=18894, aa=2744100, ia=246200, af=3104, inf=2460, pcp=1432, lpcp=124),
 'Normal':dict(present=13631488, managed=13359692, free=52180, min=54928, low=68660, high=82392, aa=11727392, ia=1242432, af=12944, inf=10380, pcp=3424, lpcp=356),
}
assert sum(z['present'] for z in zones.values()) == K(PRESENT)
assert sum(z['managed'] for z in zones.values()) == K(MANAGED)
g = dict(active_anon=sum(z['aa'] for z in zones.values())//4, inactive_anon=sum(z['ia'] for z in zones.values())//4,
         active_file=sum(z['af'] for z in zones.values())//4, inactive_file=sum(z['inf'] for z in zones.values())//4,
         slab_reclaimable=21634, slab_unreclaimable=38913, mapped=8104, shmem=2400, pagetables=7952,
         free=sum(z['free'] for z in zones.values())//4, free_pcp=sum(z['pcp'] for z in zones.values())//4)
assert g['active_anon'] + g['inactive_anon'] == 3990291, g
assert g['free'] == 19858 and g['free_pcp'] == 1214
KSTACK_KB = 10432
misc = MANAGED - (g['active_anon']+g['inactive_anon']+g['active_file']+g['inactive_file']+g['slab_reclaimable']
                  +g['slab_unreclaimable']+g['pagetables']+KSTACK_KB//4+g['free'])
assert misc == 21163, misc
# per-zone residual (slab, page tables, stacks, percpu, other kernel pages) must be >= 0
for n,z in zones.items():
    assert z['managed'] - z['free'] - z['aa'] - z['ia'] - z['af'] - z['inf'] >= 0, n

def buddy(total_kb, counts, types):
    # orders 0..10 (6.1: MAX_ORDER 11); order-0 count absorbs the remainder so the sum is exact
    sizes = [4<<o for o in range(11)]
    nr = list(counts) + [0]*(11-len(counts))
    rest = total_kb - sum(n*s for n,s in zip(nr[1:], sizes[1:]))
    assert rest >= 0 and rest % 4 == 0, rest
    nr[0] = rest // 4
    parts = [f"{nr[o]}*{sizes[o]}kB " + (f"({types[o]}) " if nr[o] else "") for o in range(11)]
    return "".join(parts) + f"= {total_kb}kB"
import random
random.seed(6199)
T0 = 262841
_us = [118426]
def _next():
    v=_us[0]; _us[0]+=random.randint(3,61); return v
ts = iter(_next, None)
def L(msg, dt=None):
    return f"[{T0}.{next(ts):06d}] {msg}"
tasks = [  # pid uid tgid total_vm rss pgtables_bytes swapents adj name
 (312,0,312,58401,4914,425984,0,-250,'systemd-journal'),
 (341,0,341,6612,1533,73728,0,-1000,'systemd-udevd'),
 (612,997,612,22401,1637,86016,0,0,'systemd-timesyn'),
 (640,100,640,2389,980,57344,0,-900,'dbus-daemon'),
 (642,0,642,4722,1724,77824,0,0,'systemd-logind'),
 (655,0,655,55459,1910,86016,0,0,'rsyslogd'),
 (660,0,660,1651,667,53248,0,0,'cron'),
 (701,0,701,3858,2094,69632,0,-1000,'sshd'),
 (703,0,703,1535,450,49152,0,0,'agetty'),
 (812,65534,812,309812,6104,192512,0,0,'node_exporter'),
 (1024,0,1024,454327,38912,512000,0,0,'filebeat'),
 (1311,999,1311,60412,36115,397312,0,0,'envoy'),
 (2893,998,2893,5459479,3787168,30851072,0,0,'java'),
 (3120,1000,3120,388215,120000,1163264,0,0,'python3'),
]
lines = []
lines.append(L("java invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=0"))
lines.append(L("CPU: 5 PID: 2950 Comm: java Not tainted 6.1.0-23-amd64 #1  Debian 6.1.99-1"))
lines.append(L("Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.2-debian-1.16.2-1 04/01/2014"))
for fr in ["Call Trace:"," <TASK>"," dump_stack_lvl+0x44/0x5c"," dump_header+0x4a/0x211"," oom_kill_process.cold+0xb/0x10",
           " out_of_memory+0x1fd/0x4c0"," __alloc_pages_slowpath.constprop.0+0xc6c/0xe30"," __alloc_pages+0x305/0x330",
           " __folio_alloc+0x17/0x50"," ? policy_node+0x51/0x70"," vma_alloc_folio+0x9c/0x370"," __handle_mm_fault+0x92f/0xfa0",
           " handle_mm_fault+0xdb/0x2d0"," do_user_addr_fault+0x191/0x550"," exc_page_fault+0x70/0x170"," asm_exc_page_fault+0x22/0x30",
           "RIP: 0033:0x7f3b5c1e2a51","Code: Unable to access opcode bytes at 0x7f3b5c1e2a27.",
           "RSP: 002b:00007f3a1d7fd4e0 EFLAGS: 00010206",
           "RAX: 00000006a1b40000 RBX: 00007f3a4c0158f0 RCX: 0000000000000000",
           "RDX: 00000000000007f8 RSI: 00000006a1b40000 RDI: 00007f3a4c0158f0",
           "RBP: 00007f3a1d7fd540 R08: 0000000000000000 R09: 00000006a1b3f000",
           "R10: 0000000000000000 R11: 0000000000000000 R12: 0000000000000200",
           "R13: 00000006a1b40000 R14: 00007f3a4c0158f0 R15: 00007f3b4d8e2800"," </TASK>","Mem-Info:"]:
    lines.append(L(fr))
pad = " " * 17
lines[-1] = lines[-1]
g_line = (f"active_anon:{g['active_anon']} inactive_anon:{g['inactive_anon']} isolated_anon:0\n"
          f"{pad}active_file:{g['active_file']} inactive_file:{g['inactive_file']} isolated_file:0\n"
          f"{pad}unevictable:0 dirty:0 writeback:0\n"
          f"{pad}slab_reclaimable:{g['slab_reclaimable']} slab_unreclaimable:{g['slab_unreclaimable']}\n"
          f"{pad}mapped:{g['mapped']} shmem:{g['shmem']} pagetables:{g['pagetables']}\n"
          f"{pad}sec_pagetables:0 bounce:0\n"
          f"{pad}kernel_misc_reclaimable:0\n"
          f"{pad}free:{g['free']} free_pcp:{g['free_pcp']} free_cma:0")
lines.append(L(g_line))
lines.append(L(f"Node 0 active_anon:{K(g['active_anon'])}kB inactive_anon:{K(g['inactive_anon'])}kB active_file:{K(g['active_file'])}kB "
               f"inactive_file:{K(g['inactive_file'])}kB unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:{K(g['mapped'])}kB "
               f"dirty:0kB writeback:0kB shmem:{K(g['shmem'])}kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 13647872kB "
               f"writeback_tmp:0kB kernel_stack:{KSTACK_KB}kB pagetables:{K(g['pagetables'])}kB sec_pagetables:0kB all_unreclaimable? no"))
reserve = {'DMA': "0 2991 16038 16038 16038", 'DMA32': "0 0 13046 13046 13046", 'Normal': "0 0 0 0 0"}
for n,z in zones.items():
    lines.append(L(f"Node 0 {n} free:{z['free']}kB boost:0kB min:{z['min']}kB low:{z['low']}kB high:{z['high']}kB "
                   f"reserved_highatomic:0KB active_anon:{z['aa']}kB inactive_anon:{z['ia']}kB active_file:{z['af']}kB "
                   f"inactive_file:{z['inf']}kB unevictable:0kB writepending:0kB present:{z['present']}kB managed:{z['managed']}kB "
                   f"mlocked:0kB bounce:0kB free_pcp:{z['pcp']}kB local_pcp:{z['lpcp']}kB free_cma:0kB"))
    lines.append(L(f"lowmem_reserve[]: {reserve[n]}"))
bud = {'DMA':   ([0, 8, 6, 4, 3, 3, 3, 2, 1, 1, 2], ['U','U','U','U','U','U','U','U','U','M','M']),
       'DMA32': ([0, 402, 131, 38, 9, 3, 1, 0, 0, 0, 0], ['UME','UME','UME','UME','UM','M','M','M','M','M','M']),
       'Normal':([0, 1689, 604, 163, 41, 8, 2, 1, 0, 0, 0], ['UMEH','UMEH','UMEH','UME','UM','M','M','M','M','M','M'])}
for n,z in zones.items():
    lines.append(L(f"Node 0 {n}: " + buddy(z['free'], *bud[n])))
lines.append(L("Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB"))
lines.append(L("Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB"))
lines.append(L(f"{g['active_file']+g['inactive_file']+g['shmem']} total pagecache pages"))
lines.append(L("0 pages in swap cache"))
lines.append(L("Free swap  = 0kB"))
lines.append(L("Total swap = 0kB"))
lines.append(L(f"{PRESENT} pages RAM"))
lines.append(L("0 pages HighMem/MovableOnly"))
lines.append(L(f"{RESERVED} pages reserved"))
lines.append(L("0 pages cma reserved"))
lines.append(L("0 pages hwpoisoned"))
lines.append(L("Tasks state (memory values in pages):"))
lines.append(L("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"))
for (pid,uid,tgid,vm,rss,pgt,sw,adj,name) in tasks:
    lines.append(L(f"[{pid:>7}] {uid:>5} {tgid:>5} {vm:>8} {rss:>8} {pgt:>8} {sw:>8}         {adj:>5} {name}"))
lines.append(L("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/app.service,task=java,pid=2893,uid=998"))
lines.append(L("Out of memory: Killed process 2893 (java) total-vm:21837916kB, anon-rss:15120000kB, file-rss:28672kB, shmem-rss:0kB, UID:998 pgtables:30128kB oom_score_adj:0"))
_us[0] += 48211
lines.append(L("oom_reaper: reaped process 2893 (java), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB"))
txt = "\n".join(lines) + "\n"
open(OUT+'/dmesg.txt','w').write(txt)
# consistency: java row vs kill line
assert 5459479*4 == 21837916 and 30851072//1024 == 30128 and 3787168*4 == 15120000+28672
# task table rss (pages) vs anon LRU
others = sum(t[4] for t in tasks if t[8] != 'java')
print('others rss pages', others, 'java share of RAM', (15120000+28672)/16438564)
# meminfo, 4 minutes after (sosreport): java gone
MT = 16438564
v = dict(MemTotal=MT, Buffers=31540, Cached=402772, SwapCached=0, AnonPages=831564, SReclaimable=88404, SUnreclaim=155672,
         KernelStack=8944, PageTables=6880, SecPageTables=0, Percpu=24000, Hugetlb=0, Shmem=9600)
GAP = 58716
v['MemFree'] = MT - sum(v[p] for p in PARTS if p != 'MemFree') - GAP
v['KReclaimable'] = v['SReclaimable']; v['Slab'] = v['SReclaimable'] + v['SUnreclaim']
anon_lru = v['AnonPages'] + v['Shmem']; file_lru = v['Cached'] - v['Shmem'] + v['Buffers']
v['Active(anon)'] = 702316; v['Inactive(anon)'] = anon_lru - 702316
v['Active(file)'] = 188412; v['Inactive(file)'] = file_lru - 188412
v['Active'] = v['Active(anon)'] + v['Active(file)']; v['Inactive'] = v['Inactive(anon)'] + v['Inactive(file)']
v.update(Unevictable=0, Mlocked=0, SwapTotal=0, SwapFree=0, Zswap=0, Zswapped=0, Dirty=96, Writeback=0, Mapped=129840,
         NFS_Unstable=0, Bounce=0, WritebackTmp=0, CommitLimit=MT//2, Committed_AS=3318712,
         VmallocTotal=34359738367, VmallocUsed=41980, VmallocChunk=0, HardwareCorrupted=0,
         AnonHugePages=92160, ShmemHugePages=0, ShmemPmdMapped=0, FileHugePages=0, FilePmdMapped=0,
         HugePages_Total=0, HugePages_Free=0, HugePages_Rsvd=0, HugePages_Surp=0, Hugepagesize=2048,
         DirectMap4k=241524, DirectMap2M=8146944)
v['DirectMap1G'] = 8388608
v['MemAvailable'] = memavailable(v, totalreserve=176000, wmark_low=84480)
open(OUT+'/proc/meminfo','w').write(meminfo(v, ORDER_61+['DirectMap1G']))
print('MemFree', v['MemFree'], 'MemAvailable', v['MemAvailable'], 'victim bytes', (15120000+28672)*1024)
