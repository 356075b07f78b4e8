package org.opgate.sim.population;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.opgate.clock.GatewayClock;
import org.opgate.flow.IpAddress;
import org.opgate.flow.IpPrefix;
import org.opgate.flow.ListenerKind;
import org.opgate.policy.Operator;
import org.opgate.scenario.Endpoint;
import org.opgate.scenario.MoveTo;
import org.opgate.scenario.PopulationSpec;

/**
 * The simulated subscribers of a scenario, making real connections through the gateway on the
 * gateway clock and counting what happens to them in a {@link SessionLedger}.
 *
 * <p>Every subscriber has a source address of its own inside its operator's first pool (and, for
 * SOCKS5, an MSISDN with the operator's first prefix as its user name), so the gateway finds its
 * operator as it would a real subscriber's. All random choices come from one seed: the population
 * of index {@code i} draws from a generator split off the seed, and a persistent subscriber from
 * one split off its population's, on the scheduler's thread only. The same seed gives the same
 * plan; what the gateway does with it at a boundary can still differ by a session or two.
 */
public final class Population implements AutoCloseable {

    /** A listener sessions can use: its kind and bound address. */
    public record Entry(ListenerKind kind, InetSocketAddress address) {
    }

    private final GatewayClock clock;
    private final SimScheduler scheduler;
    private final SessionLedger ledger;
    private final GatewayNotes notes;
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final Function<String, Entry> listeners;
    private final Instant end;
    private final Map<String, Integer> nextAddress = new LinkedHashMap<>();
    private final Set<Session> open = ConcurrentHashMap.newKeySet();
    /** Sessions between their connect and the server's answer (or their end). */
    private final Set<Session> settingUp = ConcurrentHashMap.newKeySet();
    /** Sessions whose setup took longer than {@link #SLOW_SETUP_NANOS} of real time. */
    private final java.util.concurrent.atomic.AtomicLong slow = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean running = true;
    private final java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();

