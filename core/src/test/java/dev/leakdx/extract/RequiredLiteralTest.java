package dev.leakdx.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequiredLiteralTest {
    @Test
    void takesTheLongestCertainRunAtTopLevel() {
        assertEquals(" invoked oom-killer: gfp_mask=", RequiredLiteral.of("^\\s*(?<comm>\\S.*?) invoked oom-killer: gfp_mask=(?<gfp>0x[0-9a-f]+)"));
        assertEquals("Unreclaimable slab info:", RequiredLiteral.of("^\\s*Unreclaimable slab info:\\s*$"));
        assertEquals("Killed process ", RequiredLiteral.of("^\\s*Killed process (?<pid>\\d+)"));
        assertEquals("MemTotal:", RequiredLiteral.of("^MemTotal:\\s+(\\d+) kB"));
    }

    @Test
    void optionalCharactersAndRepeatsAreNotCertain() {
        assertEquals("abc", RequiredLiteral.of("abcd?ef"));       // "d" may be absent: "abc" then "ef" (too short)
        assertEquals("abcd", RequiredLiteral.of("abcd+xy"));      // at least one "d"; the run stops there
        assertEquals("abc", RequiredLiteral.of("abcd*xy"));
        assertEquals("abc", RequiredLiteral.of("abcd{0,2}xy"));
        assertEquals("abcd", RequiredLiteral.of("abcd{2}xy"));
        assertEquals("kB)", RequiredLiteral.of("\\d+kB\\)"));       // escaped punctuation is literal
    }

    @Test
    void givesUpWhereAnyRunCouldBeAvoided() {
        assertNull(RequiredLiteral.of("foo bar|baz qux"));          // top-level alternation
        assertNull(RequiredLiteral.of("(?i)memtotal"));              // case-insensitive
        assertNull(RequiredLiteral.of("(?<a>Node \\d+)"));           // everything inside a group
        assertNull(RequiredLiteral.of("ab[cde]fg"));                // runs of 2
        assertNull(RequiredLiteral.of("\\x41\\x42\\x43"));           // escapes with arguments are not literal text
        assertEquals("pfn", RequiredLiteral.of("\\p{Alpha}pfn"));
    }

    /** Every rule of every packed spec: wherever its regex matches a line, the literal is in that line. */
    @Test
    void onEveryPackedRuleTheLiteralIsImpliedByTheRegex() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<String> lines = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of("cases"))) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".xz") && !p.toString().endsWith(".gz")).toList())
                try { lines.addAll(Files.readAllLines(p)); } catch (IOException e) { /* binary: not a line source */ }
        }
        int rules = 0, withLiteral = 0, matchedLines = 0;
        try (Stream<Path> s = Files.list(Path.of("facts-extractors"))) {
            for (Path spec : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode r : yaml.readTree(spec.toFile()).path("options").path("rules")) {
                    String re = r.path("match").asText("");
                    rules++;
                    String lit = RequiredLiteral.of(re);
                    if (lit == null) continue;
                    withLiteral++;
                    Pattern p = Pattern.compile(re);
                    for (String line : lines) {
                        if (!p.matcher(line).find()) continue;
                        matchedLines++;
                        assertTrue(line.contains(lit), spec + ": '" + re + "' matches a line without '" + lit + "': " + line);
                    }
                }
            }
        }
        assertTrue(rules > 50 && withLiteral > 30, rules + " rules, " + withLiteral + " with a literal");
        assertTrue(matchedLines > 1000, matchedLines + " matched lines checked");
    }
}
