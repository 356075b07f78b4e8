package org.opgate.testing;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.opgate.cli.GatewayStack;
import org.opgate.clock.GatewayClock;
import org.opgate.clock.SimulatedClock;
import org.opgate.config.ConfigException;
import org.opgate.config.ConfigLoader;
import org.opgate.config.Limits;
import org.opgate.config.OpgateConfig;
import org.opgate.config.SimnetRoute;
import org.opgate.gateway.Gateway;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.Transport;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.gateway.enforce.TunnelRegistry;
import org.opgate.sim.simnet.SimnetResolver;
import org.opgate.sim.simnet.SimnetServers;

/**
 * A whole gateway on real loopback sockets, for wire-level tests: a config written into a
 * temporary directory (the bundled classes and policies, test listeners on port 0, operators
 * with 127.x pools, the bundled simnet routes), event loop groups of the best transport, the
 * simnet servers and resolver, a paused {@link SimulatedClock}, and an observer that records
 * every decision, refusal and cut.
 *
 * <p>With {@link Builder#admin()} it starts what {@code opgate run} starts, through the same
 * {@link GatewayStack}: Prometheus metrics, the decision log (a file in the temporary directory),
 * the event hub, the authority report, the reloader of the temporary config directory (so a test
 * can rewrite a file there and reload) and the admin API on 127.0.0.1, port chosen by the OS:
 *
 * <pre>
 * gw = GatewayHarness.builder().admin().start(dir);
 * HttpResponse&lt;String&gt; r = http.send(HttpRequest.newBuilder(gw.adminUri("/metrics")).build(), ofString());
 * gw.writeConfigFile("policies/extra.yaml", "…");
 * gw.stack().reloader().reload("test");
 * </pre>
 *
 * <pre>
 * &#64;BeforeAll
 * static void start(&#64;TempDir Path dir) throws Exception {
 *     gw = GatewayHarness.builder().limit("handshake-timeout", "300ms").start(dir);
 * }
 * &#64;AfterAll
 * static void stop() {
 *     gw.close();
 * }
 * …
 * gw.clock().set(GatewayHarness.DEADLINE);
 * Socket s = Wire.connectTunnel(gw.http(), "goods.bbm.blackberry.com:443");
 * </pre>
 *
 * <p>Listeners (all on 127.0.0.1, port chosen by the OS; none tied to an operator, so a client's
 * operator comes from its source address or MSISDN): {@code http}, {@code socks5}, {@code sni}
 * (upstream port 443) and {@code sni-srp} (upstream port 3101, where the BES rules apply).
 * Operators as bundled: mobilink 127.0.0.0/16 and 127.1.0.0/16 (MSISDN 9230…), ufone 127.2.0.0/16
 * (9233…), telenor 127.3.0.0/16 (9234…), zong 127.4.0.0/16 (9231…), warid 127.5.0.0/16 (9232…).
 * Simnet routes: {@code sink.bbm.blackberry.com} to the sink and {@code *.opgate.test} to the plain
 * HTTP server (test routes, first), then every bundled route.
 *
 * <p>Thread-safe for reading the records; one test at a time moves the clock.
 */
public final class GatewayHarness implements AutoCloseable {

    /** The PTA's BES deadline of the bundled policy: 2015-12-01T00:00 in Asia/Karachi. */
    public static final Instant DEADLINE = OffsetDateTime.parse("2015-12-01T00:00+05:00").toInstant();
    /** One second before {@link #DEADLINE}: BES is in its notify phase. */
    public static final Instant BEFORE_DEADLINE = DEADLINE.minusSeconds(1);
    /** The start of the bundled policy's notice phase: 2015-07-24T00:00+05:00. */
    public static final Instant NOTICE = OffsetDateTime.parse("2015-07-24T00:00+05:00").toInstant();

    /** A BBM host (class BBM on 443, no policy: always allowed), served by simnet's TLS server. */
    public static final String BBM_HOST = "goods.bbm.blackberry.com";
    /** A BES host (class BES on 3101: notify until the deadline, then block and cut). */
    public static final String BES_HOST = "gb.srp.blackberry.com";
    /** A BBM name that simnet routes to its sink, which counts what it receives. */
    public static final String SINK_HOST = "sink.bbm.blackberry.com";
    /** A name under the test route to simnet's plain HTTP server; class OTHER. */
    public static final String WEB_HOST = "web.opgate.test";

    /** The decision log of {@link Builder#admin()}, relative to the config directory. */
    private static final String DECISION_LOG = "out/decisions.jsonl";

    /** Something that happened, as the observer saw it. */
    public record Decided(String listener, Outcome outcome) {
    }

