#!/usr/bin/env python3
"""Derive what is normal from the healthy corpus (issue 11), and check it on the held-out captures.

Reads every case folder under cases whose expected.yaml has a top-level
`norms_set: derive|holdout`, takes its meminfo, slabinfo, vmallocinfo and vmstat (found anywhere in
the folder, proc/ first), and writes:

  norms/healthy-corpus.tsv   one row per capture and figure: case, set, RAM bytes, kernel, arch,
                             figure, bytes (or count), share of MemTotal, note
  norms/summary.tsv          per figure, over the derive set: n, min, median, p90, p99, max of the
                             share of MemTotal and of the bytes; also per RAM bucket (n >= 3)
  norms/holdout-check.tsv    every holdout capture and figure, against the derive set's p90 and max
  norms/norms-check.tsv      every capture against each suggested norm (NORMS below)
  norms/summary.md           the same tables in Markdown, also written into knowledge-base-docs/norms-corpus.md
                             between its BEGIN/END generated markers

Rules (see knowledge-base-docs/norms-corpus.md):
  * absent is unknown: a figure that needs a missing line is not computed for that capture;
  * VmallocUsed of 0 is "not reported" (4.4 to 5.2 print 0), not a measurement;
  * a slabinfo whose caches hold under 80% of meminfo's Slab is an excerpt: no cache share is taken from it;
  * an lxcfs container view (Slab: 0 with the slab lines present) is not a kernel-wide budget:
    its kernel figures are listed with the note `container-view` and left out of the statistics;
  * percentiles are nearest-rank; with fewer than 100 captures p99 is the maximum.

Python 3 standard library only. Run from the repository root: python3 norms/derive.py
"""
import math
import os
import re
import statistics
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = os.path.join(ROOT, 'src', 'test', 'resources', 'cases')
OUT = os.path.join(ROOT, 'norms')
KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB

# THREAD_SIZE by architecture (x86_64 and arm64 with 4 KiB pages: 16 KiB; 32-bit x86 and arm: 8 KiB)
THREAD_SIZE = {'x86_64': 16 * KIB, 'arm64': 16 * KIB, 'aarch64': 16 * KIB, 'i686': 8 * KIB, 'armv7': 8 * KIB}

# slab caches created with SLAB_RECLAIM_ACCOUNT (their pages are SReclaimable); slabinfo does not say,
# so the split goes by name: dentry, the inode caches of filesystems, buffer_head, radix_tree_node
# (xarray nodes of the page cache), ext4 extent status, xfs inode items, kmalloc-rcl-*
RECLAIMABLE = re.compile(r'^(dentry|buffer_head|radix_tree_node|ext4_extent_status|xfs_ili|xfs_inode|'
                         r'kmalloc-rcl-.*|dma-kmalloc-rcl-.*|.*inode_cache|.*_inode|inode_cache|'
                         r'fuse_inode|ecryptfs_inode_cache|mqueue_inode_cache)$')
NOT_RECLAIMABLE = re.compile(r'^(shmem_inode_cache|kernfs_node_cache|kernfs_iattrs_cache)$')


# Suggested norms: a figure is normal up to share x MemTotal + floor (ratios: up to `share`, judged only
# when the cache or caller itself holds more than `floor`).
# Chosen from the derive set (see knowledge-base-docs/norms-corpus.md for the reasoning); the script
# counts the captures of each set above each norm, so the holdout check of the norms themselves is here too.
NORMS = [
    # figure, share of MemTotal (or ratio), floor bytes, applies to[, share of the RAM above 16 GiB]
    ('SUnreclaim', 0.025, 64 * MIB, 'all', 0.01),
    ('KernelStack', 0.0025, 32 * MIB, 'all'),
    ('PageTables', 0.025, 32 * MIB, 'all'),
    ('Percpu', 0.0025, 32 * MIB, 'all'),
    ('VmallocUsed', 0.02, 64 * MIB, '5.3+'),
    ('vmalloc pages (vmallocinfo)', 0.015, 32 * MIB, 'all'),
    ('Shmem', 0.20, 256 * MIB, 'all'),
    ('SReclaimable', 0.30, 0, 'all'),
    ('budget gap (parts this kernel prints)', 0.04, 64 * MIB, 'all', 0.01),
    ('anon LRU excess', 0.005, 64 * MIB, 'all'),
    ('Hugetlb idle (Free-Rsvd)', 0.02, 0, 'all'),
    ('largest unreclaimable cache', 0.01, 32 * MIB, 'all'),
    ('largest unreclaimable cache / unreclaimable slab', 0.5, 32 * MIB, 'ratio'),
    ('largest slab cache / all slab', 0.6, 32 * MIB, 'ratio'),
    ('largest vmalloc caller', 0.005, 32 * MIB, 'all'),
    ('largest vmalloc caller / vmalloc pages', 0.6, 32 * MIB, 'ratio'),
]

