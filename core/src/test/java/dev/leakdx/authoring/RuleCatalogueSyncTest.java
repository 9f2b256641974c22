package dev.leakdx.authoring;

import dev.leakdx.TestKnowledge;
import dev.leakdx.engine.KnowledgeBase;
import dev.leakdx.extract.ResourceFolder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** knowledge-base-docs/rule-catalogue.md is generated from rules/ and must not drift from it. */
class RuleCatalogueSyncTest {
    static final Path PAGE = Path.of("knowledge-base-docs/rule-catalogue.md");

    @Test void checkedInCatalogueMatchesTheRules() throws IOException {
        KnowledgeBase kb = TestKnowledge.diagnoser().knowledgeBase();
        String fresh = RuleCatalogue.markdown(RuleCatalogue.entries(kb, ResourceFolder.read(Path.of("rules"), "rules", ".drl")));
        String checkedIn = Files.isRegularFile(PAGE) ? Files.readString(PAGE) : "";
        assertTrue(fresh.equals(checkedIn), PAGE + " is out of sync with rules/; regenerate it with:\n    " + RuleCatalogue.COMMAND
                + "\nfirst difference at line " + firstDifference(fresh, checkedIn));
    }

    @Test void catalogueNamesCodesFilesAndLhsTypes() {
        KnowledgeBase kb = TestKnowledge.diagnoser().knowledgeBase();
        List<RuleCatalogue.Entry> entries;
        try {
            entries = RuleCatalogue.entries(kb, ResourceFolder.read(Path.of("rules"), "rules", ".drl"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(kb.rules().size(), entries.size());
        RuleCatalogue.Entry slab = entries.stream().filter(e -> e.name().equals("Unreclaimable slab is above its norm for this RAM: a slab leak"))
                .findFirst().orElseThrow();
        assertEquals("SLAB_LEAK", slab.code());
        assertEquals("slab", slab.family());
        assertEquals("rules/slab.drl", slab.file());
        // SlabCache and HostFact appear only inside collect(...): read from the compiled LHS, not from top-level patterns
        assertEquals(List.of("HostFact", "Hypothesis", "MemCounter", "Norm", "SlabCache"), slab.lhsTypes());
    }

    private static int firstDifference(String a, String b) {
        String[] x = a.split("\n", -1), y = b.split("\n", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) if (!x[i].equals(y[i])) return i + 1;
        return Math.min(x.length, y.length) + 1;
    }
}
