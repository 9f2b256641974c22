package dev.leakdx.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies what leakdx reads from a running host into a capture folder laid out like the lab
 * bundles the extractors already know (proc/meminfo, proc/slabinfo, proc/dmesg.txt,
 * proc/page-types.txt, proc/smaps/PID.COMM.status, ...), with a case.yaml stating the host
 * (architecture, page size, kernel release: never assumed) and listing every input it could not
 * read. Diagnosing the live host is diagnosing this folder, so a bundle sent to an expert gives
 * the same verdicts as the live run.
 */
public final class LiveCollector {
    /** What a collection produced: the folder, the files written (relative), what could not be read, the host facts stated. */
    public record Result(Path root, List<String> files, List<MissingInput> missing, Map<String, String> host,
                         String whenWhere, String dropReport, Map<String, String> redactions) {
        public Result(Path root, List<String> files, List<MissingInput> missing, Map<String, String> host) {
            this(root, files, missing, host, "", null, Map.of());
        }
    }

    /** Drops the host's caches; tests stand in for the kernel (no root needed). */
    @FunctionalInterface
    public interface DropAction {
        void drop() throws IOException;
    }

    private static final Pattern STATUS_NAME = Pattern.compile("^Name:\\s*(.*)$", Pattern.MULTILINE);
    private static final Pattern KERNEL_PAGE_SIZE = Pattern.compile("^KernelPageSize:\\s+(\\d+) kB\\s*$", Pattern.MULTILINE);

    /** The /proc files copied as they are, with what each adds when present. */
    private static final String[][] PROC_FILES = {
            {"meminfo", "the memory budget: where RAM went"},
            {"vmstat", "page counters: kernel stacks, THP splits and allocation activity"},
            {"slabinfo", "per-cache slab sizes: which slab cache grows (root only)"},
            {"buddyinfo", "free pages by order in each zone: fragmentation"},
            {"zoneinfo", "free pages and watermarks per zone"},
            {"vmallocinfo", "vmalloc areas with their callers: vmalloc and ioremap leaks (callers need root)"},
    };

    private final Path proc;
    private final Path kmsg;
    private final Consumer<String> progress;
    private final DropAction drop;

    public LiveCollector(Consumer<String> progress) {
        this(Path.of("/proc"), Path.of("/dev/kmsg"), progress);
    }

    /** With other roots: tests point it at a fake /proc tree; the drop writes 3 to its sys/vm/drop_caches. */
    public LiveCollector(Path proc, Path kmsg, Consumer<String> progress) {
        this(proc, kmsg, progress, null);
    }

    /** With the drop action given too (null: write 3 to sys/vm/drop_caches under {@code proc}). */
    public LiveCollector(Path proc, Path kmsg, Consumer<String> progress, DropAction drop) {
        this.proc = proc;
        this.kmsg = kmsg;
        this.progress = progress;
        this.drop = drop != null ? drop : () -> Files.writeString(proc.resolve("sys/vm/drop_caches"), "3\n");
    }

    public Result collect(Path root, boolean dropCaches) throws IOException {
        return collect(root, dropCaches, false);
    }

