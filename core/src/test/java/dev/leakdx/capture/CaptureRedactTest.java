package dev.leakdx.capture;

import dev.leakdx.TestKnowledge;
import dev.leakdx.explain.Explainer;
import dev.leakdx.explain.Report;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * leakdx capture --redact on a /proc tree assembled from real captures: lab-thp-proc's counter
 * files and processes (a 6.1 guest leaking 128 THPs), case2-proc's process table (systemd, sshd,
 * libvirtd, qemu-kvm, ...) and its kernel log (a real 4.18 arm64 OOM kill of qemu-kvm by "CPU 3/KVM"),
 * the host named server01 as in the real syslog of paste-oom-3.2-lkml-hocko-global-and-memcg. Every
 * file of the bundle written is read back and searched for every original.
 */
class CaptureRedactTest {
    private static final Path THP = Path.of("cases/lab-thp-proc/proc");
    private static final Path CASE2 = Path.of("cases/case2-proc/proc");
    private static final String HOST = "server01";
    /** Lines no real capture here holds together (network and disk identities), built in the kernel's own wording. */
    private static final List<String> BUILT_LOG = List.of(
            "Linux version 4.18.0-147.el8.aarch64 (mockbuild@aarch64-01.build.eng.example.com) (gcc version 8.3.1) #1 SMP",
            "Kernel command line: BOOT_IMAGE=/vmlinuz root=UUID=3f1c2a9e-7b4d-4c1e-9f0a-1b2c3d4e5f60 ip=192.168.17.42::192.168.17.1:255.255.255.0:" + HOST + ":eth0:none",
            "mlx5_core 0000:01:00.0 eth0: Link up, MAC 0c:42:a1:5e:77:10",
            "IPv6: eth0: IPv6 duplicate address fe80::e42:a1ff:fe5e:7710 used by 0c:42:a1:5e:77:11 detected!",
            "nfs: server 192.168.17.5 not responding, still trying",
            "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/billing-db.service,task_memcg=/system.slice/billing-db.service,task=qemu-kvm,pid=31877,uid=107",
            "audit: type=1400 apparmor=\"DENIED\" operation=\"open\" name=\"/home/alice/.ssh/id_rsa\" comm=\"sshd\"",
            "BUG: unable to handle page fault for address: ffff8ee243058000");

