package org.opgate.cli;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.opgate.clock.SimulatedClock;
import org.opgate.config.AdminSettings;
import org.opgate.config.BindAddress;
import org.opgate.config.ListenerSpec;
import org.opgate.config.OpgateConfig;
import org.opgate.gateway.GatewayException;
import org.opgate.gateway.Transport;
import org.opgate.report.run.RunRecord;
import org.opgate.scenario.Revision;
import org.opgate.scenario.Scenario;
import org.opgate.sim.demo.ScenarioDriver;
import org.opgate.sim.simnet.SimnetResolver;
import org.opgate.sim.simnet.SimnetServers;

/**
 * One scenario run, wired as {@code opgate run} wires the gateway: simnet, the gateway stack
 * (listeners, admin API, metrics, decision log) on the scenario's first config, a simulated clock
 * at the scenario's start, and the {@link ScenarioDriver} with its populations. {@link #await}
 * returns the run's {@link RunRecord}; {@code opgate demo} prints and writes it, tests assert on it.
 *
 * <pre>
 * try (ScenarioRun run = ScenarioRun.start(configDir, scenario, options)) {
 *     RunRecord record = run.await(Duration.ofMinutes(5));
 * }
 * </pre>
 */
final class ScenarioRun implements AutoCloseable {

    /**
     * How to run.
     *
     * @param rate           simulated seconds per real second
     * @param seed           the random seed of the populations
     * @param subscribers    subscriber counts per class in place of the scenario's
     * @param ephemeralPorts true to bind every listener and the admin API to port 0 (tests)
     * @param decisionLog    where the decision log goes, or null for none
     */
    record Options(double rate, long seed, Map<String, Integer> subscribers, boolean ephemeralPorts, Path decisionLog) {
    }

    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService dns;
    private final SimulatedClock clock;
    private SimnetServers simnet;
    private GatewayStack stack;
    private ScenarioDriver driver;

    private ScenarioRun(Scenario scenario, Options options) {
        transport = Transport.best();
        boss = transport.newGroup(1, "opgate-accept");
        workers = transport.newGroup(0, "opgate-io");
        dns = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "opgate-dns");
            t.setDaemon(true);
            return t;
        });
        clock = new SimulatedClock(scenario.start(), options.rate(), true);
    }

    /**
     * Starts everything and the clock.
     *
     * @throws GatewayException if a listener or the admin API cannot bind (everything is closed again)
     */
    static ScenarioRun start(Path configDir, Scenario given, Options options) throws GatewayException, InterruptedException {
        Scenario scenario = adjust(given, options);
        ScenarioRun run = new ScenarioRun(scenario, options);
        try {
            OpgateConfig cfg = scenario.initial();
            if (cfg.simnet().enabled()) {
                run.simnet = SimnetServers.start(run.workers, run.transport.serverChannel(), cfg.simnet().routes(), run.clock);
            }
            SimnetServers servers = run.simnet;
            SimnetResolver upstreams = new SimnetResolver(cfg.simnet(), kind -> servers == null ? null : servers.address(kind),
                    run.dns);
            run.driver = new ScenarioDriver(scenario, options.seed(), options.subscribers());
            run.stack = GatewayStack.start(configDir, cfg, run.clock, upstreams, run.driver.observer(), run.transport,
                    run.boss, run.workers);
            run.stack.attachScenario(run.driver);
            run.driver.start(run.stack.gateway(), run.stack.reloader(), run.clock, run.workers,
                    run.transport.socketChannel());
            return run;
        } catch (GatewayException | RuntimeException | InterruptedException e) {
            run.close();
            throw e;
        } catch (java.io.IOException e) {
            run.close();
            throw new GatewayException("simnet cannot start: " + e.getMessage(), e);
        }
    }

    /** The scenario with every config's ports and decision log set as the options say. */
    private static Scenario adjust(Scenario s, Options o) {
        return new Scenario(s.id(), s.title(), s.description(), s.zone(), s.start(), s.end(), o.rate(), s.interval(),
                adjust(s.initial(), o), s.revisions().stream()
                .map(r -> new Revision(r.event(), r.config() == null ? null : adjust(r.config(), o))).toList(),
                s.populations(), s.sources());
    }

    private static OpgateConfig adjust(OpgateConfig c, Options o) {
        List<ListenerSpec> listeners = o.ephemeralPorts()
                ? c.listeners().stream().map(l -> new ListenerSpec(l.name(), l.kind(), new BindAddress(l.bind().host(), 0),
                l.operator(), l.upstreamPort(), l.location())).toList()
                : c.listeners();
        AdminSettings admin = o.ephemeralPorts()
                ? new AdminSettings(new BindAddress(c.admin().bind().host(), 0), c.admin().token()) : c.admin();
        return new OpgateConfig(c.directory(), c.version(), c.files(), c.rules(), c.policies(), c.operators(), listeners,
                c.clock(), admin, c.limits(), c.simnet(), o.decisionLog() == null ? null : o.decisionLog().toString(),
                c.reportClasses());
    }

    ScenarioDriver driver() {
        return driver;
    }

    GatewayStack stack() {
        return stack;
    }

    /** The simnet servers, or null when the scenario's config has simnet off. */
    SimnetServers simnet() {
        return simnet;
    }

    /** The admin API's address (the dashboard is at its {@code /}). */
    InetSocketAddress adminAddress() {
        return stack.admin().address();
    }

    /** Waits for the end of the scenario (at most {@code limit}) and returns the record. */
    RunRecord await(Duration limit) throws InterruptedException {
        return driver.awaitEnd(limit);
    }

    @Override
    public void close() {
        if (driver != null) {
            driver.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (simnet != null) {
            simnet.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        clock.close();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        dns.shutdownNow();
    }
}
