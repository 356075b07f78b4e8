package org.opgate.bench.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The result of one run, as printed and written to JSON. Rates are per second of the measured
 * window (after the warm-up); CPU percentages are of one core over the whole run.
 *
 * @param heldTunnels   idle workload: tunnels open at once
 * @param besAllowed    mix: BES tunnels echoed (clock before the deadline) rather than refused
 * @param cuts          mix: held BES tunnels the gateway closed (cut at the deadline)
 * @param shed          mix: launches skipped because {@code concurrency} tunnels were open already
 * @param proxyCpuPercent CPU of the proxy's processes (100 = one core busy), null without --pid
 * @param proxyRssMb      largest resident set of the proxy's processes seen, MB
 * @param loadCpuPercent  CPU of the generator itself
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Report(String target, String protocol, String workload, String proxy, int concurrency, double seconds,
              long tunnels, double tunnelsPerSecond, long refusals, double refusalsPerSecond, long errors,
              Map<String, Integer> errorSamples, Latency latencyMicros, long bytes, double mbPerSecond,
              Integer heldTunnels, Long besAllowed, Long cuts, Long shed, Double proxyCpuPercent, Double proxyRssMb, double loadCpuPercent) {

    /** Per-tunnel latency, connect to the last echoed byte (or to the refusal), microseconds. */
    record Latency(long p50, long p90, long p99, long max) {
    }

    String line() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-14s %-8s %-10s", target, protocol, workload));
        switch (workload) {
            case "rate" -> b.append(String.format(" %,10.0f tunnels/s", tunnelsPerSecond));
            case "refusal" -> b.append(String.format(" %,10.0f refusals/s", refusalsPerSecond));
            case "throughput" -> b.append(String.format(" %,10.1f MB/s", mbPerSecond));
            case "mix" -> b.append(String.format(" %,10.0f tunnels/s %,.0f refusals/s, %d BES echoed, %d cut, %d shed",
                    tunnelsPerSecond, refusalsPerSecond, besAllowed, cuts, shed));
            default -> b.append(String.format(" %,10d held", heldTunnels == null ? 0 : heldTunnels));
        }
        if (latencyMicros != null) {
            b.append(String.format("  p50/p90/p99 %d/%d/%d us", latencyMicros.p50(), latencyMicros.p90(), latencyMicros.p99()));
        }
        b.append(String.format("  errors %d", errors));
        if (proxyCpuPercent != null) {
            b.append(String.format("  proxy cpu %.0f%% rss %.0f MB", proxyCpuPercent, proxyRssMb));
        }
        b.append(String.format("  load cpu %.0f%%", loadCpuPercent));
        if (errorSamples != null && !errorSamples.isEmpty()) {
            errorSamples.forEach((k, v) -> b.append("\n    error x").append(v).append(": ").append(k));
        }
        return b.toString();
    }
}
