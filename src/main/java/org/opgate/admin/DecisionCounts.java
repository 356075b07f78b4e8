package org.opgate.admin;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.opgate.policy.Verdict;

/**
 * The gateway's decisions counted per class and verdict, and cuts per class, since start: the
 * dashboard's counters when no scenario is attached. Counting is lock-free; reads are a snapshot
 * that may be a few counts behind concurrent decisions.
 */
final class DecisionCounts {

    /** The outcome column for tunnels cut at a phase boundary. */
    static final String CUT = "cut";

    private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

    void decided(String trafficClass, Verdict verdict) {
        add(trafficClass, verdict.configName());
    }

    void cut(String trafficClass) {
        add(trafficClass, CUT);
    }

    private void add(String trafficClass, String outcome) {
        counts.computeIfAbsent(trafficClass, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, k -> new LongAdder())
                .increment();
    }

    /** Class → outcome → count, classes in name order; outcomes never counted are absent. */
    Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        counts.forEach((cls, byOutcome) -> {
            Map<String, Long> m = new TreeMap<>();
            byOutcome.forEach((o, n) -> m.put(o, n.sum()));
            out.put(cls, m);
        });
        return out;
    }
}
