package org.opgate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.EventExecutorGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.opgate.clock.GatewayClock;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.GatewayRuntime;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.gateway.enforce.TunnelRegistry;
import org.opgate.gateway.relay.Relay;
import org.opgate.policy.Policy;
import org.opgate.policy.Verdict;

/**
 * The gateway's Micrometer meters (names in {@link GatewayMeters}), fed through the
 * {@link GatewayObserver} seam. Meters are created once per tag combination and cached; tags
 * come only from bounded sets (operator, class, verdict, listener, direction, reason).
 *
 * <pre>
 * GatewayMetrics metrics = new GatewayMetrics(registry, clock);
 * Gateway gw = Gateway.start(config, clock, upstreams, metrics, …);
 * metrics.bindGateway(gw::runtime, gw.tunnels(), workers);
 * </pre>
 */
public final class GatewayMetrics implements GatewayObserver {

    private final MeterRegistry registry;
    private final Timer classify;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ClassMeters>> byOperator = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Boolean> policyGauges = new ConcurrentHashMap<>();
    private final AtomicReference<TunnelRegistry> tunnels = new AtomicReference<>();
    private final GatewayClock clock;
    private Supplier<GatewayRuntime> runtime;

    public GatewayMetrics(MeterRegistry registry, GatewayClock clock) {
        this.registry = registry;
        this.clock = clock;
        this.classify = Timer.builder(GatewayMeters.CLASSIFY.meterName())
                .description(GatewayMeters.CLASSIFY.ticks())
                .publishPercentiles(0.5, 0.9, 0.99)
                .register(registry);
        Gauge.builder(GatewayMeters.CLOCK.meterName(), clock, c -> c.instant().toEpochMilli() / 1000.0)
                .description(GatewayMeters.CLOCK.ticks()).baseUnit("seconds").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // The allocator of the gateway's connections; the unpooled one for what else allocates.
        new NettyAllocatorMetrics(Relay.ALLOCATOR).bindTo(registry);
        new NettyAllocatorMetrics(UnpooledByteBufAllocator.DEFAULT).bindTo(registry);
    }

    /** Connects the gauges that read the running gateway: open tunnels, phases, event loops. */
    public void bindGateway(Supplier<GatewayRuntime> rt, TunnelRegistry registryOfTunnels, EventExecutorGroup workers) {
        this.runtime = rt;
        this.tunnels.set(registryOfTunnels);
        new NettyEventExecutorMetrics(workers).bindTo(registry);
        policiesChanged();
    }

    /** Registers phase gauges for policies of a (re)loaded config; gauges of removed policies read NaN. */
    public void policiesChanged() {
        if (runtime == null) {
            return;
        }
        for (Policy p : runtime.get().policies().policies()) {
            if (policyGauges.putIfAbsent(p.id(), true) != null) {
                continue;
            }
            String id = p.id();
            Tags tags = Tags.of("policy", id, "class", p.trafficClass());
            Gauge.builder(GatewayMeters.PHASE.meterName(), this, m -> m.phaseOf(id))
                    .description(GatewayMeters.PHASE.ticks()).tags(tags).register(registry);
            Gauge.builder(GatewayMeters.NEXT_BOUNDARY.meterName(), this, m -> m.secondsToNext(id))
                    .description(GatewayMeters.NEXT_BOUNDARY.ticks()).tags(tags).baseUnit("seconds").register(registry);
        }
    }

    private Policy policy(String id) {
        return runtime.get().policies().policies().stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
    }

    private double phaseOf(String id) {
        Policy p = policy(id);
        return p == null ? Double.NaN : p.phaseIndexAt(clock.instant());
    }

    private double secondsToNext(String id) {
        Policy p = policy(id);
        if (p == null) {
            return Double.NaN;
        }
        Instant now = clock.instant();
        int i = p.phaseIndexAt(now);
        Instant next = i + 1 < p.phases().size() ? p.phases().get(i + 1).start() : null;
        return next == null ? Double.NaN : Duration.between(now, next).toMillis() / 1000.0;
    }

