package dev.leakdx.bench;

import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.capture.Manifest;
import dev.leakdx.engine.MeminfoBudget;
import dev.leakdx.extract.Extractor;
import dev.leakdx.extract.ExtractorRegistry;
import dev.leakdx.extract.HostInference;
import dev.leakdx.extract.Sink;
import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.MemCounter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a fleet of captures for the fleet benchmark (issue 16): H hosts captured once a day for D
 * days, plus a few hundred crash-transcript captures, each a folder {@code OUT/<host>-<yyyymmdd>/}
 * with a {@code case.yaml} naming the host and the time, as {@code leakdx capture} bundles do.
 *
 * <p>The files are real captures from {@code cases/}, copied, not invented: each host is given one
 * template (so one kernel) round-robin, and only the counters a leak or the daily noise moves are
 * rewritten, in the template's own layout. A fixed share of hosts leak, each with one kind and a
 * constant rate (a slab cache, a vmalloc caller, or memory in no counter); what was injected is
 * written to {@code OUT.truth.tsv} beside the folder (not inside: the folder holds captures only),
 * so a benchmark can check that the leaking hosts are found. Same options and seed, same bytes.
 *
 * <pre>
 * java -cp "$(bench/classpath.sh)" dev.leakdx.bench.FleetCaptureGenerator --out DIR
 *     [--hosts 1000] [--days 10] [--crash 300] [--leak-share 0.05] [--seed 1] [--start 2026-11-01] [--cases cases]
 * </pre>
 */
public final class FleetCaptureGenerator {

    /** What a leaking host leaks; the verdict code a diagnosis of its last capture should give. */
    public enum Kind {
        SLAB("SLAB_LEAK"), VMALLOC("VMALLOC_LEAK"), UNACCOUNTED("UNACCOUNTED_KERNEL_MEMORY");

        public final String code;

        Kind(String code) { this.code = code; }

