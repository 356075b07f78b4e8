package org.opgate.report;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.policy.AppliedPolicy;
import org.opgate.policy.Verdict;

/**
 * What an operator would hand the authority: per operator, subscriber and class, the first and
 * last time seen on the gateway clock, the number of flows and the bytes. A flow goes in when a
 * policy in force gives it {@code report}, or when its class is listed under {@code report.classes}.
 *
 * <p>Subscribers are pseudonymised by default with a keyed hash (HMAC-SHA256, a secret made per
 * run), so the report can be shown without exposing numbers; revealing them takes an explicit flag.
 */
public final class AuthorityReport implements GatewayObserver {

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final Supplier<List<String>> reportClasses;
    private final byte[] secret = new byte[32];

    /** @param reportClasses classes whose every flow is reported (read at each decision, so reloads apply) */
    public AuthorityReport(Supplier<List<String>> reportClasses) {
        this.reportClasses = reportClasses;
        new SecureRandom().nextBytes(secret);
    }

    private record Key(String operator, String subscriber, String trafficClass) {
    }

    private static final class Entry {
        private Instant first;
        private Instant last;
        private long flows;
        private long bytes;
        private final Set<String> why = ConcurrentHashMap.newKeySet();
    }

    private boolean reportable(Outcome o) {
        for (AppliedPolicy a : o.decision().applied()) {
            if (a.verdict() == Verdict.REPORT) {
                return true;
            }
        }
        return reportClasses.get().contains(o.trafficClass());
    }

    @Override
    public void decided(String listener, Outcome o) {
        if (o.flow().operator() == null || o.flow().subscriber() == null || !reportable(o)) {
            return;
        }
        Entry e = entries.computeIfAbsent(new Key(o.flow().operator(), o.flow().subscriber(), o.trafficClass()),
                k -> new Entry());
        synchronized (e) {
            Instant at = o.flow().at();
            e.first = e.first == null || at.isBefore(e.first) ? at : e.first;
            e.last = e.last == null || at.isAfter(e.last) ? at : e.last;
            e.flows++;
            e.why.add(o.decision().verdict() == Verdict.REPORT ? "report phase" : "class listed");
        }
    }

    @Override
    public void tunnelClosed(Tunnel t) {
        Outcome o = t.outcome();
        if (o.flow().operator() == null || o.flow().subscriber() == null) {
            return;
        }
        Entry e = entries.get(new Key(o.flow().operator(), o.flow().subscriber(), o.trafficClass()));
        if (e != null) {
            synchronized (e) {
                e.bytes += t.bytesUp() + t.bytesDown();
            }
        }
    }

    /** One row per operator, subscriber and class, sorted by operator, then class, then subscriber. */
    public List<Map<String, Object>> rows(boolean reveal) {
        List<Map<String, Object>> out = new ArrayList<>();
        entries.forEach((k, e) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            synchronized (e) {
                m.put("operator", k.operator());
                m.put("subscriber", reveal ? k.subscriber() : pseudonym(k.subscriber()));
                m.put("class", k.trafficClass());
                m.put("firstSeen", String.valueOf(e.first));
                m.put("lastSeen", String.valueOf(e.last));
                m.put("flows", e.flows);
                m.put("bytes", e.bytes);
            }
            out.add(m);
        });
        out.sort(Comparator.comparing((Map<String, Object> m) -> (String) m.get("operator"))
                .thenComparing(m -> (String) m.get("class")).thenComparing(m -> (String) m.get("subscriber")));
        return out;
    }

    /** The rows as CSV with a header line; fields are quoted where needed. */
    public String csv(boolean reveal) {
        StringBuilder sb = new StringBuilder("operator,subscriber,class,first_seen,last_seen,flows,bytes\n");
        for (Map<String, Object> r : rows(reveal)) {
            sb.append(csvField(r.get("operator"))).append(',').append(csvField(r.get("subscriber"))).append(',')
                    .append(csvField(r.get("class"))).append(',').append(r.get("firstSeen")).append(',')
                    .append(r.get("lastSeen")).append(',').append(r.get("flows")).append(',').append(r.get("bytes"))
                    .append('\n');
        }
        return sb.toString();
    }

    private static String csvField(Object o) {
        String s = String.valueOf(o);
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** {@code sub-} and 16 hex digits of HMAC-SHA256(secret, subscriber): stable within a run. */
    String pseudonym(String subscriber) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] h = mac.doFinal(subscriber.getBytes(StandardCharsets.UTF_8));
            return "sub-" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
