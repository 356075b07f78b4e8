package org.opgate.policy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the text an affected subscriber sees for each phase, for example "BES access closed
 * from 1 Dec 2015 00:00 PKT by order of the Pakistan Telecommunication Authority (notice of
 * 24 Jul 2015)". A phase's own {@code reason} is kept as written.
 */
public final class Reasons {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm z", Locale.ENGLISH);

    private Reasons() {
    }

    /** Formats an instant as the policy's subscribers read it: {@code 1 Dec 2015 00:00 PKT}. */
    public static String when(java.time.Instant instant, ZoneId zone) {
        return WHEN.format(ZonedDateTime.ofInstant(instant, zone));
    }

    /**
     * Returns {@code phases} with every empty reason written from the class, the authority and
     * the order. A notify phase followed by a block phase announces the block's start.
     */
    public static List<Phase> write(String trafficClass, ZoneId zone, String authority, String order, List<Phase> phases) {
        List<Phase> out = new ArrayList<>(phases.size());
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            if (!p.reason().isEmpty()) {
                out.add(p);
                continue;
            }
            String by = (authority == null ? "" : " by order of " + authority) + (order == null ? "" : " (" + order + ")");
            String from = when(p.start(), zone);
            String text = switch (p.action()) {
                case BLOCK -> trafficClass + " access closed from " + from + by;
                case THROTTLE -> trafficClass + " limited to " + rate(p.bytesPerSecond()) + " from " + from + by;
                case REPORT -> trafficClass + " connections reported from " + from + by;
                case ALLOW -> trafficClass + " access open from " + from + by;
                case NOTIFY -> {
                    // Announce a block only if the notice runs straight into it (notices may be repeated).
                    Phase block = null;
                    for (int j = i + 1; j < phases.size(); j++) {
                        Action next = phases.get(j).action();
                        if (next == Action.BLOCK) {
                            block = phases.get(j);
                        }
                        if (next != Action.NOTIFY) {
                            break;
                        }
                    }
                    yield block == null ? "notice" + (authority == null ? "" : " from " + authority)
                            + (order == null ? "" : " (" + order + ")") + ": " + trafficClass + " access stays open"
                            : trafficClass + " access will close from " + when(block.start(), zone) + by;
                }
            };
            out.add(new Phase(p.name(), p.from(), p.start(), p.action(), p.bytesPerSecond(), p.cutExisting(), text,
                    p.location()));
        }
        return out;
    }

    /** {@code 16 KiB/s}, {@code 1.5 MiB/s} or {@code 500 B/s}. */
    public static String rate(long bytesPerSecond) {
        if (bytesPerSecond >= 1024 * 1024) {
            return trim(bytesPerSecond / (1024.0 * 1024)) + " MiB/s";
        }
        if (bytesPerSecond >= 1024) {
            return trim(bytesPerSecond / 1024.0) + " KiB/s";
        }
        return bytesPerSecond + " B/s";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