    public Population(GatewayClock clock, SimScheduler scheduler, SessionLedger ledger, GatewayNotes notes,
                      EventLoopGroup group, Class<? extends SocketChannel> channelType, Function<String, Entry> listeners,
                      Instant end) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.ledger = ledger;
        this.notes = notes;
        this.group = group;
        this.channelType = channelType;
        this.listeners = listeners;
        this.end = end;
    }

    /**
     * Plans the sessions of {@code spec} from {@code start} on.
     *
     * @param operators the config's operators (for pools and MSISDN prefixes)
     * @param seed      the run's seed
     * @param index     the population's place in the scenario (each draws from its own generator)
     */
    public void add(PopulationSpec spec, List<Operator> operators, long seed, int index, Instant start) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        List<Subscribers> blocks = new ArrayList<>();
        int assigned = 0;
        List<Map.Entry<String, Double>> shares = new ArrayList<>(spec.operators().entrySet());
        shares.sort(Map.Entry.comparingByKey());
        for (int i = 0; i < shares.size(); i++) {
            String id = shares.get(i).getKey();
            int n = i == shares.size() - 1 ? spec.subscribers() - assigned
                    : (int) Math.round(spec.subscribers() * shares.get(i).getValue());
            n = Math.max(0, Math.min(n, spec.subscribers() - assigned));
            assigned += n;
            Operator op = operators.stream().filter(o -> o.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no operator " + id));
            int first = nextAddress.getOrDefault(id, 0);
            nextAddress.put(id, first + n);
            blocks.add(new Subscribers(op, first, n));
            ledger.expect(spec.trafficClass(), id);
            if (spec.moveTo() != null) {
                ledger.expect(spec.moveTo().trafficClass(), id);
            }
        }
        if (spec.persistent()) {
            for (Subscribers b : blocks) {
                for (int j = 0; j < b.count; j++) {
                    Server s = new Server(spec, b, j, random.split());
                    // Steady state from the start: each server at a random point of its hold-and-gap
                    // cycle, so they come up over one cycle instead of all at once.
                    long cycle = Math.max(1, spec.hold().plus(spec.gap()).toSeconds());
                    scheduler.at(start.plusSeconds(s.random.nextLong(cycle)), s::connect);
                }
            }
        } else if (spec.sessionsPerDay() > 0 && spec.subscribers() > 0) {
            Arrivals a = new Arrivals(spec, blocks, random);
            a.planned = start.plus(a.nextGap());
            scheduler.at(a.planned, a::arrive);
        }
    }

    /** Sessions started so far. */
    public long started() {
        return started.get();
    }

    /**
     * Real nanoseconds the oldest session still in setup has waited, leaving out those waiting
     * longer than {@code limitNanos} (0 if none): how far the population lags behind the clock.
     */
    public long setupLagNanos(long limitNanos) {
        long lag = 0;
        for (Session s : settingUp) {
            long age = s.ageNanos();
            if (age <= limitNanos && age > lag) {
                lag = age;
            }
        }
        return lag;
    }

    /** Sessions between their connect and the server's answer now. */
    public int settingUp() {
        return settingUp.size();
    }

    /** Sessions whose setup (connect to the server's answer, or to a refusal) took longer than {@link #SLOW_SETUP_NANOS}. */
    public long slowSetups() {
        return slow.get();
    }

    /** A setup slower than this (real time) is counted as slow: 1 s is a lost SYN's retransmission timeout. */
    public static final long SLOW_SETUP_NANOS = 1_000_000_000L;

    /** Sessions open now (connecting or holding their tunnel). */
    public int open() {
        return open.size();
    }

    /** Stops planning and closes every open session without counting it (waits up to 5 s for them to close). */
    @Override
    public void close() {
        running = false;
        List<io.netty.util.concurrent.Future<Void>> closing = new ArrayList<>();
        for (Session s : open) {
            io.netty.util.concurrent.Future<Void> f = s.abandon();
            if (f != null) {
                closing.add(f);
            }
        }
        open.clear();
        settingUp.clear();
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (io.netty.util.concurrent.Future<Void> f : closing) {
            f.awaitUninterruptibly(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
    }

    /** The subscribers of one population at one operator: a block of its address pool. */
    private record Subscribers(Operator operator, int first, int count) {

        InetAddress address(int j) {
            IpPrefix pool = operator.pools().get(0);
            int size = (int) Math.min(1L << Math.min(31, 32 - pool.length()), Integer.MAX_VALUE);
            // Skip the pool's first and last address; wrap (shared addresses, as behind a NAT) past its end.
            int offset = 1 + Math.floorMod(first + j, Math.max(1, size - 2));
            return IpAddress.ofV4((int) pool.network().lo() + offset).toInetAddress();
        }

        /** The SRP id of server {@code j}: the operator and its number, unique in the run. */
        String srpId(int j) {
            return "S-" + operator.id() + "-" + (first + j);
        }

        String msisdn(int j) {
            String prefix = operator.msisdnPrefixes().isEmpty() ? "92" : operator.msisdnPrefixes().get(0);
            return prefix + String.format("%07d", (first + j) % 10_000_000);
        }
    }

    /**
     * @param srpId the SRP id a BES server logs in with (its first line instead of a ClientHello:
     *              SRP is not TLS, endpoints §0 A2), or null to send a ClientHello
     */
    private void start(String cls, Subscribers who, int j, Endpoint endpoint, List<String> via, Duration hold,
                       SplittableRandom random, Ended listener, String srpId) {
        Entry l = listeners.apply(via.get(via.size() == 1 ? 0 : random.nextInt(via.size())));
        byte[] hello = srpId != null
                ? SrpLogin.line(srpId)
                : ClientHelloBuilder.build(endpoint.sni(), random);
        SessionPlan plan = new SessionPlan(cls, who.operator.id(), who.address(j),
                l.kind() == ListenerKind.SOCKS5 ? who.msisdn(j) : null, l.kind(), l.address(), endpoint, hold, hello);
        Session session = new Session(plan, new Session.Listener() {
            @Override
            public void opened(Session s) {
                setUp(s);
                scheduler.at(clock.instant().plus(s.plan().hold()), s::finish);
            }

            @Override
            public void ended(Session s, SessionOutcome outcome, String reason) {
                setUp(s);
                open.remove(s);
                ledger.record(clock.instant(), s.plan().trafficClass(), s.plan().operator(), outcome, reason);
                listener.ended(s, outcome, reason);
            }
        }, notes);
        open.add(session);
        settingUp.add(session);
        started.incrementAndGet();
        io.netty.channel.ChannelFuture connecting = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(session)
                .connect(l.address(), new InetSocketAddress(plan.source(), 0));
        session.attach(connecting.channel());
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                open.remove(session);
                setUp(session);
                session.connectFailed(f.cause());
            }
        });
    }

    private void setUp(Session s) {
        if (settingUp.remove(s) && s.ageNanos() > SLOW_SETUP_NANOS) {
            slow.incrementAndGet();
        }
    }

    private static Duration exponential(SplittableRandom random, Duration mean) {
        double u = 1 - random.nextDouble();
        return Duration.ofMillis((long) (-Math.log(u) * mean.toMillis()));
    }

    /** How far behind the clock a stream of arrivals may catch up. */
    private static final Duration CATCH_UP = Duration.ofHours(6);

    /** Sessions of a non-persistent population: a Poisson stream from random subscribers. */
    private final class Arrivals {
        private final PopulationSpec spec;
        private final List<Subscribers> blocks;
        private final SplittableRandom random;
        /** The instant this arrival was planned for; the next is planned from it, not from now. */
        private Instant planned;

        Arrivals(PopulationSpec spec, List<Subscribers> blocks, SplittableRandom random) {
            this.spec = spec;
            this.blocks = blocks;
            this.random = random;
        }

        Duration nextGap() {
            return exponential(random, Duration.ofMillis((long) (86_400_000 / spec.sessionsPerDay())));
        }

        void arrive() {
            Instant now = clock.instant();
            if (!running || !now.isBefore(end)) {
                return;
            }
            int k = random.nextInt(spec.subscribers());
            for (Subscribers b : blocks) {
                if (k < b.count) {
                    start(spec.trafficClass(), b, k, spec.endpoint(), spec.via(), exponential(random, spec.hold()),
                            random, (s, o, r) -> { }, null);
                    break;
                }
                k -= b.count;
            }
            // Planned from the last planned instant: when the scheduler falls behind (a storm of
            // cuts and reconnections at a boundary) the stream catches up instead of thinning out;
            // a lag longer than CATCH_UP is given up, so a stalled run does not burst.
            Instant base = planned.isBefore(now.minus(CATCH_UP)) ? now : planned;
            planned = base.plus(nextGap());
            scheduler.at(planned, this::arrive);
        }
    }

    /** Tells the planner of a session how it ended. */
    @FunctionalInterface
    private interface Ended {
        void ended(Session s, SessionOutcome outcome, String reason);
    }

    /**
     * A persistent subscriber: a server holding one long connection (a BES server's SRP link),
     * back after {@code gap} when it closed it itself, after a back-off when it failed, and
     * perhaps moving elsewhere after repeated refusals.
     */
    private final class Server implements Ended {
        private final PopulationSpec spec;
        private final Subscribers who;
        private final int j;
        private final SplittableRandom random;
        private final boolean mover;
        private String cls;
        private Endpoint endpoint;
        private List<String> via;
        private int failures;

        Server(PopulationSpec spec, Subscribers who, int j, SplittableRandom random) {
            this.spec = spec;
            this.who = who;
            this.j = j;
            this.random = random;
            this.mover = spec.moveTo() != null && random.nextDouble() < spec.moveTo().share();
            this.cls = spec.trafficClass();
            this.endpoint = spec.endpoint();
            this.via = spec.via();
        }

        void connect() {
            if (!running || !clock.instant().isBefore(end)) {
                return;
            }
            // A BES server's SRP link (no SNI) logs in with its SRP id; on a VPN it is another flow.
            String srpId = endpoint.sni() == null && cls.equals(spec.trafficClass()) ? who.srpId(j) : null;
            start(cls, who, j, endpoint, via, exponential(random, spec.hold()), random, this, srpId);
        }

        @Override
        public void ended(Session s, SessionOutcome outcome, String reason) {
            if (SrpLogin.DISABLED_REASON.equals(reason)) {
                return;   // its SRP id is disabled: nothing it does brings the link back
            }
            scheduler.at(clock.instant(), () -> next(outcome));
        }

        private void next(SessionOutcome outcome) {
            Instant now = clock.instant();
            Duration wait;
            if (outcome == SessionOutcome.COMPLETED) {
                failures = 0;
                wait = spec.gap().isZero() ? Duration.ofMinutes(1) : exponential(random, spec.gap());
            } else {
                failures++;
                MoveTo m = spec.moveTo();
                if (mover && m != null && !cls.equals(m.trafficClass()) && outcome != SessionOutcome.ERROR
                        && failures >= m.afterFailures()) {
                    cls = m.trafficClass();
                    endpoint = m.endpoint();
                    via = m.via();
                    failures = 0;
                }
                // Jittered by ±50 % so servers cut at one instant do not all come back at one instant.
                wait = spec.reconnect() != null
                        ? Duration.ofMillis((long) (spec.reconnect().after(Math.max(1, failures)).toMillis() * (0.5 + random.nextDouble())))
                        : spec.gap().isZero() ? Duration.ofMinutes(1) : exponential(random, spec.gap());
            }
            scheduler.at(now.plus(wait), this::connect);
        }
    }
}
