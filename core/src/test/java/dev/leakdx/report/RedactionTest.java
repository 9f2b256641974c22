package dev.leakdx.report;

import dev.leakdx.TestKnowledge;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.explain.Explainer;
import dev.leakdx.explain.Report;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --redact: no host, process name or kernel address of the capture is left in any format; figures and symbols are. */
class RedactionTest {
    static final Path CASES = Path.of("cases");

    record Redacted(Report plain, Report redacted, Map<String, String> mapping, java.util.Set<String> names, List<String> rendered) {}

    static Redacted redact(String caseName) throws IOException {
        try (Capture c = CaptureOpener.open(CASES.resolve(caseName))) {
            Diagnoser.Result res = TestKnowledge.diagnoser().diagnose(c);
            Report plain = new Explainer(res, "leakdx test").explain();
            Redaction r = Redaction.of(res.facts());
            Report red = r.apply(plain);
            List<String> rendered = List.of(TextReport.render(red, true), MarkdownReport.render(red), JsonReport.render(red), HtmlReport.render(red));
            return new Redacted(plain, red, r.mapping(), r.names(), rendered);
        }
    }

    /** Addresses must not appear at all; names not as words (the HTML's "initial-scale" does not leak a process "init"). */
    static void assertNothingLeft(Redacted x) {
        assertFalse(x.mapping().isEmpty());
        java.util.Set<String> all = new java.util.TreeSet<>(x.mapping().keySet());
        all.addAll(x.names());
        for (String original : all) {
            boolean address = original.matches("ffff[0-9a-f]{12}");
            java.util.regex.Pattern p = java.util.regex.Pattern.compile(address ? java.util.regex.Pattern.quote(original)
                    : "(?<![A-Za-z0-9_])" + java.util.regex.Pattern.quote(original) + "(?![A-Za-z0-9_])", java.util.regex.Pattern.CASE_INSENSITIVE);
            for (String out : x.rendered())
                assertFalse(p.matcher(out).find(), "'" + original + "' (" + x.mapping().get(original) + ") left in:\n"
                        + out.lines().filter(l -> p.matcher(l).find()).findFirst().orElse(""));
        }
    }

    @Test void memcgOomHidesTheProcessAndKeepsTheFigures() throws IOException {
        Redacted x = redact("memcg-oom-leaker-lkml");
        assertEquals("proc-1", x.mapping().get("leaker"), "the killed process: " + x.mapping());
        String before = TextReport.render(x.plain(), true);
        assertTrue(before.contains("(leaker)"), "the plain report names the process");
        assertNothingLeft(x);
        for (String out : x.rendered()) assertTrue(out.contains("proc-1"), "placeholder in every format");
        // same verdict, same bytes, same citations: only names changed
        assertEquals(x.plain().verdicts().get(0).code(), x.redacted().verdicts().get(0).code());
        assertEquals(519_954_432L, x.redacted().verdicts().get(0).bytes());
        assertTrue(TextReport.render(x.redacted(), true).contains("dmesg.txt:46"));
        assertTrue(TextReport.render(x.redacted(), true).contains("23793"), "pids are numbers and stay");
    }

    @Test void slabOomReportHidesEveryTaskName() throws IOException {
        Redacted x = redact("slab-oom-kmemleak-lkml");
        assertTrue(x.names().containsAll(List.of("systemd", "dbus-broker")), x.names().toString());
        assertTrue(x.mapping().containsKey("dbus-broker"), "named in the report: " + x.mapping());
        assertNothingLeft(x);
        // the slab cache named by the verdict is a kernel symbol, not a secret
        assertTrue(TextReport.render(x.redacted(), true).contains("kmemleak_object"));
    }

    @Test void crashCaptureHidesKernelAddressesButKeepsSymbolsAndPhysicalAddresses() throws IOException {
        Redacted x = redact("lab-pfrag");
        String plain = TextReport.render(x.plain(), true);
        assertTrue(plain.contains("ffff8ee2bff85408"), "the frag cache's address is in the plain report");
        String ph = x.mapping().get("ffff8ee2bff85408");
        assertTrue(ph != null && ph.startsWith("addr-"), x.mapping().toString());
        assertNothingLeft(x);
        String text = TextReport.render(x.redacted(), true);
        assertTrue(text.contains("page_frag_cache"), "symbols stay");
        assertTrue(text.contains("PAGE_FRAG_CACHE_LEAK"));
        assertTrue(text.contains(ph), text);
        assertEquals(x.plain().verdicts().get(0).bytes(), x.redacted().verdicts().get(0).bytes());
    }

    @Test void oneOriginalOnePlaceholder() {
        Redaction r = Redaction.of(List.of());
        String s = r.redact("search -k 0xffff8ee243058000 hit ffff8ee243058000 and FFFF8EE2BFF85408 in /home/alice/x, dump_stack+0x5c/0x80 phys 0x3058000");
        assertEquals("search -k addr-1 hit addr-1 and addr-2 in /home/user-1/x, dump_stack+0x5c/0x80 phys 0x3058000", s);
        assertEquals("addr-1", r.redact("ffff8ee243058000"), "stable across calls of one report");
    }
}
