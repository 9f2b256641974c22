package dev.leakdx.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code leakdx capture --redact}: rewrites a collected capture folder so that it can be sent
 * out. Host names (the host's own, its domain, a kernel builder's user@host), process names
 * (every process's comm, and the ones the kernel log names: OOM reports, {@code name[pid]:}
 * records), cgroup path components, user names in home paths, kernel virtual addresses, IPv4,
 * IPv6 and MAC addresses and UUIDs are replaced, the same original by the same placeholder in
 * every file and file name: {@code host-1}, {@code proc-1}, {@code cgroup-1}, {@code user-1},
 * {@code 10.0.0.1}, {@code fd00::1}, {@code 02:00:00:00:00:01},
 * {@code 00000000-0000-4000-8000-000000000001}, and addresses {@code 0000add000000001} (still 16
 * hex digits, so vmallocinfo and call traces keep their shape and the extractors still read them).
 *
 * <p>Figures are never touched: the counter files the kernel writes (meminfo, vmstat, slabinfo,
 * buddyinfo, zoneinfo, pagetypeinfo, vmallocinfo, page-types) hold no host, process or cgroup
 * name, so names are not searched there (a comm or host called {@code Normal} or {@code node}
 * must not rewrite zoneinfo); addresses, IPs and UUIDs are searched in every file. A redacted
 * bundle gives the verdicts the original gives.
 */
public final class BundleRedactor {
    /** Kernel virtual addresses on 64-bit kernels: 16 hex digits from ffff. */
    private static final String ADDRESS = "(?<![0-9A-Za-z_])(?:0x)?(?<addr>ffff[0-9a-fA-F]{12})(?![0-9A-Za-z_])";
    private static final String IPV4_OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final String IPV4 = "(?<![\\w.])(?<ip4>" + IPV4_OCTET + "(?:\\." + IPV4_OCTET + "){3})(?![\\w.])";
    private static final String MAC = "(?<![\\w:])(?<mac>[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})(?![\\w:])";
    private static final String IPV6 = "(?<![\\w:])(?<ip6>(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}"
            + "|(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,5})?)(?![\\w:])";
    private static final String UUID = "(?<![\\w-])(?<uuid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?![\\w-])";
    private static final String HOME = "(?<=/home/|/Users/)(?<user>[^/\\s\"'<>:]+)";

    /** Files the kernel writes with a fixed vocabulary: no process name can be in them, and their words must stay. */
    private static final Pattern COUNTER_FILE = Pattern.compile("(?:^|/)(?:meminfo|vmstat|slabinfo|buddyinfo|zoneinfo|pagetypeinfo|vmallocinfo|page-types(?:-raw)?\\.txt)(?:\\.[\\w.]+)?$");
    /** proc/smaps/PID.COMM.KIND, as LiveCollector names a process's files. */
    private static final Pattern PROCESS_FILE = Pattern.compile("^(?<dir>(?:.*/)?smaps/)(?<pid>\\d+)\\.(?<comm>.*)\\.(?<kind>status|smaps_rollup|smaps)$");
    private static final Pattern STATUS_NAME = Pattern.compile("(?m)^Name:\\s*(.*?)\\s*$");

    /** How the kernel log names processes, host names and cgroups. */
    private static final List<Pattern> PROC_WORDING = List.of(
            Pattern.compile("(?m)Comm: (.+?)(?= Kdump:| Not tainted| Tainted:|\\s*$)"),
            Pattern.compile("(?m)comm: (.+?)(?= Not tainted| Tainted:|\\s*$)"),
            Pattern.compile("(?m)^(?:\\[[\\s\\d.]+\\]\\s*)?(\\S.*?) invoked oom-killer"),
            Pattern.compile("[Kk]ill(?:ed)? process \\d+,? (?:UID \\d+, )?\\((.*?)\\)"),
            Pattern.compile("(?:[Pp]rocess|pid|task) \\d+ \\(([^)\\n]{1,64})\\)"),
            Pattern.compile("task=(.*?),pid="),
            Pattern.compile("(?m)^(?:\\[[\\s\\d.]+\\]\\s*)?\\[\\s*\\d+\\]\\s+-?\\d+\\s+\\d+(?:\\s+-?\\d+){4,}\\s+(\\S.*?)\\s*$"),
            Pattern.compile("(?m)^(?:\\[[\\s\\d.]+\\]\\s*)?([A-Za-z][\\w.@-]*)\\[\\d+\\]:"));
    private static final List<Pattern> HOST_WORDING = List.of(
            Pattern.compile("NODENAME: (\\S+)"),
            Pattern.compile("Linux version \\S+ \\(([^()\\s]+@[^()\\s]+)\\)"),
            Pattern.compile("(?m)^[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d (\\S+) kernel:"));
    private static final List<Pattern> CGROUP_WORDING = List.of(
            Pattern.compile("(?:oom_memcg|task_memcg|cpuset)=([^,\\s]+)"),
            Pattern.compile("Task in (/\\S*) killed as a result of limit of (/\\S*)"),
            Pattern.compile("[Mm]emory cgroup (?:stats|out of memory)[^/\\n]*? for (/\\S*?):?(?:\\s|$)"));
    /** cgroup path parts every systemd or Kubernetes host has: they identify nobody and say what kind of limit hit. */
    private static final Set<String> COMMON_CGROUPS = Set.of("system.slice", "user.slice", "init.scope", "machine.slice",
            "kubepods", "kubepods.slice", "burstable", "besteffort", "guaranteed", "docker", "lxc", "payload");