CONSISTENCY = {'slabinfo total / meminfo Slab'}  # a check of the inputs, not a norm

RAM_BUCKETS = [(0, 2 * GIB, '<2 GiB'), (2 * GIB, 8 * GIB, '2-8 GiB'), (8 * GIB, 32 * GIB, '8-32 GiB'),
               (32 * GIB, 128 * GIB, '32-128 GiB'), (128 * GIB, 1 << 62, '>=128 GiB')]


def read_expected(path):
    """The few top-level keys derive.py needs, read without a YAML library."""
    text = open(path, encoding='utf-8').read()
    m = re.search(r'^norms_set:\s*(derive|holdout)\b', text, re.M)
    if not m:
        return None
    facts = {}
    hf = re.search(r'^host_facts:\s*\{(.*)\}\s*$', text, re.M)
    if hf:
        for k, v in re.findall(r'(\w+):\s*"((?:[^"\\]|\\.)*)"', hf.group(1)):
            facts[k] = v
    src = re.search(r'^sources:\s*\n\s+-\s+"((?:[^"\\]|\\.)*)"', text, re.M)
    return {'set': m.group(1), 'facts': facts, 'source': src.group(1) if src else ''}


def find(folder, name):
    """proc/<name> if present, else the first file called <name> anywhere in the folder."""
    p = os.path.join(folder, 'proc', name)
    if os.path.isfile(p):
        return p
    for d, _, files in sorted(os.walk(folder)):
        if name in files:
            return os.path.join(d, name)
    return None


def parse_meminfo(path):
    """{key: bytes} for kB lines, {key: count} for the HugePages_* counts."""
    out = {}
    for line in open(path, encoding='utf-8', errors='replace'):
        m = re.match(r'^\s*([A-Za-z0-9_()]+):\s+(\d+)\s*(kB)?\s*$', line)
        if m and m.group(1) not in out:
            out[m.group(1)] = int(m.group(2)) * (KIB if m.group(3) else 1)
    return out


def parse_slabinfo(path, page_size):
    """[(name, bytes)] from /proc/slabinfo 2.x: num_slabs x pagesperslab x PAGE_SIZE."""
    caches = []
    for line in open(path, encoding='utf-8', errors='replace'):
        if line.startswith(('slabinfo', '#')):
            continue
        f = line.split()
        if len(f) < 16 or ':' not in f:
            continue
        try:
            pagesperslab = int(f[5])
            num_slabs = int(f[f.index('slabdata') + 2])
        except (ValueError, IndexError):
            continue
        caches.append((f[0], num_slabs * pagesperslab * page_size))
    return caches


def parse_vmallocinfo(path, page_size):
    """{caller: bytes of vmalloc pages} (pages=N of areas flagged vmalloc, ioremap/vmap areas left out)."""
    callers = {}
    for line in open(path, encoding='utf-8', errors='replace'):
        f = line.split()
        if len(f) < 3 or 'ioremap' in f:
            continue
        pages = next((int(x[6:]) for x in f if x.startswith('pages=') and x[6:].isdigit()), None)
        if pages is None or 'vmalloc' not in f:
            continue
        caller = re.sub(r'\+0x[0-9a-f]+/0x[0-9a-f]+', '', f[2])
        callers[caller] = callers.get(caller, 0) + pages * page_size
    return callers


def parse_vmstat(path):
    out = {}
    for line in open(path, encoding='utf-8', errors='replace'):
        f = line.split()
        if len(f) == 2 and f[1].isdigit():
            out[f[0]] = int(f[1])
    return out