    /**
     * Collects into {@code root} (created if needed). With {@code dropCaches}, first a full set into
     * proc-before/, then {@code echo 3 > /proc/sys/vm/drop_caches}, then proc/; meminfo is also kept
     * as proc/meminfo.before_drop_caches and .after_drop_caches, the pair the delta rules compare,
     * and drop-caches.txt says what the drop freed ({@link DropCachesReport}). With {@code redact},
     * the folder is then rewritten by {@link BundleRedactor} (host, process and cgroup names,
     * addresses, IPs, UUIDs), case.yaml and drop-caches.txt included.
     */
    public Result collect(Path root, boolean dropCaches, boolean redact) throws IOException {
        Files.createDirectories(root);
        List<String> files = new ArrayList<>();
        List<MissingInput> missing = new ArrayList<>();
        Map<String, String> host = host();
        long pageSize = Long.parseLong(host.getOrDefault("page_size", "0"));
        Map<String, Object> capture = new LinkedHashMap<>();
        capture.put("tool", "leakdx capture");
        String hostname = text("sys/kernel/hostname");
        String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        capture.put("hostname", hostname);
        capture.put("time", time);
        capture.put("kernel_version", text("version"));
        capture.put("drop_caches", dropCaches);
        if (redact) capture.put("redacted", "host, process and cgroup names, user names, kernel addresses, IP and MAC addresses, UUIDs");
        String whenWhere = whenWhere(time, hostname, host.getOrDefault("kernel_release", ""));

        String dropText = null;
        if (dropCaches) {
            progress.accept("before drop_caches: proc-before/");
            snapshot(root, "proc-before", pageSize, files, new ArrayList<>());
            progress.accept("echo 3 > /proc/sys/vm/drop_caches");
            drop.drop();
        }
        snapshot(root, "proc", pageSize, files, missing);
        if (dropCaches) {
            copyAs(root, "proc-before/meminfo", "proc/meminfo.before_drop_caches", files);
            copyAs(root, "proc/meminfo", "proc/meminfo.after_drop_caches", files);
            dropText = DropCachesReport.of(readOrEmpty(root.resolve("proc-before/meminfo")), readOrEmpty(root.resolve("proc/meminfo")), whenWhere).render();
            files.add(write(root, "drop-caches.txt", dropText.getBytes(StandardCharsets.UTF_8)));
        }

        progress.accept("kernel log");
        String[] why = new String[1];
        String log = KernelLog.read(kmsg, why);
        if (log != null) files.add(write(root, "proc/dmesg.txt", log.getBytes(StandardCharsets.UTF_8)));
        else missing.add(new MissingInput("kernel log (dmesg, /dev/kmsg)", why[0] + ": kernel release banner, OOM-killer reports, hugepage lines"));

        progress.accept("processes");
        processes(root, files, missing, capture);

        for (String key : new String[] {"arch", "page_size", "kernel_release"})
            if (!host.containsKey(key)) missing.add(new MissingInput(key, "not readable on this host; leakdx infers it from the files when it can"));

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("host", host);
        manifest.put("capture", capture);
        List<Map<String, String>> miss = new ArrayList<>();
        for (MissingInput m : missing) miss.add(Map.of("input", m.input(), "hint", m.hint()));
        manifest.put("missing", miss);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        Files.writeString(root.resolve("case.yaml"), "# written by leakdx capture: the host as it stated itself, and what could not be read\n"
                + "# " + whenWhere + "\n" + yaml.writeValueAsString(manifest));
        if (!redact) return new Result(root, files, missing, host, whenWhere, dropText, Map.of());

        progress.accept("redacting host, process and cgroup names, addresses, IPs");
        BundleRedactor r = new BundleRedactor().host(hostname).host(text("sys/kernel/domainname"));
        List<String> redacted = new ArrayList<>(r.apply(root));
        redacted.remove("case.yaml");
        List<MissingInput> missingRedacted = new ArrayList<>();
        for (MissingInput m : missing) missingRedacted.add(new MissingInput(r.redact(m.input()), r.redact(m.hint())));
        if (dropText != null) dropText = Files.readString(root.resolve("drop-caches.txt"), StandardCharsets.UTF_8);
        return new Result(root, redacted, missingRedacted, host, r.redact(whenWhere), dropText, r.mapping());
    }

    /** The line every bundle report starts with: when (UTC) and where (host, kernel release) the capture was taken. */
    public static String whenWhere(String isoTime, String hostname, String kernelRelease) {
        String t = isoTime.replace('T', ' ').replace("Z", " UTC");
        return "taken " + t + " on " + (hostname.isEmpty() ? "an unnamed host" : hostname)
                + (kernelRelease.isEmpty() ? "" : ", kernel " + kernelRelease);
    }