    private final Map<String, String> kindOf = new HashMap<>();
    private final Map<String, String> placeholder = new LinkedHashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private Pattern all, noProcesses;

    /** A name to hide: the host's own name (its first label is hidden too). */
    public BundleRedactor host(String name) {
        if (name == null) return this;
        String v = name.strip();
        if (v.isEmpty() || v.equals("(none)") || v.equalsIgnoreCase("localhost")) return this;
        add("host", v);
        int dot = v.indexOf('.');
        if (dot > 0 && !v.contains("@")) add("host", v.substring(0, dot));
        return this;
    }

    /** A process name (comm) to hide. */
    public BundleRedactor process(String comm) {
        if (comm != null) add("proc", comm.strip());
        return this;
    }

    private void add(String kind, String v) {
        // numbers stay (a pid, a size); one-letter names would eat ordinary words; placeholders are never names
        if (v.length() < 2 || v.matches("[\\d.]+") || v.matches("(?:host|proc|cgroup|user)-\\d+")) return;
        if (kindOf.putIfAbsent(v, kind) == null) { all = null; noProcesses = null; }
    }

    /** Learns the names a kernel log or status file reveals. */
    public BundleRedactor learn(String text) {
        for (Matcher m = STATUS_NAME.matcher(text); m.find(); ) process(m.group(1));
        for (Pattern p : PROC_WORDING) for (Matcher m = p.matcher(text); m.find(); ) process(m.group(1));
        for (Pattern p : HOST_WORDING) for (Matcher m = p.matcher(text); m.find(); ) host(m.group(1));
        for (Pattern p : CGROUP_WORDING)
            for (Matcher m = p.matcher(text); m.find(); )
                for (int g = 1; g <= m.groupCount(); g++)
                    for (String part : m.group(g).split("/"))
                        if (!part.isEmpty() && !COMMON_CGROUPS.contains(part)) add("cgroup", part);
        return this;
    }

    /** One text redacted; host, process and cgroup names are left alone when {@code names} is false (counter files). */
    public String redact(String text, boolean names) {
        if (text == null || text.isEmpty()) return text;
        Matcher m = pattern(names).matcher(text);
        StringBuilder b = new StringBuilder(text.length());
        while (m.find()) m.appendReplacement(b, Matcher.quoteReplacement(replacement(m)));
        m.appendTail(b);
        return b.toString();
    }

    public String redact(String text) { return redact(text, true); }

    private String replacement(Matcher m) {
        if (m.group("addr") != null) {
            int n = number("addr", m.group("addr").toLowerCase(Locale.ROOT));
            return (m.group().startsWith("0x") ? "0x" : "") + String.format(Locale.ROOT, "0000add0%08x", n);
        }
        if (m.group("mac") != null) {
            int n = number("mac", m.group("mac").toLowerCase(Locale.ROOT));
            return String.format(Locale.ROOT, "02:00:00:%02x:%02x:%02x", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
        }
        if (m.group("uuid") != null) return String.format(Locale.ROOT, "00000000-0000-4000-8000-%012x", number("uuid", m.group("uuid").toLowerCase(Locale.ROOT)));
        if (m.group("ip4") != null) {
            String ip = m.group("ip4");
            if (ip.startsWith("127.") || ip.startsWith("0.") || ip.startsWith("255.")) return ip; // loopback, any, netmasks: nobody's
            int n = number("ip4", ip) - 1;
            return "10.0." + (n / 254) + "." + (n % 254 + 1);
        }
        if (m.group("ip6") != null) {
            String ip = m.group("ip6").toLowerCase(Locale.ROOT);
            return "fd00::" + Integer.toHexString(number("ip6", ip));
        }
        if (m.group("user") != null) return "user-" + number("user", m.group("user"));
        String name = m.group("name");
        String original = kindOf.containsKey(name) ? name : kindOf.keySet().stream().filter(k -> k.equalsIgnoreCase(name)).findFirst().orElse(name);
        String kind = kindOf.getOrDefault(original, "host");
        return kind + "-" + number(kind, kind.equals("host") ? original.toLowerCase(Locale.ROOT) : original);
    }

    private int number(String kind, String original) {
        String key = kind + ":" + original;
        String ph = placeholder.get(key);
        if (ph == null) {
            ph = Integer.toString(counters.merge(kind, 1, Integer::sum));
            placeholder.put(key, ph);
        }
        return Integer.parseInt(ph);
    }

    private Pattern pattern(boolean processes) {
        Pattern p = processes ? all : noProcesses;
        if (p != null) return p;
        Comparator<String> longestFirst = Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder());
        Set<String> hosts = new TreeSet<>(longestFirst), procs = new TreeSet<>(longestFirst);
        kindOf.forEach((k, v) -> (v.equals("host") ? hosts : procs).add(k));
        StringBuilder names = new StringBuilder();
        // host names are DNS names (any case); comms and cgroup names are exact
        if (processes) for (String h : hosts) names.append(names.length() == 0 ? "" : "|").append("(?i:").append(Pattern.quote(h)).append(')');
        if (processes) for (String n : procs) names.append(names.length() == 0 ? "" : "|").append(Pattern.quote(n));
        String nameGroup = names.length() == 0 ? "(?<name>(?!x)x)" : "(?<![A-Za-z0-9_])(?<name>" + names + ")(?![A-Za-z0-9_])";
        p = Pattern.compile(String.join("|", ADDRESS, MAC, UUID, IPV4, IPV6, HOME, nameGroup));
        if (processes) all = p; else noProcesses = p;
        return p;
    }