def figures(mi, slab, vmalloc, vmstat, arch, page_size):
    """[(figure, value, share-of-MemTotal or None, note)]; a figure whose inputs are absent is left out."""
    total = mi.get('MemTotal')
    rows = []

    def add(name, value, note='', share=True):
        rows.append((name, value, (value / total) if (share and total) else None, note))

    container = 'Slab' in mi and mi['Slab'] == 0 and 'SUnreclaim' in mi
    cnote = 'container-view' if container else ''
    for k in ('SUnreclaim', 'SReclaimable', 'Slab', 'KernelStack', 'PageTables', 'SecPageTables', 'Percpu', 'Shmem'):
        if k in mi:
            add(k, mi[k], cnote if k != 'Shmem' else '')
    if 'VmallocUsed' in mi:
        add('VmallocUsed', mi['VmallocUsed'], 'not-reported(0)' if mi['VmallocUsed'] == 0 else cnote)
    if 'KernelStack' in mi and arch in THREAD_SIZE:
        rows.append(('threads(KernelStack/THREAD_SIZE)', mi['KernelStack'] // THREAD_SIZE[arch], None,
                     f'THREAD_SIZE={THREAD_SIZE[arch]}' + (';' + cnote if cnote else '')))
        if total:
            rows.append(('threads per GiB of RAM', round(mi['KernelStack'] / THREAD_SIZE[arch] / (total / GIB), 1), None, cnote))
    # hugetlb pool: Hugetlb: (4.16+, all sizes) or HugePages_Total x Hugepagesize (default size only)
    hugetlb, hnote = None, ''
    if 'Hugetlb' in mi:
        hugetlb, hnote = mi['Hugetlb'], 'Hugetlb line'
    elif 'HugePages_Total' in mi and 'Hugepagesize' in mi:
        hugetlb, hnote = mi['HugePages_Total'] * mi['Hugepagesize'], 'HugePages_Total x Hugepagesize'
    if hugetlb is not None:
        add('Hugetlb', hugetlb, hnote)
        if mi.get('HugePages_Total') and 'HugePages_Free' in mi and 'Hugepagesize' in mi:
            idle = max(0, mi['HugePages_Free'] - mi.get('HugePages_Rsvd', 0)) * mi['Hugepagesize']
            add('Hugetlb idle (Free-Rsvd)', idle, 'default size')
    # the budget gap: strict (all 13 parts present) and core (the parts this kernel prints)
    core = ['MemFree', 'Buffers', 'Cached', 'SwapCached', 'AnonPages', 'SReclaimable', 'SUnreclaim', 'KernelStack', 'PageTables']
    optional = ['SecPageTables', 'Percpu']
    if total and all(k in mi for k in core):
        used = sum(mi[k] for k in core)
        missing = [k for k in optional if k not in mi]
        used += sum(mi[k] for k in optional if k in mi)
        if hugetlb is None:
            missing.append('Hugetlb')
        else:
            used += hugetlb
        gap = total - used
        if not missing:
            add('budget gap (all 13 parts)', gap, cnote)
        add('budget gap (parts this kernel prints)', gap,
            ';'.join(x for x in ['missing=' + ','.join(missing) if missing else '', cnote] if x))
    anon = ['Active(anon)', 'Inactive(anon)', 'AnonPages', 'Shmem', 'SwapCached']
    if all(k in mi for k in anon):
        add('anon LRU excess', mi['Active(anon)'] + mi['Inactive(anon)'] - mi['AnonPages'] - mi['Shmem'] - mi['SwapCached'], cnote)
    if slab and not container and mi.get('Slab') and sum(b for _, b in slab) < 0.8 * mi['Slab']:
        rows.append(('slabinfo total / meminfo Slab', round(sum(b for _, b in slab) / mi['Slab'], 4), None,
                     'slabinfo-partial: the caches listed hold under 80% of Slab, no cache share is computed'))
        slab = []
    if slab:
        all_slab = sum(b for _, b in slab)
        name, big = max(slab, key=lambda x: x[1])
        add('largest slab cache', big, name)
        if all_slab:
            rows.append(('largest slab cache / all slab', round(big / all_slab, 4), None, name))
        unrec = [(n, b) for n, b in slab if NOT_RECLAIMABLE.match(n) or not RECLAIMABLE.match(n)]
        if unrec:
            un_all = sum(b for _, b in unrec)
            uname, ubig = max(unrec, key=lambda x: x[1])
            add('largest unreclaimable cache', ubig, uname)
            if un_all:
                rows.append(('largest unreclaimable cache / unreclaimable slab', round(ubig / un_all, 4), None, uname))
        if 'Slab' in mi and mi['Slab'] and not container:
            rows.append(('slabinfo total / meminfo Slab', round(all_slab / mi['Slab'], 4), None, 'caches in slabinfo vs Slab:'))
    if vmalloc:
        pages = sum(vmalloc.values())
        caller, big = max(vmalloc.items(), key=lambda x: x[1])
        add('vmalloc pages (vmallocinfo)', pages, f'{len(vmalloc)} callers')
        if pages:
            rows.append(('largest vmalloc caller / vmalloc pages', round(big / pages, 4), None, caller))
        if mi.get('VmallocUsed'):
            rows.append(('largest vmalloc caller / VmallocUsed', round(big / mi['VmallocUsed'], 4), None, caller))
        add('largest vmalloc caller', big, caller)
    if vmstat:
        if 'nr_zspages' in vmstat:
            add('vmstat nr_zspages', vmstat['nr_zspages'] * page_size)
        if 'nr_foll_pin_acquired' in vmstat and 'nr_foll_pin_released' in vmstat:
            rows.append(('vmstat live FOLL_PIN pins', vmstat['nr_foll_pin_acquired'] - vmstat['nr_foll_pin_released'], None, 'acquired - released'))
        if 'nr_isolated_anon' in vmstat and 'nr_isolated_file' in vmstat:
            add('vmstat isolated pages', (vmstat['nr_isolated_anon'] + vmstat['nr_isolated_file']) * page_size)
    return rows


