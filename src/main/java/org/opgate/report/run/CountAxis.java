package org.opgate.report.run;

import java.util.Locale;

/** The chart's count scale: round tick values and short labels. */
final class CountAxis {

    private CountAxis() {
    }

    /** 0 and two or three round values up to at least {@code max}. */
    static long[] ticks(long max) {
        if (max <= 0) {
            return new long[] {0, 1};
        }
        double raw = max / 3.0;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        long step = 0;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw) {
                step = Math.max(1, (long) Math.ceil(m * magnitude));
                break;
            }
        }
        int n = (int) ((max + step - 1) / step);
        long[] ticks = new long[n + 1];
        for (int i = 0; i <= n; i++) {
            ticks[i] = i * step;
        }
        return ticks;
    }

    /** 950, 1.2k, 15k, 3.4M: short labels for the count axis. */
    static String compact(long v) {
        if (v < 1_000) {
            return Long.toString(v);
        }
        double k = v >= 1_000_000 ? v / 1_000_000.0 : v / 1_000.0;
        String unit = v >= 1_000_000 ? "M" : "k";
        return (k == Math.floor(k) ? Long.toString((long) k) : String.format(Locale.ROOT, "%.1f", k)) + unit;
    }

}