    /** The /proc tree: returns the originals a reader must not find (host, every comm). */
    private static Set<String> fakeProc(Path dir) throws IOException {
        Path p = Files.createDirectories(dir.resolve("proc"));
        for (String f : new String[] {"meminfo", "vmstat", "slabinfo", "buddyinfo", "zoneinfo", "vmallocinfo"}) Files.copy(THP.resolve(f), p.resolve(f));
        Files.createDirectories(p.resolve("sys/kernel"));
        Files.writeString(p.resolve("sys/kernel/osrelease"), "4.18.0-147.el8.aarch64\n");
        Files.writeString(p.resolve("sys/kernel/arch"), "x86_64\n");
        Files.writeString(p.resolve("sys/kernel/hostname"), HOST + "\n");
        Files.writeString(p.resolve("sys/kernel/domainname"), "(none)\n");
        Files.writeString(p.resolve("version"), BUILT_LOG.get(0) + "\n");
        Files.createDirectories(p.resolve("self"));
        Files.writeString(p.resolve("self/smaps"), "00400000-00401000 r-xp 00000000 08:01 1 /usr/bin/java\nKernelPageSize:        4 kB\n");
        Set<String> comms = new LinkedHashSet<>();
        // lab-thp-proc's processes: status and smaps_rollup as the guest's /proc gave them
        try (Stream<Path> s = Files.list(THP.resolve("smaps"))) {
            for (Path f : s.sorted().toList()) {
                Matcher m = Pattern.compile("^(\\d+)\\.(.+)\\.(status|smaps_rollup)$").matcher(f.getFileName().toString());
                if (!m.matches()) continue;
                Path pid = Files.createDirectories(p.resolve(m.group(1)));
                Files.copy(f, pid.resolve(m.group(3)));
                if (m.group(3).equals("status")) comms.add(name(Files.readString(f)));
            }
        }
        // case2-proc's process table: PID(n) comm(x) then that process's status between BEG:get status and END
        String table = Files.readString(CASE2.resolve("processes.txt"));
        Matcher block = Pattern.compile("(?s)PID\\((\\d+)\\) comm\\(([^)]*)\\).*?BEG:get status\\n(.*?)\\nEND").matcher(table);
        int n = 0;
        while (block.find()) {
            Path pid = Files.createDirectories(p.resolve(block.group(1)));
            Files.writeString(pid.resolve("status"), block.group(3) + "\n");
            comms.add(block.group(2));
            n++;
        }
        assertEquals(6, n, "case2's process table holds six processes");
        // the kernel log: case2's real OOM report, then the built lines, as /dev/kmsg records
        StringBuilder kmsg = new StringBuilder();
        long seq = 0;
        for (String line : Files.readAllLines(CASE2.resolve("dmesg.txt"))) {
            Matcher m = Pattern.compile("^\\[\\s*(\\d+)\\.(\\d{6})\\] ?(.*)$").matcher(line);
            if (m.matches()) kmsg.append("6,").append(seq++).append(',').append(Long.parseLong(m.group(1) + m.group(2))).append(",-;").append(m.group(3)).append('\n');
        }
        for (String line : BUILT_LOG) kmsg.append("6,").append(seq++).append(",1862055000000,-;").append(line).append('\n');
        Files.writeString(dir.resolve("kmsg"), kmsg);
        comms.add("CPU 3/KVM"); // the task that invoked the OOM killer in case2's log
        return comms;
    }

    private static String name(String status) {
        Matcher m = Pattern.compile("(?m)^Name:\\s*(.*?)\\s*$").matcher(status);
        assertTrue(m.find());
        return m.group(1);
    }

