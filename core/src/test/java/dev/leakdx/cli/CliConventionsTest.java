package dev.leakdx.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Output handling and the everyday CLI conventions of issue 14. */
class CliConventionsTest {
    static final String SMALL = "cases/hugetlb-idle-meminfo";

    @Test void dashIsStandardOutput() {
        CliRun r = CliRun.of("diagnose", SMALL, "-o", "-");
        assertTrue(r.out().startsWith("1 finding: WARNING HUGETLB_RESERVED_IDLE"), r.out());
        assertFalse(Files.exists(Path.of("-")), "no file called -");
    }

    @Test void theFormatFollowsTheExtensionUnlessAsked(@TempDir Path dir) throws IOException {
        assertEquals(1, CliRun.of("diagnose", SMALL, "-o", dir.resolve("r.json").toString()).exit());
        assertEquals("leakdx.report/2", new ObjectMapper().readTree(dir.resolve("r.json").toFile()).get("schema").asText());
        CliRun.of("diagnose", SMALL, "-o", dir.resolve("r.md").toString());
        assertTrue(Files.readString(dir.resolve("r.md")).startsWith("# Memory diagnosis: "));
        CliRun.of("diagnose", SMALL, "-o", dir.resolve("r.html").toString());
        assertTrue(Files.readString(dir.resolve("r.html")).startsWith("<!DOCTYPE html>"));
        CliRun.of("diagnose", SMALL, "-o", dir.resolve("r.txt").toString());
        assertTrue(Files.readString(dir.resolve("r.txt")).startsWith("1 finding: WARNING"));
        CliRun.of("diagnose", SMALL, "--format", "text", "-o", dir.resolve("forced.json").toString());
        assertTrue(Files.readString(dir.resolve("forced.json")).startsWith("1 finding: WARNING"), "--format wins over the extension");
        // a file report is 80 columns and colourless, like a pipe
        for (String line : Files.readAllLines(dir.resolve("r.txt")))
            assertTrue((line.length() <= 80 || line.startsWith("            ")) && !line.contains("\u001b"), line); // a command is never cut
    }

    @Test void anUnwritablePathIsNamedWithTheReason(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.of("diagnose", SMALL, "-o", dir.toString());
        assertEquals(2, r.exit());
        assertEquals("leakdx: " + dir + ": is a folder; -o takes a file name\n", r.err());
        Path file = Files.writeString(dir.resolve("plain"), "x");
        CliRun under = CliRun.of("diagnose", SMALL, "-o", file.resolve("r.txt").toString());
        assertEquals(2, under.exit());
        assertTrue(under.err().startsWith("leakdx: cannot write the report to " + file.resolve("r.txt") + ": "), under.err());
        assertTrue(under.err().contains("plain"), "the reason names the file in the way: " + under.err());
    }

    @Test void aBadPathInABatchIsOneRowAndTheBatchGoesOn() {
        CliRun r = CliRun.of("diagnose", SMALL, "/no/such/capture", "cases/lab-thp-proc");
        assertEquals(2, r.exit());
        String[] rows = r.out().split("\n");
        assertEquals(4, rows.length, r.out());
        assertTrue(rows[1].contains("HUGETLB_RESERVED_IDLE"), rows[1]);
        assertTrue(rows[2].matches("2 +/no/such/capture +error: no such file or folder"), rows[2]);
        assertTrue(rows[3].contains("THP_REFCOUNT_LEAK"), rows[3]);
        assertTrue(r.err().contains("3 captures: 0 without a warning, 2 with a warning or critical verdict, 1 unusable"), r.err());
    }

    @Test void anUnknownFactTypeListsTheTypes() {
        CliRun r = CliRun.of("facts", SMALL, "-t", "Bogus");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("leakdx: no fact type is called 'Bogus'; the fact types are: AddressTranslation, "), r.err());
        for (String t : Completion.FACT_TYPES) assertTrue(r.err().contains(t), t);
        CliRun near = CliRun.of("facts", SMALL, "-t", "MemCountr");
        assertTrue(near.err().contains("(did you mean MemCounter?)"), near.err());
    }

    @Test void aMistypedCommandOrOptionSuggestsTheNearest() {
        CliRun r = CliRun.of("diagnos", SMALL);
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Did you mean 'leakdx diagnose'?"), r.err());
        assertTrue(CliRun.of("diagnose", "--explian", SMALL).err().contains("Did you mean 'leakdx diagnose --explain'?"));
        assertTrue(CliRun.of("rules", "lst").err().contains("Did you mean 'leakdx rules list'?"));
    }

    @Test void rulesListPipesIntoRulesShow() {
        String list = CliRun.of("rules", "list").out();
        String slab = Stream.of(list.split("\n")).filter(l -> l.startsWith("SLAB_")).reduce("", (a, b) -> a + b + "\n");
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(("CODE   FAMILY\n" + slab).getBytes(StandardCharsets.UTF_8)));
            CliRun r = CliRun.of("rules", "show");
            assertEquals(0, r.exit(), r.err());
            long shown = r.out().lines().filter(l -> l.startsWith("  code:   SLAB_")).count();
            assertEquals(slab.lines().count(), shown, r.out());
        } finally {
            System.setIn(old);
        }
        assertTrue(CliRun.of("rules", "show", "SLAB_LEK").err().contains("(did you mean SLAB_LEAK?)"));
    }

    /** Every description of a command, option and parameter is made of whole sentences: a capital first, a full stop last. */
    @Test void helpTextsAreWholeSentences() {
        List<String> bad = new ArrayList<>();
        check(new CommandLine(new Main()), bad);
        assertEquals(List.of(), bad);
    }

    private static void check(CommandLine cl, List<String> bad) {
        if (cl.getCommand() instanceof CommandLine.HelpCommand) return;
        var spec = cl.getCommandSpec();
        List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
        spec.options().forEach(o -> texts.add(String.join(" ", o.description())));
        spec.positionalParameters().forEach(p -> texts.add(String.join(" ", p.description())));
        for (String t : texts) {
            String s = t.strip();
            if (s.isEmpty() || !Character.isUpperCase(s.charAt(0)) || !(s.endsWith(".") || s.endsWith(".)")))
                bad.add(spec.qualifiedName() + ": '" + t + "'");
        }
        cl.getSubcommands().values().forEach(c -> check(c, bad));
    }

    @Test void completionOffersFormatsRuleCodesAndFactTypes() {
        String script = CliRun.of("completion").out();
        assertTrue(script.contains("FORMAT_option_args=(\"text\" \"md\" \"json\" \"html\")"), "formats");
        for (String code : List.of("SLAB_LEAK", "NIC_RX_RING_PAGES", "PAGE_FRAG_CACHE_LEAK")) assertTrue(script.contains(code), code);
        assertTrue(script.contains("MemCounter"), "fact types");
    }

    /** The fact types listed for -t and completion are exactly the records of dev.leakdx.facts that rules match. */
    @Test void theFactTypeListMatchesTheFactsPackage() throws IOException {
        TreeSet<String> found = new TreeSet<>();
        Pattern record = Pattern.compile("public record (\\w+)\\([^{]*\\)\\s*implements ([\\w, .]+)\\{", Pattern.DOTALL);
        try (Stream<Path> s = Files.list(Path.of("core/src/main/java/dev/leakdx/facts"))) {
            for (Path p : s.toList()) {
                Matcher m = record.matcher(Files.readString(p));
                if (m.find() && m.group(2).matches(".*\\b(Fact|Trend|Aggregate)\\b.*")) found.add(m.group(1));
            }
        }
        assertEquals(found, new TreeSet<>(Completion.FACT_TYPES));
    }
}
