"""Helpers that print /proc/meminfo and /proc/slabinfo exactly as Linux 6.1 does (checked: they
reproduce the lab-baseline files byte for byte). Used by the built case folders."""
import math, re
import os
# the real Debian 6.1.192 guest of shared/captures (field order, layout, slab cache list)
LAB = os.environ.get('LAB', '/work/shared/captures/lab-baseline/proc/')

# fs/proc/meminfo.c (6.1) field order, as printed by the real Debian 6.1.192 guest
ORDER_61 = [l.split(':')[0] for l in open(LAB+'meminfo') if l.strip()]

def mline(key, val):
    if key.startswith('HugePages_'):
        return f"{key+':':<16}{val:>8}"
    if key == 'HardwareCorrupted':
        return f"HardwareCorrupted: {val:>5} kB"
    return f"{key+':':<16}{val:>8} kB"

def meminfo(vals, order=ORDER_61):
    missing = [k for k in order if k not in vals]
    assert not missing, missing
    extra = [k for k in vals if k not in order]
    assert not extra, extra
    return '\n'.join(mline(k, vals[k]) for k in order) + '\n'

PARTS = ["MemFree","Buffers","Cached","SwapCached","AnonPages","SReclaimable","SUnreclaim",
         "KernelStack","PageTables","SecPageTables","Percpu","Hugetlb"]

def gap(v, legacy_huge=0):
    return v['MemTotal'] - sum(v.get(p,0) for p in PARTS) - legacy_huge

def memavailable(v, totalreserve, wmark_low):
    # si_mem_available(): free - totalreserve + pagecache - min(pagecache/2, wmark_low)
    #                     + reclaimable - min(reclaimable/2, wmark_low)
    pagecache = v['Active(file)'] + v['Inactive(file)']
    reclaimable = v['KReclaimable']
    a = v['MemFree'] - totalreserve
    a += pagecache - min(pagecache//2, wmark_low)
    a += reclaimable - min(reclaimable//2, wmark_low)
    return max(a, 0)

# ---- slabinfo (mm/slab_common.c cache_show, SLUB, 6.1) ----
def read_lab_slab():
    rows = []
    for l in open(LAB+'slabinfo').read().splitlines()[2:]:
        f = l.split()
        rows.append(dict(name=f[0], active=int(f[1]), num=int(f[2]), size=int(f[3]), per=int(f[4]), pages=int(f[5])))
    return rows

def slab_row(r):
    slabs = r['num'] // r['per']
    assert r['num'] == slabs * r['per'], r
    aslabs = r.get('aslabs', slabs)
    return (f"{r['name']:<17} {r['active']:>6} {r['num']:>6} {r['size']:>6} {r['per']:>4} {r['pages']:>4}"
            f" : tunables {0:>4} {0:>4} {0:>4} : slabdata {aslabs:>6} {slabs:>6} {0:>6}")

def slabinfo(rows):
    hdr = open(LAB+'slabinfo').read().splitlines()[:2]
    return '\n'.join(hdr + [slab_row(r) for r in rows]) + '\n'

def kb(r):
    return (r['num'] // r['per']) * r['pages'] * 4

# caches created with SLAB_RECLAIM_ACCOUNT in 6.1 (their pages count in SReclaimable)
RECLAIM = {'dentry','inode_cache','proc_inode_cache','sock_inode_cache','radix_tree_node','buffer_head',
           'v9fs_inode_cache','bdev_cache','dax_cache','ext4_inode_cache','ext4_extent_status','mbcache'}
def is_recl(n): return n in RECLAIM or n.startswith('kmalloc-rcl-')

def scale(rows, f, override):
    out = []
    for r in rows:
        r = dict(r)
        if r['name'] in override:
            r.update(override[r['name']])
        elif f != 1 and r['num'] > 0:
            slabs = max(1, math.ceil(r['num'] * f / r['per']))
            r['num'] = slabs * r['per']
            r['active'] = min(r['num'], math.ceil(r['active'] * f))
        out.append(r)
    return out

def sums(rows):
    rec = sum(kb(r) for r in rows if is_recl(r['name']))
    unr = sum(kb(r) for r in rows if not is_recl(r['name']))
    return rec, unr
