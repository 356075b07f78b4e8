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
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.EventExecutorGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.opgate.clock.GatewayClock;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.GatewayRuntime;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.gateway.enforce.TunnelRegistry;
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
    private final ConcurrentHashMap<String, Boolean> activeGauges = new ConcurrentHashMap<>();
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
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
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
        classify.record(Duration.ofNanos(nanos));
    }

    private Counter counter(GatewayMeters meter, String... tagPairs) {
        String key = meter.meterName() + '|' + String.join("|", tagPairs);
        return counters.computeIfAbsent(key, k -> Counter.builder(meter.meterName()).description(meter.ticks())
                .baseUnit(meter == GatewayMeters.BYTES ? "bytes" : null).tags(tagPairs).register(registry));
    }

    private static String op(String operator) {
        return operator == null ? "unknown" : operator;
    }

    @Override
    public void decided(String listener, Outcome o) {
        String operator = op(o.flow().operator());
        String cls = o.trafficClass();
        counter(GatewayMeters.FLOWS, "operator", operator, "class", cls, "verdict", o.decision().verdict().configName(),
                "listener", listener).increment();
        if (!o.decision().shadow().isEmpty()) {
            Verdict v = o.decision().wouldBe();
            counter(GatewayMeters.FLOWS_WOULD_BE, "operator", operator, "class", cls, "verdict", v.configName(),
                    "listener", listener).increment();
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
        meterBytes(t);
        String operator = op(t.outcome().flow().operator());
        String cls = t.outcome().trafficClass();
        String key = operator + '|' + cls;
        if (activeGauges.putIfAbsent(key, true) == null) {
            Gauge.builder(GatewayMeters.TUNNELS_ACTIVE.meterName(), this, m -> m.active(operator, cls))
                    .description(GatewayMeters.TUNNELS_ACTIVE.ticks()).tags("operator", operator, "class", cls)
                    .register(registry);
        }
    }

    /** Points the tunnel's byte counts at the counters of its current operator and class. */
    public void meterBytes(Tunnel t) {
        String operator = op(t.outcome().flow().operator());
        String cls = t.outcome().trafficClass();
        Counter up = counter(GatewayMeters.BYTES, "operator", operator, "class", cls, "direction", "up");
        Counter down = counter(GatewayMeters.BYTES, "operator", operator, "class", cls, "direction", "down");
        t.meter(new Tunnel.ByteMeter() {
            @Override
            public void up(long n) {
                up.increment(n);
            }

            @Override
            public void down(long n) {
                down.increment(n);
            }
        });
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
        counter(GatewayMeters.TUNNELS_CUT, "operator", op(t.outcome().flow().operator()), "class",
                t.outcome().trafficClass()).increment();
    }

    /** Counts a reload attempt. */
    public void reloaded(boolean ok) {
        counter(GatewayMeters.CONFIG_RELOADS, "result", ok ? "ok" : "error").increment();
        if (ok) {
            policiesChanged();
        }
    }
}