def pct(values, p):
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def human(b):
    if b is None:
        return ''
    if abs(b) >= GIB:
        return f'{b / GIB:.2f} GiB'
    if abs(b) >= MIB:
        return f'{b / MIB:.1f} MiB'
    return f'{b / KIB:.0f} KiB'


def share(x):
    return '' if x is None else f'{100 * x:.2f}%'


def main():
    captures = []
    for name in sorted(os.listdir(CASES)):
        folder = os.path.join(CASES, name)
        exp = os.path.join(folder, 'expected.yaml')
        if not os.path.isfile(exp):
            continue
        e = read_expected(exp)
        if not e:
            continue
        mpath = find(folder, 'meminfo')
        if not mpath:
            print(f'{name}: no meminfo, skipped', file=sys.stderr)
            continue
        arch = e['facts'].get('arch', 'x86_64').split()[0]
        page_size = 4096  # every capture of the corpus has 4 KiB pages; a 64 KiB host would need its page size here
        mi = parse_meminfo(mpath)
        sp, vp, vs = find(folder, 'slabinfo'), find(folder, 'vmallocinfo'), find(folder, 'vmstat')
        rows = figures(mi, parse_slabinfo(sp, page_size) if sp else [], parse_vmallocinfo(vp, page_size) if vp else {},
                       parse_vmstat(vs) if vs else {}, arch, page_size)
        captures.append({'case': name, 'set': e['set'], 'ram': mi.get('MemTotal'), 'kernel': e['facts'].get('kernel', 'unknown'),
                         'arch': arch, 'rows': rows, 'kind': e['facts'].get('kind', ''), 'source': e['source'],
                         'files': [f for f in ('meminfo', 'slabinfo', 'vmallocinfo', 'vmstat') if find(folder, f)],
                         # VmallocUsed means vmalloc pages (no ioremap) only from 5.3; a kernel printing Percpu (4.16+)
                         # with a non-zero VmallocUsed is 5.3+ (4.4-5.2 print 0)
                         'vmalloc_reported': bool(mi.get('VmallocUsed')) and 'Percpu' in mi})

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'healthy-corpus.tsv'), 'w', encoding='utf-8') as t:
        t.write('case\tset\tram_bytes\tkernel\tarch\tfigure\tvalue\tshare_of_memtotal\tnote\n')
        for c in captures:
            for fig, val, sh, note in c['rows']:
                t.write(f"{c['case']}\t{c['set']}\t{c['ram']}\t{c['kernel']}\t{c['arch']}\t{fig}\t{val}\t"
                        f"{'' if sh is None else f'{sh:.6f}'}\t{note}\n")

    def usable(note):
        return not any(w in note for w in ('container-view', 'not-reported', 'slabinfo-partial'))

    order = []
    for c in captures:
        for fig, *_ in c['rows']:
            if fig not in order:
                order.append(fig)
    derive = [c for c in captures if c['set'] == 'derive']
    hold = [c for c in captures if c['set'] == 'holdout']

    def values(cs, fig):
        out = []
        for c in cs:
            for f, v, sh, note in c['rows']:
                if f == fig and usable(note):
                    out.append((c, v, sh))
        return out

    stats = {}
    sm = ['| figure | n | share of MemTotal: min / median / p90 / max | value: min / median / p90 / max | largest at |',
          '|---|---|---|---|---|']
    st = open(os.path.join(OUT, 'summary.tsv'), 'w', encoding='utf-8')
    st.write('figure\tbucket\tn\tshare_min\tshare_median\tshare_p90\tshare_p99\tshare_max\tvalue_min\tvalue_median\tvalue_p90\tvalue_p99\tvalue_max\n')
    for fig in order:
        vals = values(derive, fig)
        if not vals:
            continue
        bytes_like = any(sh is not None for _, _, sh in vals)
        for bucket in [None] + RAM_BUCKETS:
            sub = vals if bucket is None else [x for x in vals if x[0]['ram'] and bucket[0] <= x[0]['ram'] < bucket[1]]
            if bucket is not None and len(sub) < 3:
                continue
            v = [x[1] for x in sub]
            s = [x[2] for x in sub if x[2] is not None]
            row = [fig, 'all' if bucket is None else bucket[2], len(sub)]
            row += [f'{q:.6f}' for q in ([min(s), statistics.median(s), pct(s, 90), pct(s, 99), max(s)] if s else [])] or [''] * 5
            row += [str(q) for q in [min(v), statistics.median(v), pct(v, 90), pct(v, 99), max(v)]]
            st.write('\t'.join(map(str, row)) + '\n')
            if bucket is None:
                stats[fig] = {'s90': pct(s, 90) if s else None, 'smax': max(s) if s else None,
                              'v90': pct(v, 90), 'vmax': max(v)}
                top = max(sub, key=lambda x: x[2] if x[2] is not None else x[1])[0]['case']
                fmt = human if bytes_like else (lambda q: f'{q:g}')
                sm.append(f"| {fig} | {len(sub)} | "
                          + (' / '.join(share(q) for q in [min(s), statistics.median(s), pct(s, 90), max(s)]) if s else '')
                          + ' | ' + ' / '.join(fmt(q) for q in [min(v), statistics.median(v), pct(v, 90), max(v)])
                          + f' | {top} |')
    st.close()

    # per RAM bucket, the main kernel counters (share of MemTotal, median / max)
    bm = ['| figure | ' + ' | '.join(b[2] for b in RAM_BUCKETS) + ' |', '|---|' + '---|' * len(RAM_BUCKETS)]
    for fig in ['SUnreclaim', 'SReclaimable', 'KernelStack', 'PageTables', 'Percpu', 'VmallocUsed', 'Shmem',
                'budget gap (parts this kernel prints)']:
        vals = values(derive, fig)
        cells = []
        for lo, hi, _ in RAM_BUCKETS:
            s = [x[2] for x in vals if x[0]['ram'] and lo <= x[0]['ram'] < hi and x[2] is not None]
            cells.append(f'n={len(s)}: {share(statistics.median(s))} / {share(max(s))}' if s else 'n=0')
        bm.append(f'| {fig} | ' + ' | '.join(cells) + ' |')

    # holdout check
    hm = ['| holdout case | figure | value | share | derive p90 | derive max | verdict |', '|---|---|---|---|---|---|---|']
    ht = open(os.path.join(OUT, 'holdout-check.tsv'), 'w', encoding='utf-8')
    ht.write('case\tfigure\tvalue\tshare\tderive_p90\tderive_max\tresult\n')
    n_checked = n_over_p90 = n_over_max = 0
    caps_over_max = set()
    over = []
    for c in hold:
        for fig, v, sh, note in c['rows']:
            if fig not in stats or not usable(note) or fig in CONSISTENCY:
                continue
            s = stats[fig]
            if not s['vmax']:
                continue  # every derive capture has 0 here (vmstat isolated, zspages, Hugetlb): no spread to judge by
            x, p90, mx = (sh, s['s90'], s['smax']) if (sh is not None and s['smax'] is not None) else (v, s['v90'], s['vmax'])
            res = 'within'
            if x > mx:
                res = 'ABOVE MAX'
                n_over_max += 1
            elif x > p90:
                res = 'above p90'
                n_over_p90 += 1
            n_checked += 1
            ht.write(f"{c['case']}\t{fig}\t{v}\t{'' if sh is None else f'{sh:.6f}'}\t{p90}\t{mx}\t{res}\n")
            if res == 'ABOVE MAX':
                caps_over_max.add(c['case'])
            if res != 'within':
                fmt = share if sh is not None else (lambda q: f'{q:g}')
                over.append(f"| {c['case']} | {fig} | {human(v) if sh is not None else v} | {share(sh)} | {fmt(p90)} | {fmt(mx)} | {res} |")
    ht.close()
    hm += over

    # the suggested norms, on both sets
    nm = ['| norm (normal up to) | applies to | derive: above / checked | holdout: above / checked | captures above (x the norm) |',
          '|---|---|---|---|---|']
    nt = open(os.path.join(OUT, 'norms-check.tsv'), 'w', encoding='utf-8')
    nt.write('figure\tshare\tfloor_bytes\tcase\tset\tvalue\tlimit\tresult\n')
    def limit_of(norm, ram):
        fig, sh_n, floor, scope = norm[:4]
        if scope == 'ratio':
            return sh_n
        if len(norm) > 4:  # a lower share for the RAM above 16 GiB
            return floor + sh_n * min(ram, 16 * GIB) + norm[4] * max(0, ram - 16 * GIB)
        return floor + sh_n * ram

    for norm in NORMS:
        fig, sh_n, floor, scope = norm[:4]
        counts = {'derive': [0, 0], 'holdout': [0, 0]}
        above = []
        for c in captures:
            for f, v, sh, note in c['rows']:
                if f != fig or not usable(note):
                    continue
                if scope == '5.3+' and not c.get('vmalloc_reported'):
                    continue
                if scope == 'ratio':  # a proportion counts only when the cache or caller itself is over the floor
                    whole = next((x[1] for x in c['rows'] if x[0] == fig.split(' / ')[0]), 0)
                    if whole <= floor:
                        continue
                limit = limit_of(norm, c['ram'])
                counts[c['set']][1] += 1
                res = 'within'
                if v > limit:
                    res = 'ABOVE'
                    counts[c['set']][0] += 1
                    above.append(f"{c['case']} ({c['set']}, {v / limit:.1f}x)")
                nt.write(f"{fig}\t{sh_n}\t{floor}\t{c['case']}\t{c['set']}\t{v}\t{limit:.0f}\t{res}\n")
        label = f'{fig} <= {sh_n:g} (when the cache or caller is over {human(floor)})' if scope == 'ratio' else f'{fig} <= {100 * sh_n:g}% of RAM + {human(floor) if floor else "0"}'
        if len(norm) > 4:
            label = f'{fig} <= {human(floor)} + {100 * sh_n:g}% of the first 16 GiB + {100 * norm[4]:g}% of the rest'
        nm.append(f"| {label} | {scope} | {counts['derive'][0]} / {counts['derive'][1]} | {counts['holdout'][0]} / {counts['holdout'][1]} | {', '.join(above) or 'none'} |")
    nt.close()

    ct = ['| case | set | host | RAM | kernel | arch | files | source |', '|---|---|---|---|---|---|---|---|']
    for c in captures:
        src = c['source'].split(' (')[0]
        src = re.sub(r'^https://github.com/', 'github:', src)
        ct.append(f"| {c['case']} | {c['set']} | {c['kind']} | {human(c['ram'])} | {c['kernel']} | {c['arch']} | "
                  f"{', '.join(c['files'])} | {src} |")

    md = ['<!-- written by python3 norms/derive.py; do not edit by hand -->',
          f'Captures: {len(captures)} ({len(derive)} derive, {len(hold)} holdout).', '',
          '### Corpus', '', *ct, '',
          '### Derive set: each figure', '', *sm, '',
          '### Derive set: by RAM size (share of MemTotal, median / max)', '', *bm, '',
          f'### Holdout check: {n_checked} holdout figures compared, {n_over_max} above the derive maximum, '
          f'{n_over_p90} above p90 only', '',
          f'Holdout captures above the derive maximum in at least one figure: {len(caps_over_max)} of {len(hold)} '
          f'({", ".join(sorted(caps_over_max)) or "none"}).', '', *hm, '',
          '### Suggested norms, checked on both sets', '', *nm, '']
    open(os.path.join(OUT, 'summary.md'), 'w', encoding='utf-8').write('\n'.join(md))
    # the same tables inside the docs page, between its markers
    doc = os.path.join(ROOT, 'knowledge-base-docs', 'norms-corpus.md')
    if os.path.isfile(doc):
        text = open(doc, encoding='utf-8').read()
        begin, end = '<!-- BEGIN generated by norms/derive.py -->', '<!-- END generated -->'
        if begin in text and end in text:
            head, rest = text.split(begin, 1)
            tail = rest.split(end, 1)[1]
            open(doc, 'w', encoding='utf-8').write(head + begin + '\n' + '\n'.join(md[1:]) + '\n' + end + tail)
    print('\n'.join(md))


if __name__ == '__main__':
    main()
