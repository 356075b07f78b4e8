package org.opgate.sim.demo;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opgate.admin.Reloader;
import org.opgate.admin.ScenarioFeed;
import org.opgate.clock.GatewayClock;
import org.opgate.clock.SimulatedClock;
import org.opgate.gateway.BoundListener;
import org.opgate.gateway.Gateway;
import org.opgate.gateway.GatewayObserver;
import org.opgate.report.run.RunRecord;
import org.opgate.scenario.PopulationSpec;
import org.opgate.scenario.Revision;
import org.opgate.scenario.Scenario;
import org.opgate.scenario.ScenarioEvent;
import org.opgate.sim.population.Population;
import org.opgate.sim.population.SessionLedger;
import org.opgate.sim.population.SimScheduler;

/**
 * Runs a scenario against a started gateway: applies each event's config revision at its
 * instant through the {@link Reloader} (as a reload would be: validated before, logged, counted,
 * published), runs the populations on the gateway clock, and makes the {@link RunRecord} at the
 * end. Also what the dashboard shows while it runs ({@link ScenarioFeed}).
 *
 * <pre>
 * ScenarioDriver driver = new ScenarioDriver(scenario, seed, subscribers);
 * // start the gateway with driver.observer() among its observers, the clock paused at scenario.start()
 * driver.start(gateway, reloader, clock, group, socketChannelType);
 * RunRecord record = driver.awaitEnd();
 * </pre>
 */
public final class ScenarioDriver implements ScenarioFeed, AutoCloseable {

