package org.opgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.AdminClient.json;
import static org.opgate.testing.GatewayHarness.BBM_HOST;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.policy.Verdict;
import org.opgate.testing.AdminClient;
import org.opgate.testing.Await;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.LoopbackServer;
import org.opgate.testing.Socks5Client;
import org.opgate.testing.Wire;

/**
 * Hot reload under load: long-lived tunnels to a loopback echo server (a class of their own,
 * {@code LOAD}, by a rule on the echo's address and port) keep passing data while the config
 * is rewritten and reloaded through {@code POST /reload}, good and bad versions mixed. Good
 * reloads apply to new flows only; bad ones are refused with file:line:column and change
 * nothing; only a block phase with {@code cut-existing} in force touches open tunnels.
 */
final class ReloadUnderLoadTest {

    private static final Instant START = OffsetDateTime.parse("2015-10-01T12:00+05:00").toInstant();
    private static final int TUNNELS = 200;
    private static final int DRIVERS = 4;
    private static final String UFONE = "127.2.0.9";
    private static final String MOBILINK = "127.0.0.1";
    private static final String NO_POLICIES = "policies: []\n";

    private static LoopbackServer echo;
    private static GatewayHarness gw;
    private static AdminClient api;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        echo = LoopbackServer.echo();
        gw = GatewayHarness.builder().admin().at(START)
                .classes("load.yaml", classFile("LOAD"))
                .policies("load.yaml", NO_POLICIES)
                .start(dir);
        api = new AdminClient(gw);
    }

    @AfterAll
    static void stop() throws IOException {
        if (gw != null) {
            gw.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @BeforeEach
    void baseConfig() throws Exception {
        gw.awaitNoTunnels();
        gw.writeConfigFile("classes/load.yaml", classFile("LOAD"));
        gw.writeConfigFile("policies/load.yaml", NO_POLICIES);
        assertThat(gw.stack().reloader().reload("test").ok()).isTrue();
        gw.clearRecords();
    }

    /** A class file that puts the echo server (127.0.0.1, its port) in class {@code name}. */
    private static String classFile(String name, String... moreRules) {
        StringBuilder y = new StringBuilder("classes:\n  - name: ").append(name)
                .append("\n    description: the echo server of ReloadUnderLoadTest\n    rules:\n")
                .append("      - {id: load-echo, cidr: 127.0.0.1/32, ports: [").append(echo.address().getPort()).append("]}\n");
        for (String r : moreRules) {
            y.append("      - ").append(r).append('\n');
        }
        return y.toString();
    }

    /** A policy file with one policy on {@code cls} whose only phase, since 2015, is {@code phase}. */
    private static String policyFile(String cls, String operators, String phase) {
        return "policies:\n  - id: load-policy\n    class: " + cls + "\n    operators: " + operators
                + "\n    zone: UTC\n    phases:\n      - " + phase + "\n";
    }

    private static String target() {
        return echo.target();
    }

    /** A file of the harness's config directory. */
    private static String configFile(String relative) throws IOException {
        return Files.readString(gw.configDir().resolve(relative));
    }

    /** A CONNECT (or SOCKS5) tunnel to the echo server from {@code source}. */
    private static Socket open(String source, boolean socks) throws IOException {
        if (socks) {
            return Socks5Client.tunnel(gw.socks5(), "127.0.0.1", echo.address().getPort());
        }
        Socket s = Wire.connectFrom(InetAddress.getByName(source), gw.http());
        Wire.HttpReply r = Wire.connectRequest(s, target());
        if (r.status() != 200) {
            s.close();
            throw new AssertionError("CONNECT " + target() + " from " + source + " got " + r.statusLine());
        }
        return s;
    }

    /** The open tunnel whose client side is {@code s}. */
    private static Tunnel tunnelOf(Socket s) {
        InetSocketAddress local = (InetSocketAddress) s.getLocalSocketAddress();
        return gw.awaitTunnel(t -> local.equals(t.client().remoteAddress()), "the tunnel of client " + local);
    }

    /**
     * A new flow from {@code source} to {@code target} after a reload: the status it gets and
     * what the gateway decided for it. An accepted tunnel is closed again at once.
     */
    private static Outcome probe(String source, String target, int status) throws IOException {
        gw.clearRecords();
        try (Socket s = Wire.connectFrom(InetAddress.getByName(source), gw.http())) {
            assertThat(Wire.connectRequest(s, target).status()).as("CONNECT %s from %s", target, source).isEqualTo(status);
        }
        return gw.awaitDecision(d -> d.listener().equals("http"), "the probe to " + target).outcome();
    }

    /** Echoes through its share of the tunnels, round after round, until stopped or something fails. */
    private static final class Drivers implements AutoCloseable {
        private final List<Socket> sockets;
        private final AtomicLongArray rounds;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stop;

        Drivers(List<Socket> sockets) {
            this.sockets = sockets;
            this.rounds = new AtomicLongArray(sockets.size());
            for (int d = 0; d < DRIVERS; d++) {
                int first = d;
                Thread t = new Thread(() -> drive(first), "reload-load-" + d);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        private void drive(int first) {
            try {
                while (!stop) {
                    for (int i = first; i < sockets.size() && !stop; i += DRIVERS) {
                        Wire.echo(sockets.get(i), String.format("t%03d r%08d\n", i, rounds.get(i)));
                        rounds.incrementAndGet(i);
                    }
                    Thread.sleep(20);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }

        long[] snapshot() {
            long[] s = new long[rounds.length()];
            for (int i = 0; i < s.length; i++) {
                s[i] = rounds.get(i);
            }
            return s;
        }

        /** Waits until every tunnel echoed at least once more than in {@code before}; fails at once if a driver failed. */
        void awaitRoundAfter(long[] before, String when) {
            Await.until(() -> {
                if (failure.get() != null) {
                    throw new AssertionError("an echo failed " + when, failure.get());
                }
                for (int i = 0; i < before.length; i++) {
                    if (rounds.get(i) <= before[i]) {
                        return false;
                    }
                }
                return true;
            }, "every tunnel to echo again " + when);
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            for (Thread t : threads) {
                t.join(Await.DEFAULT.toMillis());
            }
        }
    }

    /** One reload of the sequence: the files it writes (null: unchanged), and what a good one changes. */
    private record Step(String name, String classes, String policies, Check check) {
        boolean good() {
            return check != null;
        }
    }

    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
    }

    private static Step good(String name, String classes, String policies, Check newFlows) {
        return new Step(name, classes, policies, newFlows);
    }

    private static Step bad(String name, String classes, String policies) {
        return new Step(name, classes, policies, null);
    }

    private static List<Step> twentyReloads() {
        String load = classFile("LOAD");
        String load2 = classFile("LOAD2");
        return List.of(
                good("a second rule in LOAD", classFile("LOAD", "{id: load-extra, host: load.opgate.test}"), NO_POLICIES,
                        () -> assertThat(probe(MOBILINK, target(), 200).trafficClass()).isEqualTo("LOAD")),
                bad("a CIDR prefix of 33", classFile("LOAD", "{id: bad-cidr, cidr: 10.0.0.0/33}"), null),
                good("the echo moves to class LOAD2", load2, NO_POLICIES,
                        () -> assertThat(probe(MOBILINK, target(), 200).trafficClass()).isEqualTo("LOAD2")),
                bad("a YAML syntax error", null, "policies: [\n"),
                good("LOAD2 blocked, without cut-existing", load2,
                        policyFile("LOAD2", "all", "{name: shut, from: 2015-01-01T00:00, action: block}"),
                        () -> assertThat(probe(MOBILINK, target(), 403).decision().verdict()).isEqualTo(Verdict.BLOCK)),
                bad("a policy on an unknown class", null,
                        policyFile("NOSUCH", "all", "{from: 2015-01-01T00:00, action: block}")),
                good("the block lifted", load2, NO_POLICIES,
                        () -> assertThat(probe(MOBILINK, target(), 200).decision().verdict()).isEqualTo(Verdict.ALLOW)),
                bad("an unknown rule key", classFile("LOAD2", "{id: typo, hots: x.opgate.test}"), null),
                good("the echo moves back to LOAD", load, NO_POLICIES,
                        () -> assertThat(probe(MOBILINK, target(), 200).trafficClass()).isEqualTo("LOAD")),
                bad("an unknown action", null, policyFile("LOAD", "all", "{from: 2015-01-01T00:00, action: blok}")),
                good("BBM blocked", load, policyFile("BBM", "all", "{name: shut, from: 2015-01-01T00:00, action: block}"),
                        () -> assertThat(probe(MOBILINK, BBM_HOST + ":443", 403).trafficClass()).isEqualTo("BBM")),
                bad("classes is not a list", "classes: 42\n", null),
                good("LOAD notified", load, policyFile("LOAD", "all", "{name: warn, from: 2015-01-01T00:00, action: notify}"),
                        () -> assertThat(probe(MOBILINK, target(), 200).decision().verdict()).isEqualTo(Verdict.NOTIFY)),
                bad("phases out of order", null, policyFile("LOAD", "all",
                        "{from: 2015-06-01T00:00, action: notify}\n      - {from: 2015-01-01T00:00, action: block}")),
                good("no policies again", load, NO_POLICIES,
                        () -> assertThat(probe(MOBILINK, BBM_HOST + ":443", 200).decision().verdict()).isEqualTo(Verdict.ALLOW)),
                bad("a port out of range", classFile("LOAD", "{id: bad-port, host: p.opgate.test, ports: [70000]}"), null),
                good("LOAD reported", load, policyFile("LOAD", "all", "{name: watch, from: 2015-01-01T00:00, action: report}"),
                        () -> assertThat(probe(MOBILINK, target(), 200).decision().verdict()).isEqualTo(Verdict.REPORT)),
                bad("an unknown zone", null, policyFile("LOAD", "all", "{from: 2015-01-01T00:00, action: block}")
                        .replace("zone: UTC", "zone: Mars/Olympus")),
                good("LOAD blocked for Ufone only, without cut-existing", load,
                        policyFile("LOAD", "[ufone]", "{name: shut, from: 2015-01-01T00:00, action: block}"), () -> {
                            assertThat(probe(UFONE, target(), 403).decision().verdict()).isEqualTo(Verdict.BLOCK);
                            assertThat(probe(MOBILINK, target(), 200).decision().verdict()).isEqualTo(Verdict.ALLOW);
                        }),
                bad("a CIDR that is no CIDR", classFile("LOAD", "{id: bad, cidr: not-a-cidr}"), null));
    }

    @Test
    void twoHundredTunnelsKeepEchoingAcrossTwentyReloadsGoodAndBad() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        Map<Tunnel, Integer> tunnels = new ConcurrentHashMap<>();
        try {
            for (int i = 0; i < TUNNELS; i++) {
                Socket s = open(i % 10 == 1 ? UFONE : MOBILINK, i % 10 == 0);
                sockets.add(s);
                Wire.echo(s, "hello " + i + "\n");
                tunnels.put(tunnelOf(s), i);
            }
            assertThat(tunnels).hasSize(TUNNELS);
            assertThat(tunnels.keySet()).allSatisfy(t -> assertThat(t.outcome().trafficClass()).isEqualTo("LOAD"));

            List<Step> steps = twentyReloads();
            assertThat(steps).hasSize(20);
            assertThat(steps.stream().filter(Step::good)).hasSize(10);
            try (Drivers drivers = new Drivers(sockets)) {
                String classes = configFile("classes/load.yaml");
                String policies = configFile("policies/load.yaml");
                for (Step step : steps) {
                    String before = gw.gateway().runtime().config().version();
                    long[] rounds = drivers.snapshot();
                    if (step.classes() != null) {
                        gw.writeConfigFile("classes/load.yaml", step.classes());
                    }
                    if (step.policies() != null) {
                        gw.writeConfigFile("policies/load.yaml", step.policies());
                    }

                    HttpResponse<String> r = api.send("POST", "/reload", null);

                    JsonNode body = json(r);
                    if (step.good()) {
                        assertThat(r.statusCode()).as(step.name() + ": " + r.body()).isEqualTo(200);
                        assertThat(body.path("oldVersion").asText()).isEqualTo(before);
                        assertThat(body.path("newVersion").asText()).as(step.name()).isNotEqualTo(before);
                        assertThat(body.path("tunnelsCut").asInt()).as(step.name()).isZero();
                        classes = configFile("classes/load.yaml");
                        policies = configFile("policies/load.yaml");
                    } else {
                        assertThat(r.statusCode()).as(step.name() + ": " + r.body()).isEqualTo(422);
                        assertThat(body.path("version").asText()).isEqualTo(before);
                        assertThat(body.path("errors")).as(step.name()).isNotEmpty().allSatisfy(e -> assertThat(e.asText())
                                .as(step.name()).matches(".*(classes|policies)/load\\.yaml:\\d+:\\d+: .+"));
                        assertThat(gw.gateway().runtime().config().version()).isEqualTo(before);
                        gw.writeConfigFile("classes/load.yaml", classes);
                        gw.writeConfigFile("policies/load.yaml", policies);
                    }
                    drivers.awaitRoundAfter(rounds, "after reload '" + step.name() + "'");
                    if (step.good()) {
                        step.check().run();
                    }
                }
                assertThat(Arrays.stream(drivers.snapshot()).min().orElseThrow()).isGreaterThanOrEqualTo(20);
            }

            assertThat(gw.tunnels().tunnels()).containsAll(tunnels.keySet());
            assertThat(tunnels.keySet()).allSatisfy(t -> {
                assertThat(t.endReason()).isNull();
                assertThat(t.outcome().trafficClass()).isEqualTo("LOAD");
            });
            assertThat(gw.cuts()).isEmpty();
            for (int i = 0; i < sockets.size(); i++) {
                Wire.echo(sockets.get(i), "still here " + i + "\n");
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void reloadThatAddsABlockPhaseInForceWithCutExistingCutsTheMatchingOpenTunnels() throws Exception {
        List<Socket> ufone = new ArrayList<>();
        List<Socket> mobilink = new ArrayList<>();
        try (Socket bbmRaw = Wire.connectFrom(InetAddress.getByName(UFONE), gw.http())) {
            assertThat(Wire.connectRequest(bbmRaw, BBM_HOST + ":443").status()).isEqualTo(200);
            try (SSLSocket bbm = Wire.tls(bbmRaw, BBM_HOST)) {
                for (int i = 0; i < 3; i++) {
                    ufone.add(open(UFONE, false));
                    mobilink.add(open(MOBILINK, false));
                }
                List<Tunnel> targeted = ufone.stream().map(ReloadUnderLoadTest::tunnelOf).toList();
                gw.writeConfigFile("policies/load.yaml", policyFile("LOAD", "[ufone]",
                        "{name: shut, from: 2015-01-01T00:00, action: block, cut-existing: true}"));

                HttpResponse<String> r = api.send("POST", "/reload", null);

                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(json(r).path("tunnelsCut").asInt()).isEqualTo(3);
                for (Socket s : ufone) {
                    assertThat(Wire.awaitEnd(s)).isIn("closed", "reset");
                }
                Await.until(() -> gw.cuts().size() == 3, "three cuts to be reported");
                assertThat(gw.cuts().stream().map(GatewayHarness.Cut::tunnel).collect(Collectors.toSet()))
                        .containsExactlyInAnyOrderElementsOf(targeted);
                assertThat(targeted).allSatisfy(t -> assertThat(t.endReason()).isEqualTo("cut"));
                for (Socket s : mobilink) {
                    Wire.echo(s, "mobilink is not bound by the policy\n");
                }
                Wire.echo(bbm, "BBM of Ufone is another class\n");
            }
        } finally {
            for (Socket s : ufone) {
                s.close();
            }
            for (Socket s : mobilink) {
                s.close();
            }
        }
    }
}
