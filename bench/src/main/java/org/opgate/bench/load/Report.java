package org.opgate.bench.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The result of one run, as printed and written to JSON. Rates are per second of the measured
 * window (after the warm-up); CPU is read over that window too (over the whole run for the idle
 * workload), as a percentage of one core and as milliseconds per tunnel or refusal.
 *
 * @param heldTunnels   idle workload: tunnels open at once
 * @param besAllowed    mix: BES tunnels echoed (clock before the deadline) rather than refused
 * @param cuts          mix: held BES tunnels the gateway closed (cut at the deadline)
 * @param shed          mix: launches skipped because {@code concurrency} tunnels were open already
 * @param proxyCpuPercent CPU of the proxy's processes (100 = one core busy), null without --pid
 * @param proxyCpuMsPerTunnel the proxy's CPU milliseconds per tunnel or refusal counted
 * @param proxyWorkCpuMsPerTunnel the same without a JVM's compiler, GC and VM threads: a JVM
 *                        proxy still compiling shows in the difference
 * @param proxyRssMb      largest resident set of the proxy's processes seen, MB
 * @param loadCpuPercent  CPU of the load side: the generator (with its upstream server when it runs
 *                        one) and the processes of --load-pid
 * @param loadCpuMsPerTunnel the load side's CPU milliseconds per tunnel or refusal counted
 * @param loopCpuMsPerTunnel the same for the generator's event-loop thread alone: without the
 *                        JVM's compiler and GC threads and without processes of --load-pid
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Report(String target, String protocol, String workload, String proxy, int concurrency, double seconds,
              long tunnels, double tunnelsPerSecond, long refusals, double refusalsPerSecond, long errors,
              Map<String, Integer> errorSamples, Latency latencyMicros, long bytes, double mbPerSecond,
              Integer heldTunnels, Long besAllowed, Long cuts, Long shed, Double proxyCpuPercent, Double proxyCpuMsPerTunnel, Double proxyWorkCpuMsPerTunnel, Double proxyRssMb,
              double loadCpuPercent, Double loadCpuMsPerTunnel, Double loopCpuMsPerTunnel) {

    /** Per-tunnel latency, connect to the last echoed byte (or to the refusal), microseconds. */
    record Latency(long p50, long p90, long p99, long max) {
    }

    private static String perTunnel(Double ms) {
        return ms == null ? "" : String.format(" (%.3f ms/tunnel)", ms);
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
            b.append(String.format("  proxy cpu %.0f%%%s", proxyCpuPercent, perTunnel(proxyCpuMsPerTunnel)));
            if (proxyWorkCpuMsPerTunnel != null && !proxyWorkCpuMsPerTunnel.equals(proxyCpuMsPerTunnel)) {
                b.append(String.format(", without JIT/GC %.3f", proxyWorkCpuMsPerTunnel));
            }
            b.append(String.format(" rss %.0f MB", proxyRssMb));
        }
        b.append(String.format("  load cpu %.0f%%%s", loadCpuPercent, perTunnel(loadCpuMsPerTunnel)));
        if (loopCpuMsPerTunnel != null) {
            b.append(String.format(", event loop %.3f", loopCpuMsPerTunnel));
        }
        if (errorSamples != null && !errorSamples.isEmpty()) {
            errorSamples.forEach((k, v) -> b.append("\n    error x").append(v).append(": ").append(k));
        }
        return b.toString();
    }
}
