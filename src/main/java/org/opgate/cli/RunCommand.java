package org.opgate.cli;

import io.netty.channel.EventLoopGroup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import org.opgate.clock.GatewayClock;
import org.opgate.clock.SimulatedClock;
import org.opgate.config.ClockSettings;
import org.opgate.config.OpgateConfig;
import org.opgate.gateway.BoundListener;
import org.opgate.gateway.GatewayException;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.Transport;
import org.opgate.admin.Reloader;
import org.opgate.sim.simnet.SimnetResolver;
import org.opgate.sim.simnet.SimnetServers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opgate run [CONFIG_DIR] [--at INSTANT] [--rate R]}: starts the listeners and the
 * simulated network and runs until SIGINT or SIGTERM, then drains and exits 0.
 *
 * <pre>
 * $ opgate run config --at 2015-11-30T23:59:00+05:00
 * listening http 127.0.0.1:3128 operator=by-pool
 * …
 * clock simulated from 2015-11-30T18:59:00Z at rate 1
 * </pre>
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the gateway, the simulated network and the admin API until interrupted;"
                + " SIGHUP reloads the config.")
final class RunCommand implements Callable<Integer> {

    private static final Duration DRAIN = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG_DIR", defaultValue = ConfigOptions.DEFAULT_DIR,
            description = "Config directory or file. Default: $OPGATE_CONFIG, else ./config.")
    Path config;

    @Option(names = "--at", paramLabel = "INSTANT",
            description = "Start a simulated clock at this instant (ISO-8601 with offset or zone).")
    String at;

    @Option(names = "--rate", paramLabel = "R",
            description = "Simulated seconds per real second (with --at, or over the configured clock).")
    Double rate;

    @Option(names = "--quiet", description = "Do not print one line per decision.")
    boolean quiet;

    @Option(names = "--watch", description = "Reload when a file in the config directory changes.")
    boolean watch;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant start = at == null ? null : Instants.parse(at, "--at");
        if (start != null) {
            try {
                SimulatedClock.checkInstant(start);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--at " + at + ": " + e.getMessage());
            }
        }
        if (rate != null && !(rate > 0 && rate < 1e9)) {
            throw new UsageException("--rate " + rate + " (expected: a number greater than 0)");
        }
        OpgateConfig cfg = ConfigOptions.load(config, "run", err);
        if (cfg == null) {
            return ExitCodes.USAGE;
        }
        if (cfg.listeners().isEmpty()) {
            throw new UsageException("config " + config + " has no listeners (expected: a 'listeners' section)");
        }
        // Installed before anything starts: a SIGTERM during startup (a supervisor's, or a test's
        // right after the first lines) then stops the gateway with its drain, not the JVM's exit 143.
        CountDownLatch stop = stopOnSignal();
        GatewayClock clock = clock(cfg.clock(), start);
        // A simulated clock waits for the listeners: starting them takes a second or two, which at
        // --rate 3600 would be hours of simulated time gone before the first connection.
        SimulatedClock resumeWhenListening = clock instanceof SimulatedClock s && !s.isPaused() ? s : null;
        if (resumeWhenListening != null) {
            resumeWhenListening.pause();
        }
        Transport transport = Transport.best();
        // One event loop per core, which also accepts: a separate accept thread (and Netty's
        // default of two loops per core) would hand every new connection to another thread,
        // a wake-up and a context switch each, which on a gateway pinned to one core cost more
        // than the accept itself.
        EventLoopGroup workers = transport.newGroup(Runtime.getRuntime().availableProcessors(), "opgate-io");
        EventLoopGroup boss = workers;
        ExecutorService dns = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "opgate-dns");
            t.setDaemon(true);
            return t;
        });
        SimnetServers simnet = null;
        GatewayStack stack = null;
        try {
            if (cfg.simnet().enabled()) {
                simnet = SimnetServers.start(workers, transport.serverChannel(), cfg.simnet().routes(), clock);
            }
            SimnetServers servers = simnet;
            SimnetResolver upstreams = new SimnetResolver(cfg.simnet(),
                    kind -> servers == null ? null : servers.address(kind), dns);
            try {
                stack = GatewayStack.start(config, cfg, clock, upstreams,
                        quiet ? GatewayObserver.NONE : new ConsoleObserver(out), transport, boss, workers);
            } catch (GatewayException e) {
                err.println("opgate run: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            for (BoundListener l : stack.gateway().listeners()) {
                out.println(l.describe());
            }
            out.println(stack.admin().describe() + (cfg.admin().token() == null ? "" : " (bearer token required)"));
            if (stack.decisionLog() != null) {
                out.println("decision log " + cfg.decisionLog());
            }
            Reloader r = stack.reloader();
            onSignal("HUP", () -> r.reload("SIGHUP"));
            if (watch) {
                ConfigWatch.start(config, () -> r.reload("watch"));
            }
            out.println("transport " + transport.name() + "; simnet " + (simnet == null ? "off" : "on, "
                    + cfg.simnet().routes().size() + " routes") + "; config version " + cfg.version());
            if (resumeWhenListening != null) {
                resumeWhenListening.resume();
            }
            out.println(clock.isSimulated()
                    ? "clock simulated from " + clock.instant() + " at rate " + clock.rate() + (clock.isPaused() ? " (paused)" : "")
                    : "clock real");
            out.flush();
            stop.await();
            out.println("opgate run: stopping; open tunnels get " + DRAIN.toSeconds() + " s to finish");
            out.flush();
            return ExitCodes.OK;
        } finally {
            if (stack != null) {
                stack.shutdown(DRAIN);
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

    private GatewayClock clock(ClockSettings cfg, Instant start) {
        if (start != null) {
            return new SimulatedClock(start, rate != null ? rate : 1, false);
        }
        if (cfg.simulated()) {
            return new SimulatedClock(cfg.start(), rate != null ? rate : cfg.rate(), cfg.paused());
        }
        if (rate != null) {
            return new SimulatedClock(GatewayClock.real().instant(), rate, false);
        }
        return GatewayClock.real();
    }

    private static void onSignal(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                Thread t = new Thread(action, "opgate-signal-" + name);
                t.setDaemon(true);
                t.start();
            });
        } catch (IllegalArgumentException e) {
            // Not available on this platform: reload through the admin API instead.
        }
    }

    /** Counted down by SIGINT or SIGTERM; the handlers replace the JVM's so the drain runs and the exit code is 0. */
    private static CountDownLatch stopOnSignal() {
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.countDown());
            } catch (IllegalArgumentException e) {
                // Signal not available on this platform: Ctrl-C then ends the JVM without a drain.
            }
        }
        return stop;
    }
}