    /**
     * Rewrites every regular file under {@code root} in place and renames the files whose names
     * hold a name (proc/smaps/PID.COMM.KIND becomes PID.proc-N.KIND). Names are learnt first from
     * every status file and kernel log in the folder. Returns the files' new relative paths.
     */
    public List<String> apply(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        Map<Path, String> comm = new HashMap<>();
        for (Path f : files) {
            String rel = rel(root, f);
            if (COUNTER_FILE.matcher(rel).find()) continue;
            String text = Files.readString(f, StandardCharsets.ISO_8859_1);
            learn(text);
            Matcher pf = PROCESS_FILE.matcher(rel);
            if (pf.matches() && pf.group("kind").equals("status")) {
                Matcher n = STATUS_NAME.matcher(text);
                if (n.find()) comm.put(root.resolve(pf.group("dir") + pf.group("pid") + "." + pf.group("comm")), n.group(1));
            }
        }
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            String rel = rel(root, f);
            boolean counters = COUNTER_FILE.matcher(rel).find();
            // ISO-8859-1 maps every byte to one char and back: binary and odd bytes survive untouched
            String text = Files.readString(f, StandardCharsets.ISO_8859_1);
            String red = redact(text, !counters);
            if (!red.equals(text)) Files.writeString(f, red, StandardCharsets.ISO_8859_1);
            String target = renamed(root, rel, comm);
            if (!target.equals(rel)) {
                Path t = root.resolve(target);
                Files.createDirectories(t.getParent());
                Files.move(f, t);
            }
            out.add(target);
        }
        return out;
    }

    private String renamed(Path root, String rel, Map<Path, String> comm) {
        Matcher pf = PROCESS_FILE.matcher(rel);
        if (pf.matches()) {
            String name = comm.get(root.resolve(pf.group("dir") + pf.group("pid") + "." + pf.group("comm")));
            String ph = name != null && kindOf.containsKey(name) ? redact(name) : "proc";
            return pf.group("dir") + pf.group("pid") + "." + ph + "." + pf.group("kind");
        }
        StringBuilder b = new StringBuilder();
        for (String part : rel.split("/")) b.append(b.length() == 0 ? "" : "/").append(redact(part));
        return b.toString();
    }

    private static String rel(Path root, Path f) {
        return root.relativize(f).toString().replace('\\', '/');
    }

    /** What was replaced by what (original -> placeholder), for the sender's own records; never put in the bundle. */
    public Map<String, String> mapping() {
        Map<String, String> out = new LinkedHashMap<>();
        placeholder.forEach((k, v) -> {
            String kind = k.substring(0, k.indexOf(':')), original = k.substring(k.indexOf(':') + 1);
            out.put(original, switch (kind) {
                case "addr" -> String.format(Locale.ROOT, "0000add0%08x", Integer.parseInt(v));
                case "ip4" -> { int n = Integer.parseInt(v) - 1; yield "10.0." + (n / 254) + "." + (n % 254 + 1); }
                case "ip6" -> "fd00::" + Integer.toHexString(Integer.parseInt(v));
                case "mac" -> { int n = Integer.parseInt(v); yield String.format(Locale.ROOT, "02:00:00:%02x:%02x:%02x", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff); }
                case "uuid" -> String.format(Locale.ROOT, "00000000-0000-4000-8000-%012x", Integer.parseInt(v));
                default -> kind + "-" + v;
            });
        });
        return out;
    }

    /** Every host, process and cgroup name this redactor hides, whether or not a file used it. */
    public Set<String> names() { return Set.copyOf(kindOf.keySet()); }
}
