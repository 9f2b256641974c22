package dev.leakdx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** leakdx facts: what the rules would see, with the line each fact was read from. */
class FactsCommandTest {
    private static final Path ZFS = Path.of("cases/slab-leak-kmalloc32-zfs11003");

    @Test
    void typeFilterPrintsOnlyThoseFactsWithTheirCites(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("facts.txt");
        assertEquals(0, Main.run("facts", ZFS.toString(), "-t", "HostFact,SlabCache", "-o", out.toString()));
        List<String> lines = Files.readAllLines(out);
        assertEquals(24 + 2, lines.size(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.matches("proc/slabinfo:22\\s+SlabCache\\s+slab cache kmalloc-32 .*185,149,568.*")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.matches("proc/slabinfo:1\\s+HostFact\\s+page_size = 4096 .*")), String.join("\n", lines));
    }

    @Test
    void jsonCarriesTheRecordFieldsAndSummaryCountsEveryType(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("facts.jsonl");
        assertEquals(0, Main.run("facts", ZFS.toString(), "-t", "MemCounter", "-f", "json", "-o", out.toString()));
        ObjectMapper m = new ObjectMapper();
        JsonNode sunreclaim = Files.readAllLines(out).stream().map(l -> { try { return m.readTree(l); } catch (IOException e) { throw new RuntimeException(e); } })
                .filter(n -> n.path("fields").path("name").asText().equals("SUnreclaim")).findFirst().orElseThrow();
        assertEquals(9635684L * 1024, sunreclaim.path("fields").path("bytes").asLong());
        assertEquals("proc/meminfo:25", sunreclaim.path("cite").asText());

        Path sum = tmp.resolve("summary.json");
        assertEquals(0, Main.run("facts", ZFS.toString(), "--summary", "-f", "json", "-o", sum.toString()));
        JsonNode s = m.readTree(Files.readString(sum));
        assertEquals(24, s.path("facts").path("SlabCache").asInt());
        assertEquals(72, s.path("lines").asLong());
        assertEquals(0, s.path("skipped").asLong());
        assertEquals("proc.slabinfo", s.path("files").path("proc/slabinfo").path("format").asText());
    }
}
