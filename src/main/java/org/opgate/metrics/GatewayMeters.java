package org.opgate.metrics;

import java.util.List;

/**
 * Every opgate meter: its Micrometer name (dotted; the Prometheus registry adds units and
 * {@code _total}), type, tag keys (bounded sets only: never a host, address or subscriber), and
 * when it ticks. README's metrics table is checked against this enum by a test.
 */
public enum GatewayMeters {

    FLOWS("opgate.flows", "counter", List.of("operator", "class", "verdict", "listener"),
            "a flow is decided (per connection; per request on the forward proxy; again when the SNI peek revises it)"),
    FLOWS_WOULD_BE("opgate.flows.wouldbe", "counter", List.of("operator", "class", "verdict", "listener"),
            "a flow is decided while shadow policies apply: the verdict it would get if they were enforced"),
    BYTES("opgate.bytes", "counter", List.of("operator", "class", "direction"),
            "bytes are relayed through a tunnel (direction up: client to upstream; down: upstream to client)"),
    TUNNELS_ACTIVE("opgate.tunnels.active", "gauge", List.of("operator", "class"),
            "open tunnels, read at scrape time"),
    CLASSIFY("opgate.classify", "timer", List.of(),
            "time to classify and decide one flow, with percentiles"),
    TUNNELS_CUT("opgate.tunnels.cut", "counter", List.of("operator", "class"),
            "an open tunnel is closed because its class became blocked (phase boundary or reload)"),
    CONFIG_RELOADS("opgate.config.reloads", "counter", List.of("result"),
            "a reload is attempted (result ok or error)"),
    REFUSALS("opgate.refusals", "counter", List.of("listener", "reason"),
            "a connection is refused before or outside a policy verdict (bad request, unknown host, limit, timeout, …)"),
    LIMITS("opgate.limits", "counter", List.of("listener", "limit"),
            "a configured limit is hit (connections per listener or client, handshake timeout, header or ClientHello size)"),
    CLOCK("opgate.clock", "gauge", List.of(),
            "the gateway clock, in seconds since the epoch"),
    PHASE("opgate.policy.phase", "gauge", List.of("policy", "class"),
            "index of the phase in force per policy (-1 before the first), read at scrape time"),
    NEXT_BOUNDARY("opgate.policy.next.boundary", "gauge", List.of("policy", "class"),
            "gateway-clock seconds until the policy's next phase boundary (NaN when none is left)");

    private final String meterName;
    private final String type;
    private final List<String> tags;
    private final String ticks;

    GatewayMeters(String meterName, String type, List<String> tags, String ticks) {
        this.meterName = meterName;
        this.type = type;
        this.tags = tags;
        this.ticks = ticks;
    }

    public String meterName() {
        return meterName;
    }

    public String type() {
        return type;
    }

    public List<String> tags() {
        return tags;
    }

    public String ticks() {
        return ticks;
    }

    /** The name as Prometheus shows it ({@code opgate_flows_total}, {@code opgate_classify_seconds}). */
    public String prometheusName() {
        String base = meterName.replace('.', '_');
        return switch (type) {
            case "counter" -> base + "_total";
            case "timer" -> base + "_seconds";
            case "gauge" -> meterName.equals("opgate.clock") ? base + "_seconds"
                    : meterName.equals("opgate.policy.next.boundary") ? base + "_seconds" : base;
            default -> base;
        };
    }
}