    /** Every regular file of a .tar.gz: its path inside and its bytes as ISO-8859-1 text (every byte one char). */
    private static Map<String, String> untar(Path tgz) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz)); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextTarEntry()) != null; )
                if (e.isFile()) out.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private static Pattern word(String original, boolean anyCase) {
        return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(original) + "(?![A-Za-z0-9_])", anyCase ? Pattern.CASE_INSENSITIVE : 0);
    }

    @Test
    void everyFileOfTheRedactedBundleIsFreeOfEveryOriginal(@TempDir Path dir) throws Exception {
        Set<String> comms = fakeProc(dir);
        assertTrue(comms.containsAll(List.of("init", "tee", "vm_manager", "systemd", "systemd-journal", "sshd", "libvirtd", "qemu-kvm", "bash")), comms.toString());
        LiveCollector.Result r = new LiveCollector(dir.resolve("proc"), dir.resolve("kmsg"), s -> { }).collect(dir.resolve("work"), false, true);
        Path tgz = dir.resolve("bundle.tar.gz");
        BundleWriter.write(r.root(), tgz);
        Map<String, String> files = untar(tgz);
        assertEquals(r.files().size() + 1, files.size(), files.keySet().toString()); // + case.yaml

        List<String> found = new ArrayList<>();
        Map<String, Boolean> originals = new LinkedHashMap<>();
        originals.put(HOST, true);
        for (String c : comms) originals.put(c, false);
        for (String o : List.of("192.168.17.42", "192.168.17.1", "192.168.17.5", "0c:42:a1:5e:77:10", "0c:42:a1:5e:77:11",
                "fe80::e42:a1ff:fe5e:7710", "3f1c2a9e-7b4d-4c1e-9f0a-1b2c3d4e5f60", "alice", "billing-db.service", "ffff8ee243058000",
                "aarch64-01.build.eng.example.com", "mockbuild"))
            originals.put(o, true);
        for (var f : files.entrySet())
            for (var o : originals.entrySet()) {
                if (word(o.getKey(), o.getValue()).matcher(f.getKey()).find()) found.add(o.getKey() + " in the name " + f.getKey());
                Matcher m = word(o.getKey(), o.getValue()).matcher(f.getValue());
                if (m.find()) {
                    int line = (int) f.getValue().substring(0, m.start()).chars().filter(ch -> ch == '\n').count() + 1;
                    found.add(o.getKey() + " in " + f.getKey() + ":" + line);
                }
            }
        assertEquals(List.of(), found);

        // the placeholders are consistent: one per original, the same in every file
        String log = files.get("bundle/proc/dmesg.txt");
        String qemu = r.redactions().get("qemu-kvm");
        assertTrue(qemu.matches("proc-\\d+"), r.redactions().toString());
        assertTrue(log.contains("Killed process 31877 (" + qemu + ") total-vm:26091904kB, anon-rss:20906368kB"), log);
        assertTrue(log.contains("task=" + qemu + ",pid=31877"), log);
        assertTrue(log.contains(r.redactions().get("CPU 3/KVM") + " invoked oom-killer: gfp_mask=0x6280ca"), log);
        assertTrue(log.contains("ip=10.0.0.1::10.0.0.2:255.255.255.0:host-1:eth0:none"), log);
        assertTrue(log.contains("nfs: server 10.0.0.3 not responding"), log);
        assertTrue(log.contains("MAC 02:00:00:00:00:01"), log);
        assertTrue(log.contains("used by 02:00:00:00:00:02"), log);
        assertTrue(log.contains("address fd00::1 used"), log);
        assertTrue(log.contains("root=UUID=00000000-0000-4000-8000-000000000001"), log);
        assertTrue(log.contains("name=\"/home/user-1/.ssh/id_rsa\" comm=\"" + r.redactions().get("sshd") + "\""), log);
        String db = r.redactions().get("billing-db.service");
        assertEquals("cgroup-2", db, r.redactions().toString()); // cgroup-1 is case2's cpuset=vcpu3
        assertTrue(log.contains("oom_memcg=/system.slice/" + db + ",task_memcg=/system.slice/" + db), log);
        assertTrue(log.contains("Comm: " + r.redactions().get("CPU 3/KVM") + " Kdump: loaded Not tainted 4.18.0-147.el8.aarch64"), log);
        assertTrue(log.contains("for address: 0000add000000001"), log);
        String sshd = r.redactions().get("sshd");
        assertEquals("Name:\t" + sshd, files.get("bundle/proc/smaps/2049." + sshd + ".status").lines().findFirst().orElseThrow());
        assertTrue(files.containsKey("bundle/proc/smaps/223." + r.redactions().get("vm_manager") + ".smaps_rollup"), files.keySet().toString());
        // figures untouched: the counter files are byte for byte the host's
        for (String f : new String[] {"meminfo", "vmstat", "slabinfo", "buddyinfo", "zoneinfo", "vmallocinfo"})
            assertEquals(Files.readString(THP.resolve(f), StandardCharsets.ISO_8859_1), files.get("bundle/proc/" + f), f);
        String yaml = files.get("bundle/case.yaml");
        assertTrue(yaml.contains("hostname: \"host-1\"") || yaml.contains("hostname: host-1"), yaml);
        assertTrue(yaml.contains("# taken ") && yaml.contains(" UTC on host-1, kernel 4.18.0-147.el8.aarch64"), yaml);
        assertTrue(yaml.contains("redacted:"), yaml);
        assertEquals("taken", r.whenWhere().split(" ")[0]);
        assertTrue(r.whenWhere().endsWith(" UTC on host-1, kernel 4.18.0-147.el8.aarch64"), r.whenWhere());
    }

    @Test
    void theRedactedBundleGivesTheVerdictsOfTheOriginal(@TempDir Path dir) throws Exception {
        fakeProc(dir);
        LiveCollector plain = new LiveCollector(dir.resolve("proc"), dir.resolve("kmsg"), s -> { });
        Path a = plain.collect(dir.resolve("plain"), false, false).root();
        Path b = plain.collect(dir.resolve("redacted"), false, true).root();
        Report ra, rb;
        try (Capture ca = CaptureOpener.open(a); Capture cb = CaptureOpener.open(b)) {
            ra = new Explainer(TestKnowledge.diagnoser().diagnose(ca), "test").explain();
            rb = new Explainer(TestKnowledge.diagnoser().diagnose(cb), "test").explain();
        }
        // case2's kernel log: the OOM kill of qemu-kvm (pid 31877, anon-rss 20906368 kB), read from the redacted log as from the original
        assertEquals("USERSPACE_OOM", ra.verdicts().get(0).code());
        assertEquals(21449474048L, ra.verdicts().get(0).bytes());
        assertTrue(rb.verdicts().get(0).summary().startsWith("proc-"), rb.verdicts().get(0).summary());
        assertEquals(ra.verdicts().stream().map(v -> v.code() + " " + v.bytes() + " " + v.severity()).toList(),
                rb.verdicts().stream().map(v -> v.code() + " " + v.bytes() + " " + v.severity()).toList());
    }

    @Test
    void thisHostRedactedForReal(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/sys/kernel/hostname")), "not a Linux host");
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        LiveCollector.Result r = new LiveCollector(s -> { }).collect(dir.resolve("live"), false, true);
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.walk(r.root())) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String rel = r.root().relativize(f).toString(), text = Files.readString(f, StandardCharsets.ISO_8859_1);
                // the kernel's counter files hold no names, only their own words: a host called "vm" is not in "vm stats threshold"
                if (rel.matches(".*(meminfo|vmstat|slabinfo|buddyinfo|zoneinfo|vmallocinfo|page-types(-raw)?\\.txt)")) continue;
                if (host.length() > 1 && !host.equals("localhost") && (word(host, true).matcher(rel).find() || word(host, true).matcher(text).find()))
                    found.add(host + " in " + rel);
                for (var e : r.redactions().entrySet())
                    if (e.getValue().startsWith("proc-") && (word(e.getKey(), false).matcher(text).find() || rel.contains("." + e.getKey() + ".")))
                        found.add(e.getKey() + " in " + rel);
            }
        }
        assertEquals(List.of(), found);
        assertTrue(r.redactions().values().stream().anyMatch(v -> v.startsWith("proc-")), r.redactions().toString()); // this JVM at least
        assertTrue(r.whenWhere().contains(" UTC on host-1"), r.whenWhere());
    }

    @Test
    void theCommandWritesTheBundleAndKeepsTheMappingOutsideIt(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/meminfo")), "not a Linux host");
        Path tgz = dir.resolve("b.tar.gz");
        dev.leakdx.cli.CliRun run = dev.leakdx.cli.CliRun.of("capture", "-o", tgz.toString(), "--redact", "-q");
        assertEquals(0, run.exit(), run.err());
        Path map = dir.resolve("b.tar.gz.redaction.tsv");
        assertTrue(Files.isRegularFile(map), run.err());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(map)));
        List<String> rows = Files.readAllLines(map);
        assertTrue(rows.get(0).startsWith("# leakdx capture --redact: original\tplaceholder"), rows.get(0));
        assertTrue(rows.stream().skip(1).allMatch(l -> l.matches("[^\\t]+\\t\\S+")), rows.toString());
        Map<String, String> files = untar(tgz);
        assertTrue(files.keySet().stream().allMatch(n -> n.startsWith("b/")), files.keySet().toString());
        assertFalse(files.keySet().stream().anyMatch(n -> n.endsWith(".redaction.tsv")));
        assertTrue(run.err().contains("names and addresses replaced; what replaced what is in " + map), run.err());
        assertTrue(run.err().matches("(?s).*files written to .*b\\.tar\\.gz \\(taken \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC on host-1, kernel .*"), run.err());
    }
}
