package org.opgate.sim.population;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.opgate.report.run.IntervalRow;

/**
 * Counts session outcomes per simulated interval, class and operator, refusals per class and
 * reason, and totals per class and outcome. Thread-safe (one lock; outcomes arrive at a few
 * thousand a second at most).
 */
public final class SessionLedger {

    private final Instant start;
    private final Instant end;
    private final Duration interval;
    private final Set<String> keys = new LinkedHashSet<>();
    private final Map<Long, Map<String, long[]>> byInterval = new HashMap<>();
    private final Map<String, Map<String, Long>> refusedBy = new TreeMap<>();
    private final Map<String, Map<String, Long>> totals = new TreeMap<>();
    private final Map<String, Long> errorsBy = new TreeMap<>();

    public SessionLedger(Instant start, Instant end, Duration interval) {
        this.start = start;
        this.end = end;
        this.interval = interval;
    }

    /** Makes sure rows exist for this class and operator, even if they never see a session. */
    public synchronized void expect(String trafficClass, String operator) {
        keys.add(trafficClass + "\u0000" + operator);
        totals.computeIfAbsent(trafficClass, k -> new TreeMap<>());
    }

    /** Counts one outcome at gateway-clock instant {@code at}; outcomes outside the run are ignored. */
    public synchronized void record(Instant at, String trafficClass, String operator, SessionOutcome outcome, String reason) {
        if (at.isBefore(start) || !at.isBefore(end)) {
            return;
        }
        String key = trafficClass + "\u0000" + operator;
        keys.add(key);
        long index = Duration.between(start, at).toNanos() / interval.toNanos();
        byInterval.computeIfAbsent(index, i -> new HashMap<>()).computeIfAbsent(key, k -> new long[4])[outcome.ordinal()]++;
        totals.computeIfAbsent(trafficClass, k -> new TreeMap<>()).merge(outcome.label(), 1L, Long::sum);
        if (outcome == SessionOutcome.ERROR) {
            errorsBy.merge(reason == null ? "" : reason.replaceAll("\\d+", "N"), 1L, Long::sum);
        }
        if (outcome == SessionOutcome.REFUSED) {
            refusedBy.computeIfAbsent(trafficClass, k -> new TreeMap<>()).merge(reason == null ? "" : reason, 1L, Long::sum);
        }
    }

    /** Sessions so far: class → outcome → count (every outcome present, zeros included). */
    public synchronized Map<String, Map<String, Long>> totals() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        totals.forEach((cls, counts) -> {
            Map<String, Long> m = new java.util.LinkedHashMap<>();
            for (SessionOutcome o : SessionOutcome.values()) {
                m.put(o.label(), counts.getOrDefault(o.label(), 0L));
            }
            out.put(cls, m);
        });
        return out;
    }

    /** Errors by what went wrong (numbers in the text replaced by N, so kinds group). */
    public synchronized Map<String, Long> errorsBy() {
        return new TreeMap<>(errorsBy);
    }

    public synchronized Map<String, Map<String, Long>> refusedBy() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        refusedBy.forEach((k, v) -> out.put(k, new TreeMap<>(v)));
        return out;
    }

    /** One row per interval of the run, class and operator (zeros included), by start, class, operator. */
    public synchronized List<IntervalRow> rows() {
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(null);
        List<IntervalRow> rows = new ArrayList<>();
        long count = (Duration.between(start, end).toNanos() + interval.toNanos() - 1) / interval.toNanos();
        for (long i = 0; i < count; i++) {
            Instant from = start.plus(interval.multipliedBy(i));
            Instant to = from.plus(interval);
            if (to.isAfter(end)) {
                to = end;
            }
            Map<String, long[]> m = byInterval.getOrDefault(i, Map.of());
            for (String key : sorted) {
                String[] parts = key.split("\u0000", 2);
                long[] c = m.getOrDefault(key, new long[4]);
                rows.add(new IntervalRow(from, to, parts[0], parts[1], c[0], c[1], c[2], c[3]));
            }
        }
        return rows;
    }
}
