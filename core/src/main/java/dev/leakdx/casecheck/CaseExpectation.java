package dev.leakdx.casecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a case folder's {@code expected.yaml} says the diagnosis must be (its {@code expect:}
 * block): the top verdict, the exit code, verdicts with bytes/pages/severity, codes that must
 * be considered or absent, findings, a severity ceiling, host facts and cited lines. A key
 * that is missing checks nothing; {@code top} missing means "no verdict".
 *
 * <p>{@code known_miss: "why"} (next to {@code expect:}) marks a case the knowledge base gets
 * wrong today, for a stated reason: the expectation stays the truth, the miss is counted in the
 * confusion table, and the case fails the day it starts to pass, so the mark cannot outlive it.
 */
public record CaseExpectation(String top, Integer exitCode, List<VerdictExpectation> verdicts, List<String> considered,
                              List<String> absent, List<String> findings, String maxSeverity, Map<String, String> host,
                              List<String> cites, String knownMiss) {

    /** One expected verdict; a null field is not checked. {@code tolerance} is relative (0.01 = 1%). */
    public record VerdictExpectation(String code, Long bytes, double tolerance, Long pages, String severity) {}

    public static CaseExpectation read(Path expectedYaml) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(expectedYaml.toFile());
        if (root == null || !root.has("expect")) throw new IOException(expectedYaml + ": no 'expect:' block");
        CaseExpectation e = of(root.get("expect"));
        String miss = root.path("known_miss").asText("").strip();
        return miss.isEmpty() ? e : e.withKnownMiss(miss);
    }

    public CaseExpectation withKnownMiss(String why) {
        return new CaseExpectation(top, exitCode, verdicts, considered, absent, findings, maxSeverity, host, cites, why);
    }

    public boolean isKnownMiss() { return knownMiss != null && !knownMiss.isEmpty(); }

    public static CaseExpectation of(JsonNode exp) {
        List<VerdictExpectation> verdicts = new ArrayList<>();
        for (JsonNode v : exp.path("verdicts"))
            verdicts.add(new VerdictExpectation(v.path("code").asText(), v.has("bytes") ? v.get("bytes").asLong() : null,
                    v.path("tolerance").asDouble(0.01), v.has("pages") ? v.get("pages").asLong() : null,
                    v.has("severity") ? v.get("severity").asText() : null));
        Map<String, String> host = new LinkedHashMap<>();
        exp.path("host").fields().forEachRemaining(e -> host.put(e.getKey(), e.getValue().asText()));
        return new CaseExpectation(exp.path("top").asText("(none)"), exp.has("exit_code") ? exp.get("exit_code").asInt() : null,
                verdicts, texts(exp.path("considered")), texts(exp.path("absent")), texts(exp.path("findings")),
                exp.has("max_severity") ? exp.get("max_severity").asText() : null, host, texts(exp.path("cites")), null);
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) n.forEach(x -> out.add(x.asText()));
        else if (!n.isMissingNode() && !n.isNull()) out.add(n.asText());
        return out;
    }
}
