package org.opgate.ruletest;

import java.util.ArrayList;
import java.util.List;
import org.opgate.policy.Verdict;

/**
 * What a test case expects; every field that is given must hold, null fields are not checked.
 * {@link #NONE} for {@code rule}, {@code policy} or {@code phase} expects that there is none
 * (no rule matched; no policy decided).
 *
 * @param trafficClass class name, or null
 * @param rule         id of the winning rule, {@link #NONE}, or null
 * @param verdict      the enforced verdict, or null
 * @param policy       id of the deciding policy, {@link #NONE}, or null
 * @param phase        name of the deciding phase, {@link #NONE}, or null
 */
public record Expectation(String trafficClass, String rule, Verdict verdict, String policy, String phase) {

    /** Written as {@code none}: no rule matched, or no policy decided. */
    public static final String NONE = "none";

    /** True if something needs a decision (and so the case's instant). */
    public boolean needsDecision() {
        return verdict != null || policy != null || phase != null;
    }

    public boolean isEmpty() {
        return trafficClass == null && rule == null && !needsDecision();
    }

    /** {@code class BES, rule bes-srp-host, verdict block}: the fields given, in that order. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>(5);
        if (trafficClass != null) {
            parts.add("class " + trafficClass);
        }
        if (rule != null) {
            parts.add("rule " + rule);
        }
        if (verdict != null) {
            parts.add("verdict " + verdict.configName());
        }
        if (policy != null) {
            parts.add("policy " + policy);
        }
        if (phase != null) {
            parts.add("phase " + phase);
        }
        return String.join(", ", parts);
    }
}
