package dev.leakdx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The benchmark's answer check: a JSON report ({@code leakdx diagnose --format json}) against
 * what CaptureGenerator injected (its truth file). Passes when the NIC_RX_RING_PAGES hypothesis
 * (verdict or considered) has exactly the injected pages and bytes, or else when the
 * POPULATION_IS_SHARED finding has exactly the injected bytes. Prints one line; exit 0 if right,
 * 1 if wrong.
 *
 * <p>Usage: {@code java -cp "$(bench/classpath.sh)" dev.leakdx.bench.CheckReport REPORT.json TRUTH.properties}
 */
public final class CheckReport {
    private CheckReport() {}

    public static void main(String[] args) throws Exception {
        JsonNode r = new ObjectMapper().readTree(Files.readString(Path.of(args[0])));
        Properties truth = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            truth.load(in);
        }
        long pages = Long.parseLong(truth.getProperty("population_pages"));
        long bytes = Long.parseLong(truth.getProperty("population_bytes"));
        for (String list : new String[] {"verdicts", "considered"}) {
            for (JsonNode v : r.path(list)) {
                if (v.path("code").asText().equals("NIC_RX_RING_PAGES")) {
                    long p = v.path("pages").asLong(), b = v.path("bytes").asLong();
                    if (p == pages && b == bytes) {
                        System.out.printf("ok: %s NIC_RX_RING_PAGES %d pages, %d bytes (%s, confidence %s)%n", list, p, b,
                                v.path("severity").asText(), v.path("confidence").asText());
                        System.exit(0);
                    }
                    System.out.printf("WRONG: NIC_RX_RING_PAGES has %d pages, %d bytes; injected %d pages, %d bytes%n", p, b, pages, bytes);
                    System.exit(1);
                }
            }
        }
        for (JsonNode f : r.path("findings")) {
            if (f.path("code").asText().equals("POPULATION_IS_SHARED") && f.path("bytes").asLong() == bytes) {
                System.out.printf("ok: finding POPULATION_IS_SHARED %d bytes%n", bytes);
                System.exit(0);
            }
        }
        System.out.printf("WRONG: no NIC_RX_RING_PAGES verdict and no POPULATION_IS_SHARED finding of %d bytes (%d pages)%n", bytes, pages);
        System.exit(1);
    }
}