    public record Refused(String listener, String reason, String detail) {
    }

    public record Cut(Tunnel tunnel, Instant boundary) {
    }

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService dns;
    private final GatewayClock clock;
    private final boolean admin;
    private final List<Decided> decisions = new CopyOnWriteArrayList<>();
    private final List<Refused> refusals = new CopyOnWriteArrayList<>();
    private final List<Cut> cuts = new CopyOnWriteArrayList<>();
    private final List<Tunnel> closedTunnels = new CopyOnWriteArrayList<>();
    private SimnetServers simnet;
    private Gateway gateway;
    private GatewayStack stack;
    private OpgateConfig config;
    private Path configDir;

    private GatewayHarness(Instant at, boolean realClock, boolean admin) {
        Transport transport = Transport.best();
        this.boss = transport.newGroup(1, "gw-test-accept");
        this.workers = transport.newGroup(2, "gw-test-io");
        this.dns = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gw-test-dns");
            t.setDaemon(true);
            return t;
        });
        this.clock = realClock ? GatewayClock.real() : new SimulatedClock(at, 1, true);
        this.admin = admin;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sets up a test config; {@link #start} writes it and starts everything. */
    public static final class Builder {
        private Instant at = BEFORE_DEADLINE;
        private final Map<String, String> limits = new LinkedHashMap<>();
        private final Map<String, String> classFiles = new LinkedHashMap<>();
        private final Map<String, String> policyFiles = new LinkedHashMap<>();
        private boolean bundledPolicies = true;
        private boolean admin;
        private String adminToken;
        private boolean realClock;
        private boolean allowNonLoopback;
        private final List<String> reportClasses = new ArrayList<>();

        private Builder() {
        }

        /** Where the paused clock starts. Default: {@link #BEFORE_DEADLINE}. */
        public Builder at(Instant instant) {
            at = Objects.requireNonNull(instant, "instant");
            return this;
        }

        /** One entry of the {@code limits} section, such as {@code ("handshake-timeout", "300ms")}. */
        public Builder limit(String key, String value) {
            limits.put(key, value);
            return this;
        }

        /** An extra class file (YAML text), after the bundled {@code classes/blackberry.yaml}. */
        public Builder classes(String fileName, String yaml) {
            classFiles.put(fileName, yaml);
            return this;
        }

        /** An extra policy file (YAML text), after the bundled {@code policies/pta-2015.yaml}. */
        public Builder policies(String fileName, String yaml) {
            policyFiles.put(fileName, yaml);
            return this;
        }

        /** Leaves out the bundled {@code policies/pta-2015.yaml}. */
        public Builder withoutBundledPolicies() {
            bundledPolicies = false;
            return this;
        }

        /**
         * Also starts what {@code opgate run} starts (see the class comment): metrics, decision
         * log ({@link #decisionLog()}), event hub, authority report, reloader and admin API.
         */
        public Builder admin() {
            admin = true;
            return this;
        }

        /** Starts the admin API (as {@link #admin()}) with a bearer token of at least 16 characters. */
        public Builder adminToken(String token) {
            adminToken = Objects.requireNonNull(token, "token");
            admin = true;
            return this;
        }

        /** Runs the gateway on the real clock instead of a paused simulated one. */
        /**
         * Sets {@code simnet.allow-non-loopback}: upstream connections may leave loopback. Only
         * for tests whose targets stay on this host (such as 0.0.0.0).
         */
        public Builder allowNonLoopback() {
            allowNonLoopback = true;
            return this;
        }

        public Builder realClock() {
            realClock = true;
            return this;
        }

        /** A class whose every flow goes into the authority report ({@code report.classes}). */
        public Builder reportClass(String name) {
            reportClasses.add(name);
            return this;
        }

        /**
         * Writes the config into {@code dir} and starts simnet and the gateway.
         *
         * @throws Exception if the config is invalid or something cannot start (all that started is
         *                   stopped again)
         */
        public GatewayHarness start(Path dir) throws Exception {
            GatewayHarness h = new GatewayHarness(at, realClock, admin);
            try {
                h.startIn(write(dir));
                return h;
            } catch (Exception | Error e) {
                h.close();
                throw e;
            }
        }

        private Path write(Path dir) throws IOException, ConfigException {
            Path bundled = Path.of("config");
            for (String sub : List.of("classes", "policies")) {
                Files.createDirectories(dir.resolve(sub));
                try (Stream<Path> files = Files.list(bundled.resolve(sub))) {
                    for (Path f : files.toList()) {
                        Files.copy(f, dir.resolve(sub).resolve(f.getFileName()));
                    }
                }
            }
            List<String> classes = new ArrayList<>(List.of("classes/blackberry.yaml"));
            for (var e : classFiles.entrySet()) {
                Files.writeString(dir.resolve("classes").resolve(e.getKey()), e.getValue());
                classes.add("classes/" + e.getKey());
            }
            List<String> policies = new ArrayList<>();
            if (bundledPolicies) {
                policies.add("policies/pta-2015.yaml");
            }
            for (var e : policyFiles.entrySet()) {
                Files.writeString(dir.resolve("policies").resolve(e.getKey()), e.getValue());
                policies.add("policies/" + e.getKey());
            }
            StringBuilder y = new StringBuilder();
            y.append("# Written by GatewayHarness for one test class.\n");
            y.append("classes:\n");
            classes.forEach(c -> y.append("  - ").append(c).append('\n'));
            y.append("policies:").append(policies.isEmpty() ? " []\n" : "\n");
            policies.forEach(p -> y.append("  - ").append(p).append('\n'));
            y.append("""
                    operators:
                      - {id: mobilink, pools: [127.0.0.0/16, 127.1.0.0/16], msisdn-prefixes: ["9230"]}
                      - {id: ufone,    pools: [127.2.0.0/16], msisdn-prefixes: ["9233"]}
                      - {id: telenor,  pools: [127.3.0.0/16], msisdn-prefixes: ["9234"]}
                      - {id: zong,     pools: [127.4.0.0/16], msisdn-prefixes: ["9231"]}
                      - {id: warid,    pools: [127.5.0.0/16], msisdn-prefixes: ["9232"]}
                    listeners:
                      - {name: http,    kind: http,   bind: "127.0.0.1:0"}
                      - {name: socks5,  kind: socks5, bind: "127.0.0.1:0"}
                      - {name: sni,     kind: sni,    bind: "127.0.0.1:0"}
                      - {name: sni-srp, kind: sni,    bind: "127.0.0.1:0", upstream-port: 3101}
                    """);
            if (!limits.isEmpty()) {
                y.append("limits:\n");
                limits.forEach((k, v) -> y.append("  ").append(k).append(": ").append(v).append('\n'));
            }
            y.append("simnet:\n");
            if (allowNonLoopback) {
                y.append("  allow-non-loopback: true\n");
            }
            y.append("  routes:\n");
            y.append("    - {host: ").append(SINK_HOST).append(", server: sink, service: \"test sink\"}\n");
            y.append("    - {host: \"*.opgate.test\", server: http, service: \"opgate test web\"}\n");
            for (SimnetRoute r : ConfigLoader.load(bundled).simnet().routes()) {
                y.append("    - {").append(r.host() != null ? "host: \"" + r.host() + "\"" : "cidr: " + r.cidr())
                        .append(", server: ").append(r.server().name().toLowerCase(Locale.ROOT))
                        .append(", service: \"").append(r.service().replace("\"", "\\\"")).append("\"}\n");
            }
            if (admin) {
                y.append("admin:\n  bind: \"127.0.0.1:0\"\n");
                if (adminToken != null) {
                    y.append("  token: \"").append(adminToken).append("\"\n");
                }
                y.append("decision-log: \"").append(dir.resolve(DECISION_LOG).toAbsolutePath()).append("\"\n");
            }
            if (!reportClasses.isEmpty()) {
                y.append("report:\n  classes: ").append(reportClasses).append('\n');
            }
            Files.writeString(dir.resolve(ConfigLoader.MAIN_FILE), y.toString());
            return dir;
        }
    }

    private void startIn(Path dir) throws Exception {
        configDir = dir;
        config = ConfigLoader.load(dir);
        Transport transport = Transport.best();
        simnet = SimnetServers.start(workers, transport.serverChannel(), config.simnet().routes());
        SimnetResolver upstreams = new SimnetResolver(config.simnet(), simnet, dns);
        if (admin) {
            stack = GatewayStack.start(dir, config, clock, upstreams, new Recorder(), transport, boss, workers);
            gateway = stack.gateway();
        } else {
            gateway = Gateway.start(config, clock, upstreams, new Recorder(), transport, boss, workers);
        }
    }

    /** Records what the gateway reports. */
    private final class Recorder implements GatewayObserver {
        @Override
        public void decided(String listener, Outcome outcome) {
            decisions.add(new Decided(listener, outcome));
        }

        @Override
        public void refused(String listener, String reason, String detail) {
            refusals.add(new Refused(listener, reason, detail));
        }

        @Override
        public void tunnelClosed(Tunnel tunnel) {
            closedTunnels.add(tunnel);
        }

        @Override
        public void cut(Tunnel tunnel, Instant boundary) {
            cuts.add(new Cut(tunnel, boundary));
        }
    }

    public InetSocketAddress http() {
        return address("http");
    }

    public InetSocketAddress socks5() {
        return address("socks5");
    }

    /** The sni listener whose flows go to port 443. */
    public InetSocketAddress sni() {
        return address("sni");
    }

    /** The sni listener whose flows go to port 3101 (BES SRP). */
    public InetSocketAddress sniSrp() {
        return address("sni-srp");
    }

    /** The bound address of a listener of the test config, by name. */
    public InetSocketAddress address(String listener) {
        return gateway.address(listener);
    }

    /** The gateway clock: paused at the builder's instant; set, jump, re-rate or resume it. */
    public SimulatedClock clock() {
        if (clock instanceof SimulatedClock sim) {
            return sim;
        }
        throw new IllegalStateException("this harness runs on the real clock (Builder.realClock)");
    }

    /** The temporary config directory: {@code opgate.yaml}, {@code classes/}, {@code policies/}. */
    public Path configDir() {
        return configDir;
    }

    /** Writes {@code text} to a file of the config directory (for a reload to read). */
    public void writeConfigFile(String relative, String text) throws IOException {
        Files.writeString(configDir.resolve(relative), text);
    }

    /** The stack of {@link Builder#admin()}: metrics, decision log, events, report, reloader, admin API. */
    public GatewayStack stack() {
        if (stack == null) {
            throw new IllegalStateException("this harness has no admin stack (Builder.admin)");
        }
        return stack;
    }

    /** Where the admin API listens. */
    public InetSocketAddress admin() {
        return stack().admin().address();
    }

    /** {@code http://127.0.0.1:PORT} followed by {@code pathAndQuery}. */
    public URI adminUri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + admin().getPort() + pathAndQuery);
    }

    /** The decision log file of {@link Builder#admin()}. */
    public Path decisionLog() {
        stack();
        return configDir.resolve(DECISION_LOG);
    }

    public Gateway gateway() {
        return gateway;
    }

    public TunnelRegistry tunnels() {
        return gateway.tunnels();
    }

    public SimnetServers simnet() {
        return simnet;
    }

    public Limits limits() {
        return config.limits();
    }

    public List<Decided> decisions() {
        return List.copyOf(decisions);
    }

    public List<Refused> refusals() {
        return List.copyOf(refusals);
    }

    public List<Cut> cuts() {
        return List.copyOf(cuts);
    }

    /** Tunnels reported closed, in the order they closed. */
    public List<Tunnel> closedTunnels() {
        return List.copyOf(closedTunnels);
    }

    /** Forgets every record so far (call it before each test of a shared harness). */
    public void clearRecords() {
        decisions.clear();
        refusals.clear();
        cuts.clear();
        closedTunnels.clear();
    }

    /** Waits for the first decision that matches; fails with {@code what} if none comes. */
    public Decided awaitDecision(Predicate<Decided> match, String what) {
        return Await.value(() -> decisions.stream().filter(match).findFirst().orElse(null), "a decision: " + what);
    }

    /** Waits for the first decision on {@code listener} whose flow names {@code host} (as host or SNI). */
    public Decided awaitDecision(String listener, String host) {
        return awaitDecision(d -> d.listener().equals(listener)
                && (host.equals(d.outcome().flow().host()) || host.equals(d.outcome().flow().sni())),
                "on " + listener + " for " + host);
    }

    /** Waits for the first refusal on {@code listener} with {@code reason}. */
    public Refused awaitRefusal(String listener, String reason) {
        return Await.value(() -> refusals.stream().filter(r -> r.listener().equals(listener) && r.reason().equals(reason))
                .findFirst().orElse(null), "a refusal on " + listener + " for " + reason + " (recorded: " + refusals + ")");
    }

    /** Waits for an open tunnel that matches. */
    public Tunnel awaitTunnel(Predicate<Tunnel> match, String what) {
        return Await.value(() -> tunnels().tunnels().stream().filter(match).findFirst().orElse(null), "a tunnel: " + what);
    }

    /** Waits until no tunnel is open (a test of a shared harness starts with none). */
    public void awaitNoTunnels() {
        Await.until(() -> tunnels().size() == 0, "every tunnel to close (open: " + tunnels().size() + ")");
    }

    /** Closes the gateway, simnet and the event loops, each with a bounded wait. */
    @Override
    public void close() {
        try {
            if (stack != null) {
                stack.close();
            } else if (gateway != null) {
                gateway.close();
            }
            if (simnet != null) {
                simnet.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        } finally {
            clock.close();
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            dns.shutdownNow();
        }
    }
}