    private final Scenario scenario;
    private final long seed;
    private final List<PopulationSpec> populations;
    private final GatewayNotesObserver notes = new GatewayNotesObserver();
    private final SessionLedger ledger;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private SimulatedClock clock;
    private SimScheduler scheduler;
    private Population population;
    private GatewayClock.Watch events;
    private volatile GatewayClock.Watch slowMotion;
    private LagGovernor governor;
    /** Clock changes made on behalf of a clock callback, which must not make them itself (a change re-checks every watch). */
    private final java.util.concurrent.ExecutorService clockTasks = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "opgate-scenario-clock");
        t.setDaemon(true);
        return t;
    });
    private long realStart;

    /** Around every event and phase boundary the clock runs this many times slower… */
    static final int SLOW_MOTION = 20;
    /** …from this long before the boundary… */
    static final Duration SLOW_BEFORE = Duration.ofHours(6);
    /** …until this long after it: the cuts, refusals and reconnections of a deadline take real
     *  time, which at full speed would spread them (and stall other sessions) over simulated days. */
    static final Duration SLOW_AFTER = Duration.ofHours(18);
    /** The most real time one slow-motion window may take (short scenarios at low rates stay short). */
    static final Duration SLOW_WINDOW_REAL = Duration.ofSeconds(3);

    /**
     * @param subscribers subscriber counts per class that replace the scenario's (a class's
     *                    session rate scales with its count)
     */
    public ScenarioDriver(Scenario scenario, long seed, Map<String, Integer> subscribers) {
        this.scenario = scenario;
        this.seed = seed;
        this.populations = scenario.populations().stream()
                .map(p -> subscribers.containsKey(p.trafficClass()) ? p.withSubscribers(subscribers.get(p.trafficClass())) : p)
                .toList();
        this.ledger = new SessionLedger(scenario.start(), scenario.end(), scenario.interval());
    }

    /** The scenario with the subscriber counts in force. */
    public List<PopulationSpec> populations() {
        return populations;
    }

    /** To be among the gateway's observers: tells the clients about cuts and refusal reasons. */
    public GatewayObserver observer() {
        return notes;
    }

    /**
     * Starts the timeline and the populations, then the clock (which must be paused at the
     * scenario's start).
     */
    public void start(Gateway gateway, Reloader reloader, SimulatedClock clock, EventLoopGroup group,
                      Class<? extends SocketChannel> channelType) {
        this.clock = clock;
        List<Revision> revisions = scenario.revisions().stream().filter(r -> r.config() != null).toList();
        // The clock waits at each event until its revision is in force: no decision is made past
        // an event with the config before it (a revision that landed late could let a phase it
        // replaces bite, as India's deadlines did in a compressed run).
        Map<Instant, Instant> holds = new TreeMap<>();
        for (Revision r : revisions) {
            holds.computeIfAbsent(r.event().at(), clock::holdAt);
        }
        events = clock.watch(t -> revisions.stream().map(r -> r.event().at()).filter(at -> at.isAfter(t)).findFirst().orElse(null),
                (boundary, now) -> {
                    revisions.stream().filter(r -> r.event().at().equals(boundary))
                            .forEach(r -> reloader.apply(r.config(), "scenario " + scenario.id() + ": " + r.event().name()));
                    // The revision may bring phase boundaries the slow motion has not seen yet.
                    if (slowMotion != null) {
                        slowMotion.recheck();
                    }
                    Instant held = holds.get(boundary);
                    if (held != null) {
                        clockTasks.execute(() -> clock.release(held));
                    }
                });
        scheduler = new SimScheduler(clock, "opgate-population");
        Map<String, Population.Entry> byName = new TreeMap<>();
        for (BoundListener l : gateway.listeners()) {
            byName.put(l.spec().name(), new Population.Entry(l.spec().kind(), l.address()));
        }
        population = new Population(clock, scheduler, ledger, notes, group, channelType, byName::get, scenario.end());
        for (int i = 0; i < populations.size(); i++) {
            population.add(populations.get(i), gateway.runtime().config().operators(), seed, i, scenario.start());
        }
        settings.put("seed", Long.toString(seed));
        settings.put("rate", Double.toString(clock.rate()));
        for (PopulationSpec p : populations) {
            settings.merge("subscribers " + p.trafficClass(), Integer.toString(p.subscribers()),
                    (a, b) -> Integer.toString(Integer.parseInt(a) + Integer.parseInt(b)));
        }
        settings.put("config version", gateway.runtime().config().version());
        settings.put("interval", scenario.interval().toString());
        startSlowMotion(gateway, clock);
        governor = new LagGovernor(clock, population, scenario.interval());
        realStart = System.nanoTime();
        clock.resume();
    }

    /**
     * The rate in slow motion: {@link #SLOW_MOTION} times slower, but never so slow that one
     * window costs more than {@link #SLOW_WINDOW_REAL} of real time, and never faster than the run.
     */
    static double slowRate(double base) {
        double window = SLOW_BEFORE.plus(SLOW_AFTER).toSeconds();
        return Math.min(base, Math.max(base / SLOW_MOTION, window / SLOW_WINDOW_REAL.toSeconds()));
    }

    /**
     * Slows the clock around each scenario event and each policy phase boundary of the config in
     * force (slow motion, as in Packet Tracer's simulation mode), and restores the run's rate after.
     */
    private void startSlowMotion(Gateway gateway, SimulatedClock clock) {
        double base = clock.rate();
        List<Instant> eventTimes = scenario.events().stream().map(ScenarioEvent::at).toList();
        java.util.function.Function<Instant, Instant> nextBoundaryAfter = t -> {
            Instant policy = gateway.runtime().policies().nextBoundaryAfter(t);
            Instant event = eventTimes.stream().filter(at -> at.isAfter(t)).findFirst().orElse(null);
            return policy == null ? event : event == null ? policy : policy.isBefore(event) ? policy : event;
        };
        // The instants where the rate changes: each boundary minus SLOW_BEFORE and plus SLOW_AFTER.
        slowMotion = clock.watch(t -> {
            Instant a = nextBoundaryAfter.apply(t.plus(SLOW_BEFORE));
            Instant b = nextBoundaryAfter.apply(t.minus(SLOW_AFTER));
            Instant start = a == null ? null : a.minus(SLOW_BEFORE);
            Instant stop = b == null ? null : b.plus(SLOW_AFTER);
            return start == null ? stop : stop == null ? start : start.isBefore(stop) ? start : stop;
        }, (boundary, now) -> {
            // Slow while some boundary B has B - SLOW_BEFORE <= now < B + SLOW_AFTER.
            Instant near = nextBoundaryAfter.apply(boundary.minus(SLOW_AFTER));
            boolean slow = near != null && !near.isAfter(boundary.plus(SLOW_BEFORE));
            double rate = slow ? slowRate(base) : base;
            // Not from inside the clock's own callback: a rate change re-checks every watch.
            clockTasks.execute(() -> {
                if (clock.rate() != rate && !ended()) {
                    clock.setRate(rate);
                }
            });
        });
    }

    /** True once the clock has reached the scenario's end. */
    public boolean ended() {
        return !clock.instant().isBefore(scenario.end());
    }

    /**
     * Waits until the clock reaches the scenario's end (or {@code limit} of real time passes),
     * then stops the clock and the populations and returns the record.
     */
    public RunRecord awaitEnd(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!ended() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return finish();
    }

    /** Stops where the run is and returns what it recorded. */
    public synchronized RunRecord finish() {
        if (!clock.isPaused()) {
            clock.pause();
        }
        Instant reached = clock.instant();
        governor.close();
        int open = population.open();
        population.close();
        scheduler.close();
        events.close();
        if (slowMotion != null) {
            slowMotion.close();
        }
        settings.put("slow motion", "rate " + Math.round(slowRate(Double.parseDouble(settings.get("rate")))) + " from "
                + SLOW_BEFORE.toHours() + " h before each event and phase boundary to " + SLOW_AFTER.toHours() + " h after");
        settings.put("real seconds", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - realStart) / 1e9));
        settings.put("sessions started", Long.toString(population.started()));
        settings.put("sessions open at the end", Integer.toString(open));
        settings.put("clock held for lagging sessions", String.format(java.util.Locale.ROOT, "%.1f s real in %d holds",
                governor.heldSeconds(), governor.holds()));
        settings.put("sessions slow to set up (over 1 s real)", Long.toString(population.slowSetups()));
        ledger.errorsBy().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .forEach(e -> settings.put("errors: " + e.getKey(), Long.toString(e.getValue())));
        if (reached.isBefore(scenario.end())) {
            settings.put("stopped at", reached.toString());
        }
        return new RunRecord(scenario.id(), scenario.title(), scenario.description(), scenario.zone(), scenario.start(),
                scenario.end(), scenario.interval(), scenario.events(), ledger.rows(), ledger.refusedBy(),
                scenario.sources(), settings);
    }

    /** The simulated instant now. */
    public Instant now() {
        return clock.instant();
    }

    /** Sessions open now. */
    public int openSessions() {
        return population.open();
    }

    @Override
    public String id() {
        return scenario.id();
    }

    @Override
    public String title() {
        return scenario.title();
    }

    @Override
    public List<ScenarioEvent> events() {
        return scenario.events();
    }

    @Override
    public int eventsPassed() {
        Instant now = clock == null ? scenario.start() : clock.instant();
        return (int) scenario.events().stream().filter(e -> !e.at().isAfter(now)).count();
    }

    @Override
    public Map<String, Map<String, Long>> sessions() {
        return ledger.totals();
    }

    @Override
    public void close() {
        if (governor != null) {
            governor.close();
        }
        if (population != null) {
            population.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (events != null) {
            events.close();
        }
        if (slowMotion != null) {
            slowMotion.close();
        }
        clockTasks.shutdownNow();
    }
}