    private static String readOrEmpty(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** arch, page_size and kernel_release, each from the kernel itself; a key is left out when it cannot be read. */
    Map<String, String> host() {
        Map<String, String> h = new LinkedHashMap<>();
        // kernel.arch is uname -m (since 4.x on most arches); the JVM's os.arch names the JVM's build, not the kernel
        String arch = text("sys/kernel/arch");
        if (arch.isEmpty()) arch = System.getProperty("os.arch", "");
        if (!arch.isEmpty()) h.put("arch", arch);
        long ps = pageSize();
        if (ps > 0) h.put("page_size", Long.toString(ps));
        String release = text("sys/kernel/osrelease");
        if (!release.isEmpty()) h.put("kernel_release", release);
        return h;
    }

    /** The base page size: the smallest KernelPageSize of this process's mappings (hugetlb mappings show larger), else getconf. */
    long pageSize() {
        try {
            String smaps = Files.readString(proc.resolve("self/smaps"), StandardCharsets.ISO_8859_1);
            long min = Long.MAX_VALUE;
            Matcher m = KERNEL_PAGE_SIZE.matcher(smaps);
            while (m.find()) min = Math.min(min, Long.parseLong(m.group(1)) * 1024);
            if (min != Long.MAX_VALUE) return min;
        } catch (IOException e) {
            // fall through to getconf
        }
        try {
            Process p = new ProcessBuilder("getconf", "PAGESIZE").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (p.waitFor(10, TimeUnit.SECONDS) && out.matches("\\d+")) return Long.parseLong(out);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    private void snapshot(Path root, String dir, long pageSize, List<String> files, List<MissingInput> missing) throws IOException {
        for (String[] f : PROC_FILES) {
            try {
                files.add(write(root, dir + "/" + f[0], Files.readAllBytes(proc.resolve(f[0]))));
            } catch (IOException e) {
                missing.add(new MissingInput("/proc/" + f[0], reason(e) + ": " + f[1]));
            }
        }
        progress.accept(dir + ": /proc/kpageflags");
        Path flags = proc.resolve("kpageflags");
        String hint = "the page-types summary: pages by state (THP no process maps, page-frag and driver pages, reserved)";
        if (pageSize <= 0) {
            missing.add(new MissingInput("/proc/kpageflags", "the page size is unknown, so page counts cannot be sized: " + hint));
            return;
        }
        try (InputStream in = Files.newInputStream(flags)) {
            KpageflagsSummary s = KpageflagsSummary.read(in, ByteOrder.nativeOrder());
            if (s.pages() == 0) throw new IOException("empty");
            files.add(write(root, dir + "/page-types.txt", s.render(false, pageSize).getBytes(StandardCharsets.US_ASCII)));
            files.add(write(root, dir + "/page-types-raw.txt", s.render(true, pageSize).getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            missing.add(new MissingInput("/proc/kpageflags", reason(e) + " (root and CONFIG_PROC_PAGE_MONITOR needed): " + hint));
        }
    }

    /** status and smaps_rollup of every process; a process that exits meanwhile is counted, not an error. */
    private void processes(Path root, List<String> files, List<MissingInput> missing, Map<String, Object> capture) throws IOException {
        int seen = 0, vanished = 0, denied = 0, noRollup = 0;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : pids) {
                String pid = p.getFileName().toString();
                byte[] status;
                try {
                    status = Files.readAllBytes(p.resolve("status"));
                } catch (NoSuchFileException e) {
                    vanished++;
                    continue;
                } catch (IOException e) {
                    if (isGone(e)) vanished++; else denied++;
                    continue;
                }
                seen++;
                Matcher n = STATUS_NAME.matcher(new String(status, StandardCharsets.UTF_8));
                String comm = n.find() ? n.group(1).strip() : "";
                // PID.COMM.KIND is what the process-memory reader takes apart; a comm may hold '/', spaces, anything
                String base = "proc/smaps/" + pid + "." + (comm.isEmpty() ? "_" : comm.replaceAll("[^A-Za-z0-9_.:+@-]", "_"));
                files.add(write(root, base + ".status", status));
                try {
                    byte[] rollup = Files.readAllBytes(p.resolve("smaps_rollup"));
                    if (rollup.length > 0) files.add(write(root, base + ".smaps_rollup", rollup)); // kernel threads: empty
                } catch (NoSuchFileException e) {
                    if (Files.exists(p)) noRollup++;
                } catch (AccessDeniedException e) {
                    denied++;
                } catch (IOException e) {
                    if (!isGone(e)) denied++;
                }
            }
        }
        capture.put("processes", seen);
        capture.put("processes_vanished", vanished);
        if (denied > 0) missing.add(new MissingInput("/proc/PID/smaps_rollup of " + denied + (denied == 1 ? " process" : " processes"),
                "permission denied" + (isRoot(proc) ? " even to root (another user namespace, or ptrace rules)" : " (run as root)")
                        + ": their resident and anonymous memory, to tell user space from a kernel leak"));
        if (noRollup > 0) missing.add(new MissingInput("/proc/PID/smaps_rollup",
                "absent before Linux 4.14, which added it; status still gives VmRSS and RssAnon"));
        if (seen == 0) missing.add(new MissingInput("/proc/PID/status", "no process readable: per-process memory"));
    }

    /** Whether this process runs with effective uid 0 ("Uid: real effective saved fs" in /proc/self/status). */
    public static boolean isRoot(Path proc) {
        try {
            Matcher m = Pattern.compile("^Uid:\\s+\\d+\\s+(\\d+)", Pattern.MULTILINE)
                    .matcher(Files.readString(proc.resolve("self/status"), StandardCharsets.UTF_8));
            return m.find() && m.group(1).equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isGone(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("No such process") || m.contains("No such file");
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "absent";
        if (e instanceof AccessDeniedException) return "permission denied";
        return "unreadable (" + e.getMessage() + ")";
    }

    private String text(String rel) {
        try {
            return Files.readString(proc.resolve(rel), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String write(Path root, String rel, byte[] bytes) throws IOException {
        Path target = root.resolve(rel);
        Files.createDirectories(target.getParent());
        Files.write(target, bytes);
        return rel;
    }

    private static void copyAs(Path root, String from, String to, List<String> files) throws IOException {
        Path src = root.resolve(from);
        if (Files.isRegularFile(src)) files.add(write(root, to, Files.readAllBytes(src)));
    }
}
