package dev.leakdx.report;

import dev.leakdx.TestKnowledge;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.explain.Explainer;
import dev.leakdx.explain.Report;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The terminal report: answer first, width, colour, a readable --explain, and an input section that counts once. */
class TextReportTest {
    static final Path CASES = Path.of("cases");
    static Report pfrag, case2, case1;

    @BeforeAll
    static void diagnose() throws IOException {
        pfrag = diagnose(CASES.resolve("lab-pfrag"));
        case2 = diagnose(CASES.resolve("case2-proc"));
        case1 = diagnose(CASES.resolve("case1-seed"));
    }

    static Report diagnose(Path dir) throws IOException {
        try (Capture c = CaptureOpener.open(dir)) {
            return new Explainer(TestKnowledge.diagnoser().diagnose(c), "leakdx test").explain();
        }
    }

    static List<String> lines(String text) { return Arrays.asList(text.split("\n", -1)); }

    /** Lines of a report that are next-capture commands: never cut, so exempt from the width. */
    static Set<String> commandLines(Report r) {
        return r.verdicts().stream().flatMap(v -> v.next().stream()).flatMap(n -> Arrays.stream(n.command().split("\n")))
                .map(c -> "            " + c).collect(Collectors.toSet());
    }

    @Test void theAnswerComesFirstThenVerdictsThenHostBudgetAndInput() {
        List<String> l = lines(TextReport.render(pfrag, false));
        assertEquals("1 finding: CRITICAL PAGE_FRAG_CACHE_LEAK 128 MiB (0.97)", l.get(0));
        assertEquals("lab-pfrag - leakdx test", l.get(1));
        int verdicts = l.indexOf("Verdicts"), host = l.indexOf("Host"), budget = l.indexOf("Memory budget (kmem -i)"), input = l.indexOf("Input");
        assertTrue(verdicts == 3 && verdicts < host && host < budget && budget < input, l.toString());
        assertEquals("  1. CRITICAL PAGE_FRAG_CACHE_LEAK  128 MiB  confidence 0.97", l.get(verdicts + 6));
    }

    @Test void everyVerdictIsNamedInTheFirstLine() {
        // wide enough that the answer is one line (at 80 columns it wraps, as every line does)
        String first = lines(TextReport.render(case2, false, new Terminal(400, false))).get(0);
        assertTrue(first.startsWith(case2.verdicts().size() + " finding"), first);
        for (Report.Verdict v : case2.verdicts()) assertTrue(first.contains(v.severity().toUpperCase() + " " + v.code()), first);
        assertEquals(Answer.line(case2), first);
    }

    @Test void noLineIsWiderThanTheLayoutExceptACommandThatMustPaste() {
        for (Report r : List.of(pfrag, case1, case2)) {
            for (int width : new int[] {80, 60, 120}) {
                Set<String> commands = commandLines(r);
                for (String line : lines(TextReport.render(r, true, new Terminal(width, false))))
                    assertTrue(line.length() <= width || commands.contains(line), width + ": " + line);
            }
        }
        // a wider layout is used when asked
        assertTrue(lines(TextReport.render(case1, false, new Terminal(120, false))).stream().anyMatch(l -> l.length() > 80));
    }

    @Test void severitiesAreColouredOnlyWhenAsked() {
        String plain = TextReport.render(pfrag, false);
        assertFalse(plain.contains("\u001b["), "no escape codes in a plain report");
        String colour = TextReport.render(pfrag, false, new Terminal(80, true));
        assertTrue(colour.contains("\u001b[1;31mCRITICAL\u001b[0m PAGE_FRAG_CACHE_LEAK"), colour.substring(0, 200));
        assertEquals(plain, colour.replaceAll("\u001b\\[[0-9;]*m", ""), "colour changes no character of the text");
    }

    @Test void terminalWidthAndColourFollowTheStreamAndTheEnvironment() {
        Map<String, String> env = Map.of("COLUMNS", "132");
        assertEquals(new Terminal(80, false), Terminal.decide(false, env, null, () -> 200), "piped: 80 columns, no colour, whatever COLUMNS says");
        assertEquals(new Terminal(132, true), Terminal.decide(true, env, null, () -> 200));
        assertEquals(new Terminal(200, true), Terminal.decide(true, Map.of(), null, () -> 200), "no COLUMNS: the tty's own width");
        assertEquals(new Terminal(80, true), Terminal.decide(true, Map.of(), null, () -> 0));
        assertEquals(new Terminal(132, false), Terminal.decide(true, Map.of("COLUMNS", "132", "NO_COLOR", "1"), null, () -> 0));
        assertEquals(new Terminal(132, false), Terminal.decide(true, Map.of("COLUMNS", "132", "TERM", "dumb"), null, () -> 0));
        assertEquals(new Terminal(100, false), Terminal.decide(false, env, 100, () -> 0), "--width asked for, piped");
    }

    @Test void explainShowsNoRuleVariablesNoRepeatedSubtreeAndTheLegendOnce() {
        String text = TextReport.render(pfrag, true, new Terminal(2000, false)); // one line per node
        String tree = text.substring(text.indexOf("     Explanation:"), text.indexOf("Considered and set aside"));
        assertFalse(tree.matches("(?s).*\\$[a-zA-Z]\\w* = .*"), tree);
        // the population is derived once and referred to twice
        assertEquals(1, count(tree, "with lru.next=ZERO flags=0x10000"), tree);
        assertEquals(2, count(tree, "(shown above)"), tree);
        assertEquals(1, count(text, "Confidence is the chance"), "the meaning of confidence and weights is said once");
    }

    @Test void inputListsEachFileOnceWithConsistentCounts() {
        String text = TextReport.render(pfrag, false);
        String input = text.substring(text.indexOf("\nInput\n"));
        assertTrue(input.startsWith("\nInput\n  27 files: 26 read (1,052,410 lines, 0 not understood), 1 in no format leakdx\n    knows (6 lines not read)\n"), input);
        for (String f : List.of("proc/vm_settings.txt"))
            assertEquals(1, count(input, f), f + " in " + input);
    }

    @Test void aCaptureWithNothingReadSaysSoEverywhere(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "nothing a kernel prints\nat all\n");
        Report r = diagnose(dir);
        assertEquals(2, r.exitCode());
        String text = TextReport.render(r, false);
        assertEquals(Answer.NOTHING_READ, lines(text).get(0));
        assertTrue(text.contains("  1 file, none in a format leakdx knows (2 lines not read; see leakdx formats)"), text);
        assertFalse(text.contains("not understood"), text);
        assertFalse(text.contains("Verdicts"), text);
    }

    /** The HTML report explains "confidence" where it shows it: on the column heading and once under the table. */
    @Test void htmlExplainsConfidenceWhereItIsShown() {
        String html = HtmlReport.render(case1);
        String legend = Answer.LEGEND.replace("'", "&#39;");
        assertTrue(html.contains("<abbr title=\"" + legend + "\">confidence</abbr>") || html.contains(">confidence</abbr>"), "heading");
        assertTrue(html.contains("<p class=\"note\" id=\"confidence\">"), "the note under the table");
        assertEquals(1, count(html, "id=\"confidence\""));
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