    @Override
    public void timed(long nanos) {
        classify.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(GatewayMeters meter, String... tagPairs) {
        String key = meter.meterName() + '|' + String.join("|", tagPairs);
        return counters.computeIfAbsent(key, k -> Counter.builder(meter.meterName()).description(meter.ticks())
                .baseUnit(meter == GatewayMeters.BYTES ? "bytes" : null).tags(tagPairs).register(registry));
    }

    private static String op(String operator) {
        return operator == null ? "unknown" : operator;
    }

    /** The meters of one operator and class, found by two lookups on strings the flow already holds. */
    private ClassMeters of(String operator, String cls) {
        ConcurrentHashMap<String, ClassMeters> byClass = byOperator.get(operator);
        if (byClass == null) {
            byClass = byOperator.computeIfAbsent(operator, k -> new ConcurrentHashMap<>());
        }
        ClassMeters m = byClass.get(cls);
        return m != null ? m : byClass.computeIfAbsent(cls, k -> new ClassMeters(operator, cls));
    }

    @Override
    public void decided(String listener, Outcome o) {
        ClassMeters m = of(op(o.flow().operator()), o.trafficClass());
        m.flows(GatewayMeters.FLOWS, listener, o.decision().verdict()).increment();
        if (!o.decision().shadow().isEmpty()) {
            m.flows(GatewayMeters.FLOWS_WOULD_BE, listener, o.decision().wouldBe()).increment();
        }
    }

    @Override
    public void refused(String listener, String reason, String detail) {
        counter(GatewayMeters.REFUSALS, "listener", listener, "reason", reason).increment();
        if (reason.startsWith("limit-") || reason.equals("handshake-timeout") || reason.equals("header-too-large")
                || reason.equals("client-hello-too-large")) {
            counter(GatewayMeters.LIMITS, "listener", listener, "limit", reason).increment();
        }
    }

    @Override
    public void tunnelOpened(Tunnel t) {
        ClassMeters m = of(op(t.outcome().flow().operator()), t.outcome().trafficClass());
        t.meter(m.bytes);
        m.registerActiveGauge();
    }

    /** Points the tunnel's byte counts at the counters of its current operator and class. */
    public void meterBytes(Tunnel t) {
        t.meter(of(op(t.outcome().flow().operator()), t.outcome().trafficClass()).bytes);
    }

    private double active(String operator, String cls) {
        TunnelRegistry reg = tunnels.get();
        if (reg == null) {
            return 0;
        }
        return reg.tunnels().stream().filter(t -> op(t.outcome().flow().operator()).equals(operator)
                && t.outcome().trafficClass().equals(cls)).count();
    }

    @Override
    public void cut(Tunnel t, Instant boundary) {
        of(op(t.outcome().flow().operator()), t.outcome().trafficClass()).cut.increment();
    }

    /** Counts a reload attempt. */
    public void reloaded(boolean ok) {
        counter(GatewayMeters.CONFIG_RELOADS, "result", ok ? "ok" : "error").increment();
        if (ok) {
            policiesChanged();
        }
    }

    /**
     * Counters of one operator and class, made once: the tunnel path then finds them without
     * building a key, and every tunnel of the pair shares one byte meter.
     */
    private final class ClassMeters {

        private static final Verdict[] VERDICTS = Verdict.values();

        private final String operator;
        private final String cls;
        private final Counter cut;
        private final Tunnel.ByteMeter bytes;
        /** Per listener, flows and would-be flows indexed by verdict ordinal, filled on first use. */
        private final ConcurrentHashMap<String, Counter[]> flows = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Counter[]> wouldBe = new ConcurrentHashMap<>();
        private volatile boolean activeGauge;

        ClassMeters(String operator, String cls) {
            this.operator = operator;
            this.cls = cls;
            this.cut = counter(GatewayMeters.TUNNELS_CUT, "operator", operator, "class", cls);
            Counter up = counter(GatewayMeters.BYTES, "operator", operator, "class", cls, "direction", "up");
            Counter down = counter(GatewayMeters.BYTES, "operator", operator, "class", cls, "direction", "down");
            this.bytes = new Tunnel.ByteMeter() {
                @Override
                public void up(long n) {
                    up.increment(n);
                }

                @Override
                public void down(long n) {
                    down.increment(n);
                }
            };
        }

        Counter flows(GatewayMeters meter, String listener, Verdict v) {
            ConcurrentHashMap<String, Counter[]> table = meter == GatewayMeters.FLOWS ? flows : wouldBe;
            Counter[] row = table.get(listener);
            if (row == null) {
                row = table.computeIfAbsent(listener, k -> new Counter[VERDICTS.length]);
            }
            Counter c = row[v.ordinal()];
            if (c == null) {
                // Benign race: two threads may both look the counter up; the registry returns the same one.
                c = counter(meter, "operator", operator, "class", cls, "verdict", v.configName(), "listener", listener);
                row[v.ordinal()] = c;
            }
            return c;
        }

        void registerActiveGauge() {
            if (activeGauge) {
                return;
            }
            synchronized (this) {
                if (!activeGauge) {
                    Gauge.builder(GatewayMeters.TUNNELS_ACTIVE.meterName(), GatewayMetrics.this, m -> m.active(operator, cls))
                            .description(GatewayMeters.TUNNELS_ACTIVE.ticks()).tags("operator", operator, "class", cls)
                            .register(registry);
                    activeGauge = true;
                }
            }
        }
    }
}