        public String label() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * A real capture folder used as a host's files. {@code sub} is the folder inside the case that
     * holds the snapshot ("" for the case root); {@code files} keeps only those paths (null: all but
     * the case's own expected.yaml and case.yaml); {@code into} is where they go in the capture.
     * kernel and arch are what the case's expected.yaml documents about the host; they are stated in
     * case.yaml only when leakdx cannot read them from the files themselves.
     */
    record TemplateSpec(String caseName, String sub, List<String> files, String into, String kernel, String arch, String noUnaccounted) {
        TemplateSpec(String caseName, String sub, List<String> files, String into, String kernel, String arch) {
            this(caseName, sub, files, into, kernel, arch, null);
        }
    }

    /**
     * The /proc templates: healthy captures (diagnosed as healthy or info only) of nine kernels from
     * 3.2 to 6.12, two architectures (x86_64 and 32-bit ARM). No healthy arm64 /proc capture exists
     * under cases/; the crash templates bring arm64. lab-baseline-6.12-0 is the lab guest before its
     * (empty) injection, cut to the kernel's counter files: its per-process smaps and page-types would
     * have to be rewritten with every counter, and a fleet agent collecting daily would not send them.
     */
    static final List<TemplateSpec> PROC = List.of(
            new TemplateSpec("healthy-lab-baseline-before", "proc", null, "proc", "6.1.0-56-amd64", "x86_64"),
            new TemplateSpec("lab-baseline-6.12-0", "proc-before",
                    List.of("meminfo", "vmstat", "buddyinfo", "slabinfo", "zoneinfo", "vmallocinfo", "pagetypeinfo", "dmesg.txt", "modules.txt"),
                    "proc", "6.12.118+deb12-amd64", "x86_64"),
            new TemplateSpec("healthy-hotsos-k8s-worker", "proc", null, "proc", "5.4.0-99-generic", "x86_64"),
            // a Hyper-V guest whose hv_balloon already leaves 5.28 GiB in no counter: leakdx reads more memory in no counter
            // there as the balloon (rules/unaccounted.drl), rightly, so that kind of leak is not injected on it
            new TemplateSpec("healthy-ocp-master-sos", "proc", null, "proc", "4.18.0-80.11.2.el8_0", "x86_64",
                    "Hyper-V guest: memory in no counter reads as the hv_balloon"),
            new TemplateSpec("healthy-el9-cloud-vm-5.14", "proc", null, "proc", "5.14.0-325.el9.x86_64", "x86_64"),
            new TemplateSpec("healthy-insights-rhel7-base", "proc", null, "proc", "3.10.0-514.el7.x86_64", "x86_64"),
            new TemplateSpec("healthy-ubuntu1204-3.2-8g", "proc", null, "proc", "3.2.0-58-generic", "x86_64"),
            new TemplateSpec("healthy-zynq-miner-arm32-4.4", "proc", null, "proc", "4.4.0-xilinx", "armv7l"),
            new TemplateSpec("healthy-mtk-arm32-3.4", "proc", null, "proc", "3.4.5", "armv7l"));

    /**
     * The crash templates: small transcripts only (no multi-MB kmem -m / kmem -p tables, whose cost is
     * measured by bench/run.sh). case2-crash is kept whole (its /proc files came with the transcript);
     * founding case 1 without its healthy twin node-1/ (a second host). Their kernels are stated only
     * where the case documents a full release; case 1 and 2 say "4.18" on arm64, not a release.
     */
    static final List<TemplateSpec> CRASH = List.of(
            new TemplateSpec("case2-crash", "", null, "", null, "aarch64"),
            new TemplateSpec("case1-seed", "", List.of("vmcore-session.txt", "vmcore-dmesg.txt", "kmem-m-grouped.txt"), "", null, "aarch64"),
            new TemplateSpec("lab-baseline", "", List.of("crash/session.txt"), "", "6.1.0-56-amd64", "x86_64"),
            new TemplateSpec("lab-thp", "", List.of("crash/session.txt"), "", "6.1.0-56-amd64", "x86_64"),
            new TemplateSpec("lab-pfrag", "", List.of("crash/session.txt"), "", "6.1.0-56-amd64", "x86_64"),
            new TemplateSpec("lab-nic-ring-6.1-5", "", List.of("crash/session.txt"), "", "6.1.0-56-amd64", "x86_64"));

    /** Unreclaimable caches every slab allocator has; a slab leak grows one of them (the one present in the template). */
    static final List<List<String>> SLAB_CANDIDATES = List.of(List.of("kmalloc-192"), List.of("kmalloc-512"), List.of("kmalloc-1k", "kmalloc-1024"));

    /** vmalloc callers of a made-up out-of-tree module: the fleet report must find them by name, and no real driver is blamed. */
    static final List<String> VMALLOC_CALLERS = List.of(
            "acme_nic_alloc_rx_ring+0x7c/0x1e0 [acme_nic]",
            "acme_fs_grow_cache+0x2a/0x90 [acme_fs]",
            "acme_crypto_ctx_new+0x58/0x140 [acme_crypto]");

    /**
     * The last capture holds 25-40% of RAM in the leak (less on a host short of memory): far above every norm, so a
     * diagnosis of that one snapshot names it, while the first days' captures may still look healthy.
     */
    static final double LEAK_MIN = 0.25, LEAK_MAX = 0.40;

    /**
     * ... and never less than 96 MiB when the host has room for it: on a 246 MiB board a quarter of RAM is 62 MiB, under the
     * 64 MiB floors of rules/norms.yaml (VmallocUsed, SUnreclaim, the budget gap), so one snapshot could not show it.
     */
    static final long MIN_LEAK_BYTES = 96L << 20;

    /** Healthy day-to-day swing as shares of MemTotal: applications' anonymous memory and the page cache. */
    static final double ANON_NOISE = 0.015, CACHE_NOISE = 0.04;

    /** MemFree is not driven below this share of MemTotal: below it, the kernel reclaims page cache instead. */
    static final double FREE_FLOOR = 0.02;

    /** Areas of a vmalloc leak stay at 512 pages or fewer: larger ones print "vpages" on some kernels and not on others. */
    static final int MAX_AREA_PAGES = 512, MIN_AREAS_PER_DAY = 16;

    public record Options(Path casesDir, Path out, int hosts, int days, int crash, double leakShare, long seed, LocalDate start) {
        public static Options defaults(Path out) {
            return new Options(Path.of("cases"), out, 1000, 10, 300, 0.05, 1, LocalDate.of(2026, 11, 1));
        }

        public Options with(int hosts, int days, int crash) {
            return new Options(casesDir, out, hosts, days, crash, leakShare, seed, start);
        }
    }

    /** One leaking host: the kind, what grows (cache or caller), and the rate actually injected. */
    public record Truth(String host, String template, String kernel, Kind kind, String subject, double mibPerDay,
                        String firstCapture, String lastCapture) {}

    /** What was written. */
    public record Summary(int procCaptures, int crashCaptures, long bytes, long files, List<Truth> truth, Map<String, Integer> hostsByTemplate) {}

    public static void main(String[] args) throws IOException {
        Path out = null;
        Options o = Options.defaults(Path.of("fleet"));
        Path cases = o.casesDir();
        int hosts = o.hosts(), days = o.days(), crash = o.crash();
        double share = o.leakShare();
        long seed = o.seed();
        LocalDate start = o.start();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--cases" -> cases = Path.of(args[++i]);
                case "--hosts" -> hosts = Integer.parseInt(args[++i]);
                case "--days" -> days = Integer.parseInt(args[++i]);
                case "--crash" -> crash = Integer.parseInt(args[++i]);
                case "--leak-share" -> share = Double.parseDouble(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--start" -> start = LocalDate.parse(args[++i]);
                default -> {
                    System.err.println("usage: FleetCaptureGenerator --out DIR [--hosts 1000] [--days 10] [--crash 300] [--leak-share 0.05] "
                            + "[--seed 1] [--start 2026-11-01] [--cases cases]");
                    System.exit(2);
                }
            }
        }
        if (out == null || hosts < 1 || days < 3 || crash < 0 || share < 0 || share > 1) {
            System.err.println("FleetCaptureGenerator: --out is required; --hosts >= 1, --days >= 3 (a trend needs three points), 0 <= --leak-share <= 1");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        Summary s = generate(new Options(cases, out, hosts, days, crash, share, seed, start));
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<Kind, Integer> byKind = new TreeMap<>();
        for (Truth t : s.truth()) byKind.merge(t.kind(), 1, Integer::sum);
        System.out.printf(Locale.ROOT, "proc_captures=%d crash_captures=%d files=%d bytes=%d seconds=%.2f leaking_hosts=%d %s%n",
                s.procCaptures(), s.crashCaptures(), s.files(), s.bytes(), secs, s.truth().size(),
                byKind.entrySet().stream().map(e -> e.getKey().label() + "=" + e.getValue()).reduce((a, b) -> a + " " + b).orElse(""));
    }

    /** Writes the fleet into {@code o.out()} (which must not hold captures already) and {@code o.out()}.truth.tsv. */
    public static Summary generate(Options o) throws IOException {
        Files.createDirectories(o.out());
        try (Stream<Path> s = Files.list(o.out())) {
            if (s.findAny().isPresent()) throw new IOException(o.out() + " is not empty: the fleet is written into an empty folder");
        }
        ExtractorRegistry registry = ExtractorRegistry.load(null);
        List<Template> proc = new ArrayList<>();
        for (TemplateSpec t : PROC) proc.add(Template.load(o.casesDir(), t, registry));
        List<Template> crash = new ArrayList<>();
        for (TemplateSpec t : CRASH) crash.add(Template.load(o.casesDir(), t, registry));

        SplittableRandom fleetRng = new SplittableRandom(o.seed());
        int width = Math.max(4, Integer.toString(Math.max(o.hosts(), o.crash())).length());
        // which hosts leak: a fixed number, spread over the fleet by a seeded shuffle
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < o.hosts(); i++) order.add(i);
        Collections.shuffle(order, new java.util.Random(fleetRng.nextLong()));
        int leaking = (int) Math.round(o.hosts() * o.leakShare());
        Map<Integer, Integer> leakIndex = new TreeMap<>();
        for (int k = 0; k < leaking; k++) leakIndex.put(order.get(k), k);

        int[] kindCounts = new int[Kind.values().length];
        List<Truth> truth = new ArrayList<>();
        Map<String, Integer> byTemplate = new LinkedHashMap<>();
        long[] written = new long[2];
        DateTimeFormatter day = DateTimeFormatter.BASIC_ISO_DATE;
        for (int h = 0; h < o.hosts(); h++) {
            Template t = proc.get(h % proc.size());
            String host = String.format(Locale.ROOT, "host-%0" + width + "d", h + 1);
            byTemplate.merge(t.spec.caseName(), 1, Integer::sum);
            // one stream per host, from the seed and the host's number alone: a host's captures do not depend on the others
            SplittableRandom rng = new SplittableRandom(o.seed() * 1_000_003L + h);
            int minuteOfDay = 6 * 60 + rng.nextInt(12 * 60);
            Leak leak = null;
            Integer k = leakIndex.get(h);
            if (k != null) {
                leak = t.leak(kindCounts, rng, o.days());
                kindCounts[leak.kind.ordinal()]++;
            }
            String first = null, last = null;
            for (int d = 0; d < o.days(); d++) {
                LocalDate date = o.start().plusDays(d);
                String name = host + "-" + date.format(day);
                Instant at = date.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(minuteOfDay * 60L);
                Path dir = o.out().resolve(name);
                Map<String, byte[]> files = t.day(d, leak, rng);
                write(dir, files, caseYaml(t, host, at, "template cases/" + t.spec.caseName() + ", day " + (d + 1) + " of " + o.days()), written);
                if (first == null) first = name;
                last = name;
            }
            if (leak != null) truth.add(new Truth(host, t.spec.caseName(), t.kernel(), leak.kind, leak.subject, leak.mibPerDay(), first, last));
        }
        for (int c = 0; c < o.crash(); c++) {
            Template t = crash.get(c % crash.size());
            SplittableRandom rng = new SplittableRandom(o.seed() * 1_000_003L + 500_000_000L + c);
            String host = String.format(Locale.ROOT, "vmcore-%0" + width + "d", c + 1);
            LocalDate date = o.start().plusDays(rng.nextInt(o.days()));
            Instant at = date.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(rng.nextInt(24 * 3600));
            write(o.out().resolve(host + "-" + date.format(day)), t.files,
                    caseYaml(t, host, at, "crash transcript, template cases/" + t.spec.caseName()), written);
            byTemplate.merge(t.spec.caseName(), 1, Integer::sum);
        }
        writeTruth(Path.of(o.out().toString().replaceAll("/+$", "") + ".truth.tsv"), truth);
        return new Summary(o.hosts() * o.days(), o.crash(), written[1], written[0], truth, byTemplate);
    }

    static void writeTruth(Path file, List<Truth> truth) throws IOException {
        StringBuilder b = new StringBuilder("host\ttemplate\tkernel\tkind\tsubject\trate_mib_per_day\tfirst_capture\tlast_capture\n");
        for (Truth t : truth)
            b.append(String.join("\t", t.host(), t.template(), t.kernel() == null ? "" : t.kernel(), t.kind().label(), t.subject(),
                    String.format(Locale.ROOT, "%.6f", t.mibPerDay()), t.firstCapture(), t.lastCapture())).append('\n');
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    /** Reads OUT.truth.tsv back (the benchmark's checks and the test use it). */
    public static List<Truth> readTruth(Path file) throws IOException {
        List<Truth> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            out.add(new Truth(f[0], f[1], f[2].isEmpty() ? null : f[2], Kind.valueOf(f[3].toUpperCase(Locale.ROOT)), f[4],
                    Double.parseDouble(f[5]), f[6], f[7]));
        }
        return out;
    }

    /** The bundle's case.yaml: who and when, and the host facts the files cannot tell. */
    static byte[] caseYaml(Template t, String host, Instant at, String what) {
        StringBuilder b = new StringBuilder("# fleet benchmark capture written by dev.leakdx.bench.FleetCaptureGenerator: ").append(what).append('\n');
        if (!t.stated.isEmpty()) {
            b.append("host: {");
            String sep = "";
            for (var e : t.stated.entrySet()) {
                b.append(sep).append(e.getKey()).append(": \"").append(e.getValue()).append('"');
                sep = ", ";
            }
            b.append("}\n");
        }
        b.append("capture: {hostname: ").append(host).append(", time: \"").append(at).append("\"}\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Path dir, Map<String, byte[]> files, byte[] caseYaml, long[] written) throws IOException {
        Files.createDirectories(dir);
        for (var e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
            written[0]++;
            written[1] += e.getValue().length;
        }
        Files.write(dir.resolve("case.yaml"), caseYaml);
        written[0]++;
        written[1] += caseYaml.length;
    }

    /** A leak on one host: bytes at day d are {@code (d + 1) * perDay} units of {@code unitBytes}; day 0 already holds one day's worth. */
    record Leak(Kind kind, String subject, long unitsPerDay, long unitBytes, int areaPages) {
        long bytesAt(int d) { return (d + 1L) * unitsPerDay * unitBytes; }

        double mibPerDay() { return unitsPerDay * unitBytes / 1048576.0; }
    }

    /** A template loaded once: its files, the counters the generator moves, and what it can leak. */
    static final class Template {
        final TemplateSpec spec;
        final Map<String, byte[]> files = new TreeMap<>();
        final Map<String, String> stated = new LinkedHashMap<>();
        final String meminfoPath, slabinfoPath, vmallocPath;
        final List<String> meminfo, slabinfo, vmalloc;
        final Map<String, Long> mem = new LinkedHashMap<>();
        final long pageSize;
        final List<Kind> kinds = new ArrayList<>();
        final List<String> caches = new ArrayList<>();
        double minShare, maxShare;
        long availKb;
        boolean budgetComplete;
        // vmallocinfo: how new lines look (addresses real, hashed or "(____ptrval____)"; NUMA counts) and where they go
        String addressStyle = "hashed";
        boolean numa;
        int insertAfter = -1;
        long nextStart, room = Long.MAX_VALUE;
        int addressDigits = 16;

        private Template(TemplateSpec spec, Path root, long pageSize) throws IOException {
            this.spec = spec;
            this.pageSize = pageSize;
            Path from = spec.sub().isEmpty() ? root : root.resolve(spec.sub());
            List<Path> paths;
            try (Stream<Path> s = Files.walk(from)) {
                paths = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path p : paths) {
                String rel = from.relativize(p).toString().replace('\\', '/');
                if (spec.files() == null ? (rel.equals("expected.yaml") || rel.equals("case.yaml")) : !spec.files().contains(rel)) continue;
                files.put(spec.into().isEmpty() ? rel : spec.into() + "/" + rel, Files.readAllBytes(p));
            }
            if (spec.files() != null && files.size() != spec.files().size())
                throw new IOException("template " + spec.caseName() + ": some of " + spec.files() + " are missing under " + from);
            String pre = spec.into().isEmpty() ? "" : spec.into() + "/";
            meminfoPath = files.containsKey(pre + "meminfo") ? pre + "meminfo" : null;
            slabinfoPath = files.containsKey(pre + "slabinfo") ? pre + "slabinfo" : null;
            vmallocPath = files.containsKey(pre + "vmallocinfo") ? pre + "vmallocinfo" : null;
            meminfo = lines(meminfoPath);
            slabinfo = lines(slabinfoPath);
            vmalloc = lines(vmallocPath);
            for (String l : meminfo) {
                Matcher m = MEMINFO.matcher(l);
                if (m.matches()) mem.put(m.group(1), Long.parseLong(m.group(3)));
            }
        }

        private List<String> lines(String path) {
            if (path == null) return List.of();
            return new String(files.get(path), StandardCharsets.UTF_8).lines().toList();
        }

        String kernel() { return spec.kernel(); }

        static Template load(Path cases, TemplateSpec spec, ExtractorRegistry registry) throws IOException {
            Path root = cases.resolve(spec.caseName());
            if (!Files.isDirectory(root)) throw new IOException("template " + root + " not found (run from the repository root, or give --cases)");
            // what leakdx reads off the template's own files, host facts settled as a diagnosis settles them
            Map<String, String> fromFiles = new LinkedHashMap<>();
            List<Object> meminfoCounters = new ArrayList<>(), hugePagesTotal = new ArrayList<>();
            Template probe = new Template(spec, root, 0);
            Path tmp = Files.createTempDirectory("fleet-template-");
            try {
                for (var e : probe.files.entrySet()) {
                    Path p = tmp.resolve(e.getKey());
                    Files.createDirectories(p.getParent());
                    Files.write(p, e.getValue());
                }
                try (Capture c = CaptureOpener.open(tmp)) {
                    Sink sink = new Extractor(registry).extract(c);
                    for (Fact f : HostInference.settle(sink.facts(), Manifest.EMPTY, new Sink())) {
                        if (f instanceof HostFact h) fromFiles.put(h.key(), h.value());
                        if (f instanceof MemCounter m && m.source().equals("meminfo") && m.provenance().host().isEmpty()
                                && m.provenance().snapshot().isEmpty()) meminfoCounters.add(m);
                        if (f instanceof EventCounter e && e.source().equals("meminfo") && e.name().equals("HugePages_Total")) hugePagesTotal.add(e);
                    }
                }
            } finally {
                try (Stream<Path> s = Files.walk(tmp)) {
                    for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            }
            long ps = Long.parseLong(fromFiles.getOrDefault("page_size", "4096"));
            Template t = new Template(spec, root, ps);
            // state only what the files do not give: a case.yaml that repeats the files adds nothing and could disagree
            if (spec.kernel() != null && !fromFiles.containsKey("kernel_release")) t.stated.put("kernel_release", spec.kernel());
            if (spec.arch() != null && !fromFiles.containsKey("arch")) t.stated.put("arch", spec.arch());
            // memory in no counter shows only where leakdx can compute the meminfo budget's gap: a meminfo without a line
            // it needs (the 32-bit ARM ones print no hugetlb lines at all) has no gap, and such a leak would be invisible
            t.budgetComplete = !meminfoCounters.isEmpty() && MeminfoBudget.missing(meminfoCounters, hugePagesTotal).isEmpty();
            t.decideKinds();
            return t;
        }

        /** What this template can leak without inventing a file it does not have. */
        private void decideKinds() {
            if (meminfoPath == null) return;
            long total = mem.getOrDefault("MemTotal", 0L) * 1024;
            long avail = mem.containsKey("MemAvailable") ? mem.get("MemAvailable") * 1024
                    : (mem.getOrDefault("MemFree", 0L) + mem.getOrDefault("Cached", 0L)) * 1024;
            if (total <= 0) return;
            availKb = avail / 1024;
            // a host short of memory (a ballooned VM) leaks less: at most 60% of what it has available; none at all when that is under 10% of RAM
            maxShare = Math.min(LEAK_MAX, 0.6 * avail / total);
            minShare = Math.min(LEAK_MIN, maxShare * 0.6);
            if (maxShare < 0.10) return;
            if (slabinfoPath != null && mem.containsKey("SUnreclaim") && mem.containsKey("Slab")) {
                for (List<String> names : SLAB_CANDIDATES)
                    for (String n : names)
                        if (slabRow(n) >= 0) {
                            caches.add(n);
                            break;
                        }
                if (!caches.isEmpty()) kinds.add(Kind.SLAB);
            }
            long largest = (long) Math.max(maxShare * total, Math.min(MIN_LEAK_BYTES, 0.6 * avail));   // as leak() sizes it
            if (vmallocPath != null && planVmalloc((long) (largest * 1.2))) kinds.add(Kind.VMALLOC);
            if (budgetComplete && spec.noUnaccounted() == null) kinds.add(Kind.UNACCOUNTED);
        }

        int slabRow(String cache) {
            for (int i = 0; i < slabinfo.size(); i++) if (slabinfo.get(i).startsWith(cache + " ")) return i;
            return -1;
        }

        /**
         * How new vmalloc lines look and where they go: after the last vmalloc'd area when addresses are hashed or hidden,
         * in the widest free range between two areas when they are real. False when there is no room for {@code need} bytes.
         */
        private boolean planVmalloc(long need) {
            long maxEnd = -1;
            int digits = 16;
            boolean real = true, any = false;
            for (int i = 0; i < vmalloc.size(); i++) {
                Matcher m = VMALLOC.matcher(vmalloc.get(i));
                if (!m.matches()) continue;
                String rest = m.group(4);
                if (m.group(1) == null) {
                    addressStyle = "ptrval";
                    real = false;
                }
                if (rest.contains(" N0=") || rest.contains(" N1=")) numa = true;
                if (m.group(1) != null) {
                    digits = m.group(1).length();
                    long s = Long.parseUnsignedLong(m.group(1), 16);
                    if ((s & 0xfff) != 0) real = false;   // %pK hashes addresses to unaligned values
                    if (rest.contains("pages=") && rest.contains("vmalloc")) {
                        any = true;
                        long e = Long.parseUnsignedLong(m.group(2), 16);
                        if (Long.compareUnsigned(e, maxEnd) > 0 || maxEnd == -1) {
                            maxEnd = e;
                            insertAfter = i;
                        }
                    }
                } else if (rest.contains("pages=")) {
                    any = true;
                    insertAfter = i;
                }
            }
            if (!any) return false;
            addressDigits = digits;
            if (real) {
                addressStyle = "real";
                // the widest free range between two areas above the lowest vmalloc'd area (on 32-bit ARM the module
                // area lies below the vmalloc range and ioremaps sit at its top): new areas go there, in address order
                List<long[]> areas = new ArrayList<>();
                long lowest = -1;
                for (int i = 0; i < vmalloc.size(); i++) {
                    Matcher m = VMALLOC.matcher(vmalloc.get(i));
                    if (!m.matches() || m.group(1) == null) continue;
                    long s = Long.parseUnsignedLong(m.group(1), 16), e = Long.parseUnsignedLong(m.group(2), 16);
                    areas.add(new long[] {s, e, i});
                    if (m.group(4).contains("pages=") && (lowest == -1 || Long.compareUnsigned(s, lowest) < 0)) lowest = s;
                }
                areas.sort((x, y) -> Long.compareUnsigned(x[0], y[0]));
                room = -1;
                for (int i = 0; i < areas.size(); i++) {
                    long[] a = areas.get(i);
                    if (Long.compareUnsigned(a[0], lowest) < 0) continue;
                    boolean top = i + 1 == areas.size();
                    // above the highest area only on 64-bit, where the vmalloc range is terabytes wide
                    long gap = top ? (digits > 8 ? Long.MAX_VALUE : -1) : areas.get(i + 1)[0] - a[1] - 2 * pageSize;
                    if (gap > room) {
                        room = gap;
                        nextStart = a[1] + pageSize;   // a guard page's gap, as between the kernel's own areas
                        insertAfter = (int) a[2];
                    }
                }
                if (room < need) return false;
            } else if (mem.containsKey("VmallocTotal")) {
                if (mem.get("VmallocTotal") * 1024 < need * 2) return false;
            }
            return true;
        }

        /** A leak for a host of this template: of the kinds it can leak, the one the fleet has fewest of so far (kinds stay balanced). */
        Leak leak(int[] kindCounts, SplittableRandom rng, int days) {
            Kind kind = null;
            for (Kind c : kinds) if (kind == null || kindCounts[c.ordinal()] < kindCounts[kind.ordinal()]) kind = c;
            if (kind == null) throw new IllegalStateException("template " + spec.caseName() + " can leak nothing");
            long total = mem.get("MemTotal") * 1024;
            double share = minShare + (maxShare - minShare) * rng.nextDouble();
            double perDay = Math.max(share * total, Math.min(MIN_LEAK_BYTES, 0.6 * availKb * 1024)) / days;
            switch (kind) {
                case SLAB -> {
                    String cache = caches.get(rng.nextInt(caches.size()));
                    long[] row = slabNumbers(slabinfo.get(slabRow(cache)));
                    long slabBytes = row[4] * pageSize;
                    return new Leak(kind, cache, Math.max(1, Math.round(perDay / slabBytes)), slabBytes, 0);
                }
                case VMALLOC -> {
                    String caller = VMALLOC_CALLERS.get(rng.nextInt(VMALLOC_CALLERS.size()));
                    long pages = Math.max(1, Math.round(perDay / pageSize));
                    long areas = Math.max(MIN_AREAS_PER_DAY, (pages + MAX_AREA_PAGES - 1) / MAX_AREA_PAGES);
                    int areaPages = (int) Math.max(1, Math.round((double) pages / areas));
                    return new Leak(kind, caller, areas, (long) areaPages * pageSize, areaPages);
                }
                default -> {
                    return new Leak(kind, "(no counter)", Math.max(1, Math.round(perDay / 1024)), 1024, 0);
                }
            }
        }

        /** One day's files: the template's, with meminfo, slabinfo and vmallocinfo moved by the noise and the leak. */
        Map<String, byte[]> day(int d, Leak leak, SplittableRandom rng) {
            if (meminfoPath == null) return files;
            Map<String, byte[]> out = new TreeMap<>(files);
            Map<String, Long> kb = new LinkedHashMap<>(mem);
            long total = mem.get("MemTotal");
            // healthy noise: applications' anon memory and the page cache come and go; anon moves MemAvailable, the cache barely does
            long anon = Math.round(total * ANON_NOISE * (2 * rng.nextDouble() - 1));
            long cache = Math.round(total * CACHE_NOISE * (2 * rng.nextDouble() - 1));
            if (kb.containsKey("Active(anon)")) anon = Math.max(anon, -kb.get("Active(anon)") / 2);
            if (kb.containsKey("AnonPages")) anon = Math.max(anon, -kb.get("AnonPages") / 2);
            cache = Math.max(cache, -kb.getOrDefault("Cached", 0L) / 2);
            if (kb.getOrDefault("Inactive(file)", Long.MAX_VALUE) < -cache) cache = -kb.get("Inactive(file)") / 2;
            long leakKb = leak == null ? 0 : leak.bytesAt(d) / 1024;
            long floor = Math.round(total * FREE_FLOOR);
            long free = kb.get("MemFree") - anon - cache - leakKb;
            if (free < floor) {
                // memory is short: the kernel reclaims page cache rather than let MemFree go under its watermarks
                long reclaim = Math.max(0, Math.min(floor - free, kb.getOrDefault("Cached", 0L) + cache - 1));
                cache -= reclaim;
                free += reclaim;
            }
            add(kb, "MemFree", free - kb.get("MemFree"));
            add(kb, "MemAvailable", -anon - leakKb);
            add(kb, "AnonPages", anon);
            add(kb, "Active(anon)", anon);
            add(kb, "Active", anon);
            add(kb, "Cached", cache);
            add(kb, "Inactive(file)", cache);
            add(kb, "Inactive", cache);
            if (leak != null && leak.kind == Kind.SLAB) {
                add(kb, "Slab", leakKb);
                add(kb, "SUnreclaim", leakKb);
                out.put(slabinfoPath, bytes(slabDay(leak, d)));
            }
            if (leak != null && leak.kind == Kind.VMALLOC) {
                // VmallocUsed is 0 on 4.4-5.2 kernels (not computed); elsewhere it counts the new areas' pages
                if (kb.getOrDefault("VmallocUsed", 0L) > 0) add(kb, "VmallocUsed", leakKb);
                out.put(vmallocPath, bytes(vmallocDay(leak, d, rng)));
            }
            out.put(meminfoPath, bytes(meminfoWith(kb)));
            return out;
        }

        private static void add(Map<String, Long> kb, String key, long delta) {
            if (kb.containsKey(key)) kb.put(key, Math.max(0, kb.get(key) + delta));
        }

        private static byte[] bytes(List<String> lines) {
            StringBuilder b = new StringBuilder();
            for (String l : lines) b.append(l).append('\n');
            return b.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** meminfo with new values, each right-aligned where the template's value ended (the kernel prints them %8lu after the padded name). */
        private List<String> meminfoWith(Map<String, Long> kb) {
            List<String> out = new ArrayList<>(meminfo.size());
            for (String l : meminfo) {
                Matcher m = MEMINFO.matcher(l);
                if (!m.matches() || kb.get(m.group(1)).longValue() == mem.get(m.group(1)).longValue()) {
                    out.add(l);
                    continue;
                }
                String head = m.group(1) + ":", pad = m.group(2), value = Long.toString(kb.get(m.group(1)));
                int width = pad.length() + m.group(3).length();
                out.add(head + " ".repeat(Math.max(1, width - value.length())) + value + m.group(4));
            }
            return out;
        }

        /** The leaking cache's row after d + 1 days of whole slabs, full of live objects, in slabinfo 2.1's own column widths. */
        private List<String> slabDay(Leak leak, int d) {
            List<String> out = new ArrayList<>(slabinfo);
            int i = slabRow(leak.subject);
            long[] n = slabNumbers(slabinfo.get(i));
            long slabs = (d + 1L) * leak.unitsPerDay;
            long objs = slabs * n[3];
            out.set(i, String.format(Locale.ROOT, "%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d : slabdata %6d %6d %6d",
                    leak.subject, n[0] + objs, n[1] + objs, n[2], n[3], n[4], n[5], n[6], n[7], n[8] + slabs, n[9] + slabs, n[10]));
            return out;
        }

        /** active_objs, num_objs, objsize, objperslab, pagesperslab, limit, batchcount, sharedfactor, active_slabs, num_slabs, sharedavail. */
        static long[] slabNumbers(String row) {
            Matcher m = SLABROW.matcher(row);
            if (!m.matches()) throw new IllegalStateException("not a slabinfo 2.1 row: " + row);
            long[] n = new long[11];
            for (int i = 0; i < 11; i++) n[i] = Long.parseLong(m.group(i + 2));
            return n;
        }

        /** The template's vmallocinfo with the leak's areas so far (day 0 to d), each drawn from the host's stream in order. */
        private List<String> vmallocDay(Leak leak, int d, SplittableRandom rng) {
            List<String> added = new ArrayList<>();
            long areas = (d + 1L) * leak.unitsPerDay;
            long size = (leak.areaPages + 1L) * pageSize;   // the size column counts the guard page, as the template's lines do
            // hashed addresses must be the same every day for the same area: from a stream of the leak alone
            SplittableRandom addr = new SplittableRandom(leak.subject.hashCode() * 31L + leak.unitsPerDay);
            long start = nextStart;
            for (long a = 0; a < areas; a++) {
                String range = switch (addressStyle) {
                    case "ptrval" -> "0x(____ptrval____)-0x(____ptrval____)";
                    case "real" -> {
                        String r = hex(start) + "-" + hex(start + size);
                        start += size;
                        yield r;
                    }
                    default -> hex(addr.nextLong() & 0xffffffffL) + "-" + hex(addr.nextLong() & 0xffffffffL);
                };
                added.add(String.format(Locale.ROOT, "%s %7d %s pages=%d vmalloc%s", range, size, leak.subject, leak.areaPages,
                        numa ? " N0=" + leak.areaPages : ""));
            }
            List<String> out = new ArrayList<>(vmalloc.size() + added.size());
            out.addAll(vmalloc.subList(0, insertAfter + 1));
            out.addAll(added);
            out.addAll(vmalloc.subList(insertAfter + 1, vmalloc.size()));
            return out;
        }

        private String hex(long v) {
            String h = Long.toHexString(v);
            return "0x" + "0".repeat(Math.max(0, addressDigits - h.length())) + h;
        }
    }

    static final Pattern MEMINFO = Pattern.compile("^([A-Za-z0-9_()]+):(\\s+)(\\d+)((?: kB)?\\s*)$");
    static final Pattern VMALLOC = Pattern.compile("^0x(?:([0-9a-fA-F]+)|\\(_*ptrval_*\\))-0x(?:([0-9a-fA-F]+)|\\(_*ptrval_*\\))\\s+(\\d+)(.*)$");
    static final Pattern SLABROW = Pattern.compile("^(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+:\\s+tunables\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)"
            + "\\s+:\\s+slabdata\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$");
}
