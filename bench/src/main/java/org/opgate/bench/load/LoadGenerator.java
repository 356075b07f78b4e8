package org.opgate.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Drives one workload against one proxy address from a single event-loop thread, for a fixed
 * time, and measures it. Every method after {@link #run} starts runs on that event loop.
 *
 * <ul>
 *   <li>rate: {@code concurrency} connections at all times; each asks for a tunnel to the
 *       upstream echo, sends a real ClientHello and 1 KiB, checks the echo, closes, and is
 *       replaced at once.</li>
 *   <li>refusal: the same, for a blocked destination; each must be refused.</li>
 *   <li>throughput: {@code streams} tunnels to the upstream sink, written to as fast as the
 *       proxy takes the bytes.</li>
 *   <li>idle: {@code idle} tunnels opened (each checked with one echo), held for the duration,
 *       then each checked again with one more echo.</li>
 * </ul>
 * Counts start after the warm-up; errors are counted from the start and must be 0.
 */
final class LoadGenerator {

    /** What to run. */
    record Spec(String target, Protocol protocol, Workload workload, InetSocketAddress proxy, int upstreamPort,
                String allowedSni, String sinkSni, String blockedHost, int blockedPort, int concurrency, int streams,
                int idle, long warmupMillis, long durationMillis, long timeoutMillis, int payloadBytes, int sources,
                ProcStats proxyStats, ProcStats loadStats, double rate, List<Protocol> mixProtocols,
                List<InetSocketAddress> mixProxies) {
    }

    /**
     * MIX (the soak): tunnels launched at {@code rate} a second over the {@code mix} listeners in
     * turn: 80% allowed echoes, 15% BES tunnels that may be echoed or refused (the soak moves the
     * clock across the BES deadline), 5% BES tunnels held open until the gateway cuts them.
     */
    enum Workload { RATE, THROUGHPUT, REFUSAL, IDLE, MIX }

    private static final int CHUNK = 64 * 1024;
    private static final int MAX_ERROR_SAMPLES = 10;

    private final Spec spec;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Supplier<Channel> channels;
    private final InetSocketAddress[] sources;
    private final ByteBuf payloadBuf;
    private final ByteBuf firstFlightBuf;
    private final ByteBuf blockedFirstFlightBuf;
    private final ByteBuf sinkHello;
    private final ByteBuf chunk;
    private final Set<TunnelConnection> active = new HashSet<>();
    private final List<Channel> streams = new ArrayList<>();
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final Map<String, Integer> errorSamples = new LinkedHashMap<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final CpuWindow cpu;

    private long measureFrom;
    private long measureTo;
    private boolean stopping;
    private int nextSource;
    private long tunnels;
    private long refusals;
    private long besAllowed;
    private long cuts;
    private long shed;
    private double due;
    private int mixTurn;
    private long launched;
    private long errors;
    private long bytesWritten;
    private long bytesAtStart = -1;
    private long bytesAtEnd = -1;
    private int heldCount;
    private int pinged;
    private long idleOpenedNanos;
    private long rssMax;

    /**
     * @param channels a new, unregistered client channel for each tunnel (IPv4: the sources are
     *                 127.10.x.y); see {@link Load#clientChannels()} for the options it sets
     */
    LoadGenerator(Spec spec, EventLoopGroup group, Supplier<Channel> channels) {
        this.spec = spec;
        this.group = group;
        this.loop = group.next();
        this.channels = channels;
        this.cpu = new CpuWindow(spec.proxyStats(), spec.loadStats());
        this.sources = new InetSocketAddress[spec.sources()];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = Targets.source(i);
        }
        byte[] payload = new byte[spec.payloadBytes()];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        this.payloadBuf = direct(payload);
        this.firstFlightBuf = direct(concat(Hello.of(spec.allowedSni()), payload));
        this.blockedFirstFlightBuf = direct(concat(Hello.of(spec.blockedHost()), payload));
        this.sinkHello = direct(Hello.of(spec.sinkSni()));
        byte[] c = new byte[CHUNK];
        for (int i = 0; i < c.length; i++) {
            c[i] = (byte) i;
        }
        this.chunk = direct(c);
    }

    private static ByteBuf direct(byte[] b) {
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(b.length).writeBytes(b));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** What each tunnel sends, and expects back byte for byte. Never released: shared by all. */
    ByteBuf payloadBuf() {
        return payloadBuf;
    }

    ByteBuf firstFlightBuf() {
        return firstFlightBuf;
    }

    ByteBuf blockedFirstFlightBuf() {
        return blockedFirstFlightBuf;
    }

    ByteBuf sinkHello() {
        return sinkHello;
    }

    boolean stopping() {
        return stopping;
    }

    /** Runs the workload to its end and returns the report. Blocks the calling thread. */
    Report run() throws Exception {
        loop.execute(this::start);
        finished.get(spec.warmupMillis() + spec.durationMillis() + spec.timeoutMillis() + 60_000 + idleBudgetMillis(),
                TimeUnit.MILLISECONDS);
        return report();
    }

    private long idleBudgetMillis() {
        return spec.workload() == Workload.IDLE ? 120_000 : 0;
    }

    private void start() {
        long now = System.nanoTime();
        rssMax = spec.proxyStats().rssBytes();
        loop.scheduleAtFixedRate(this::sweep, 250, 250, TimeUnit.MILLISECONDS);
        if (spec.workload() == Workload.IDLE) {
            cpu.begin();
        } else {
            // CPU is read over the measured window only: warm-up (JIT) is not charged to the tunnels.
            loop.schedule(cpu::begin, TimeUnit.MILLISECONDS.toNanos(spec.warmupMillis()), TimeUnit.NANOSECONDS);
        }
        switch (spec.workload()) {
            case RATE, REFUSAL -> {
                measureFrom = now + TimeUnit.MILLISECONDS.toNanos(spec.warmupMillis());
                measureTo = measureFrom + TimeUnit.MILLISECONDS.toNanos(spec.durationMillis());
                for (int i = 0; i < spec.concurrency(); i++) {
                    launch(spec.workload() == Workload.RATE ? TunnelConnection.Mode.ECHO_ONCE : TunnelConnection.Mode.REFUSAL);
                }
                loop.schedule(this::stop, measureTo - now, TimeUnit.NANOSECONDS);
            }
            case THROUGHPUT -> {
                measureFrom = now + TimeUnit.MILLISECONDS.toNanos(spec.warmupMillis());
                measureTo = measureFrom + TimeUnit.MILLISECONDS.toNanos(spec.durationMillis());
                for (int i = 0; i < spec.streams(); i++) {
                    launch(TunnelConnection.Mode.STREAM);
                }
                loop.schedule(() -> bytesAtStart = bytesWritten, measureFrom - now, TimeUnit.NANOSECONDS);
                loop.schedule(() -> {
                    bytesAtEnd = bytesWritten;
                    stop();
                }, measureTo - now, TimeUnit.NANOSECONDS);
            }
            case MIX -> {
                measureFrom = now + TimeUnit.MILLISECONDS.toNanos(spec.warmupMillis());
                measureTo = measureFrom + TimeUnit.MILLISECONDS.toNanos(spec.durationMillis());
                if (spec.rate() > 0) {
                    loop.scheduleAtFixedRate(this::launchMix, 0, 10, TimeUnit.MILLISECONDS);
                } else {
                    for (int i = 0; i < spec.concurrency(); i++) {
                        launchNextMix();
                    }
                }
                loop.schedule(this::stop, measureTo - now, TimeUnit.NANOSECONDS);
            }
            case IDLE -> {
                measureFrom = now;
                measureTo = Long.MAX_VALUE;
                for (int i = 0; i < Math.min(spec.concurrency(), spec.idle()); i++) {
                    launchIdle();
                }
            }
        }
    }

    private int idleLaunched;

    /** Every 10 ms: the tunnels due at the configured rate, unless {@code concurrency} are open already. */
    private void launchMix() {
        if (stopping) {
            return;
        }
        due += spec.rate() / 100;
        while (due >= 1) {
            due--;
            if (active.size() >= spec.concurrency()) {
                shed++;
                continue;
            }
            launchNextMix();
        }
    }

    /** The next tunnel of the mix: 16 allowed, 3 BES and 1 held BES in every 20. */
    private void launchNextMix() {
        int pick = (int) (launched++ % 20);
        launch(pick < 16 ? TunnelConnection.Mode.ECHO_ONCE : pick < 19 ? TunnelConnection.Mode.BES_EITHER
                : TunnelConnection.Mode.BES_HOLD);
    }

    private void launchIdle() {
        if (idleLaunched < spec.idle() && !stopping) {
            idleLaunched++;
            launch(TunnelConnection.Mode.HOLD);
        }
    }

    private void launch(TunnelConnection.Mode mode) {
        if (stopping) {
            return;
        }
        boolean bes = mode == TunnelConnection.Mode.REFUSAL || mode == TunnelConnection.Mode.BES_EITHER
                || mode == TunnelConnection.Mode.BES_HOLD;
        Protocol protocol = spec.protocol();
        InetSocketAddress proxy = spec.proxy();
        if (!spec.mixProtocols().isEmpty()) {
            int i = mixTurn++ % spec.mixProtocols().size();
            protocol = spec.mixProtocols().get(i);
            proxy = spec.mixProxies().get(i);
        }
        Protocol.Handshake hs = new Protocol.Handshake(protocol,
                bes ? spec.blockedHost() : "127.0.0.1", bes ? spec.blockedPort() : spec.upstreamPort());
        TunnelConnection conn = new TunnelConnection(this, mode, hs, System.nanoTime());
        InetSocketAddress source = sources[nextSource];
        nextSource = nextSource + 1 == sources.length ? 0 : nextSource + 1;
        active.add(conn);
        // What Bootstrap.connect does, without cloning a Bootstrap and adding and removing a
        // ChannelInitializer for every tunnel: on this event loop, register completes at once.
        Channel ch = channels.get();
        ch.pipeline().addLast(conn);
        loop.register(ch);
        ch.connect(proxy, source).addListener(conn);
    }

    /** The connect of {@code conn} failed: an error, and the tunnel is replaced. */
    void connectFailed(TunnelConnection conn, Throwable cause) {
        if (active.remove(conn)) {
            if (!conn.finished()) {
                // (A connect the sweep timed out was counted as an error then.)
                error(conn, "connect failed: " + cause.getMessage());
            }
            replace(conn.mode());
        }
    }

    private void replace(TunnelConnection.Mode mode) {
        switch (mode) {
            case ECHO_ONCE, REFUSAL -> {
                if (spec.workload() != Workload.MIX) {
                    launch(mode);
                }
            }
            case BES_EITHER, BES_HOLD -> {
            }
            case HOLD -> launchIdle();
            case STREAM -> {
            }
        }
    }

    /** A tunnel finished as expected: echoed back, or refused. */
    void tunnelDone(TunnelConnection conn, boolean refused) {
        long now = System.nanoTime();
        if (now >= measureFrom && now <= measureTo) {
            if (refused) {
                refusals++;
            } else {
                tunnels++;
            }
            latency.recordValue(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMicros(now - conn.startNanos), latency.getHighestTrackableValue())));
        }
    }

    /** Mix: a BES tunnel was echoed (before the deadline) rather than refused. */
    void besAllowed() {
        long now = System.nanoTime();
        if (now >= measureFrom && now <= measureTo) {
            besAllowed++;
        }
    }

    /**
     * Mix: a BES tunnel is now held open (until the gateway cuts it, or for 60 s). In a closed
     * loop (no rate) it gives up its place at once: otherwise one tunnel in 20 holding its place
     * would, at a few thousand tunnels a second, fill every place within a second and stop the
     * loop (the soak's capacity run measured 0 tunnels/s that way).
     */
    void besHeld(TunnelConnection conn) {
        if (spec.workload() == Workload.MIX && spec.rate() <= 0 && !stopping) {
            conn.replaced = true;
            launchNextMix();
        }
    }

    /** Mix: a held BES tunnel was closed by the gateway (cut at the deadline). */
    void cut() {
        cuts++;
    }

    /** A held tunnel of the idle workload got its echo back. */
    void heldEcho(TunnelConnection conn) {
        if (pinged == 0) {
            heldCount++;
            if (heldCount + errors >= spec.idle()) {
                opened();
            } else {
                launchIdle();
            }
        } else {
            tunnels++;
            if (--pinged == 0) {
                stop();
            }
        }
    }

    private void opened() {
        idleOpenedNanos = System.nanoTime();
        measureFrom = idleOpenedNanos;
        loop.schedule(this::pingAll, spec.durationMillis(), TimeUnit.MILLISECONDS);
    }

    private void pingAll() {
        rssMax = Math.max(rssMax, spec.proxyStats().rssBytes());
        List<TunnelConnection> held = active.stream().filter(c -> c.held).toList();
        pinged = held.size();
        if (pinged == 0) {
            stop();
            return;
        }
        long now = System.nanoTime();
        for (TunnelConnection c : held) {
            c.ping();
        }
        // The second echo must come within the timeout too.
        loop.schedule(() -> {
            if (!stopping) {
                for (TunnelConnection c : List.copyOf(active)) {
                    if (!c.held && !c.finished()) {
                        c.timeout();
                    }
                }
                stop();
            }
        }, spec.timeoutMillis() + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - now), TimeUnit.MILLISECONDS);
    }

    void error(TunnelConnection conn, String why) {
        errors++;
        if (errorSamples.size() < MAX_ERROR_SAMPLES || errorSamples.containsKey(why)) {
            errorSamples.merge(why, 1, Integer::sum);
        }
        if (spec.workload() == Workload.IDLE && pinged == 0 && heldCount + errors >= spec.idle() && idleOpenedNanos == 0) {
            opened();
        }
    }

    void closed(TunnelConnection conn) {
        active.remove(conn);
        if (!stopping) {
            switch (spec.workload()) {
                case RATE -> launch(TunnelConnection.Mode.ECHO_ONCE);
                case REFUSAL -> launch(TunnelConnection.Mode.REFUSAL);
                case IDLE -> {
                    if (pinged == 0 && idleOpenedNanos == 0) {
                        launchIdle();
                    } else if (pinged > 0 && --pinged == 0) {
                        stop();
                    }
                }
                case MIX -> {
                    if (spec.rate() <= 0 && !conn.replaced) {
                        launchNextMix();
                    }
                }
                case THROUGHPUT -> {
                }
            }
        }
    }

    /** A stream's tunnel is established: from now on it is written to. */
    void streaming(Channel ch) {
        streams.add(ch);
        pump(ch);
    }

    /** Writes 64 KiB chunks while the channel takes them (throughput workload). */
    void pump(Channel ch) {
        while (ch.isActive() && ch.isWritable() && !stopping) {
            ch.write(chunk.retainedDuplicate(), ch.voidPromise());
            bytesWritten += CHUNK;
        }
        ch.flush();
    }

    private void sweep() {
        rssMax = Math.max(rssMax, spec.proxyStats().rssBytes());
        long limit = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(spec.timeoutMillis());
        List<TunnelConnection> late = new ArrayList<>();
        for (TunnelConnection c : active) {
            if (!c.held && !c.finished() && c.startNanos < limit && spec.workload() != Workload.THROUGHPUT
                    && !(spec.workload() == Workload.IDLE && pinged > 0)) {
                late.add(c);
            }
        }
        late.forEach(TunnelConnection::timeout);
        long old = System.nanoTime() - TimeUnit.SECONDS.toNanos(60);
        for (TunnelConnection c : List.copyOf(active)) {
            if (c.held && c.mode() == TunnelConnection.Mode.BES_HOLD && c.startNanos < old) {
                c.release();
            }
        }
        for (Channel ch : streams) {
            pump(ch);
        }
    }

    private void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        cpu.end();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        drain(deadline);
    }

    /** Lets tunnels in flight end (they are no longer counted), then closes what is left. */
    private void drain(long deadline) {
        boolean busy = active.stream().anyMatch(c -> !c.finished() && !c.held) && spec.workload() != Workload.THROUGHPUT;
        if (busy && System.nanoTime() < deadline) {
            loop.schedule(() -> drain(deadline), 20, TimeUnit.MILLISECONDS);
            return;
        }
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel ch : streams) {
            closing.add(ch.close());
        }
        loop.schedule(() -> {
            // Whatever is still open (held idle tunnels, a stuck handshake) is closed now.
            for (TunnelConnection c : List.copyOf(active)) {
                if (!c.finished() && !c.held && spec.workload() != Workload.THROUGHPUT) {
                    c.timeout();
                }
            }
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            finished.complete(null);
        }, 50, TimeUnit.MILLISECONDS);
    }

    private Report report() {
        double seconds = spec.workload() == Workload.IDLE
                ? spec.durationMillis() / 1000.0 : spec.durationMillis() / 1000.0;
        long bytes = spec.workload() == Workload.THROUGHPUT ? Math.max(0, bytesAtEnd - bytesAtStart)
                : spec.workload() == Workload.RATE ? tunnels * (long) firstFlightBuf.readableBytes() * 2 : 0;
        Report.Latency lat = latency.getTotalCount() == 0 ? null : new Report.Latency(
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(90),
                latency.getValueAtPercentile(99), latency.getMaxValue());
        return new Report(spec.target(), spec.protocol().name().toLowerCase(), spec.workload().name().toLowerCase(),
                spec.proxy().getAddress().getHostAddress() + ":" + spec.proxy().getPort(),
                spec.workload() == Workload.THROUGHPUT ? spec.streams() : spec.workload() == Workload.IDLE ? spec.idle() : spec.concurrency(),
                seconds, tunnels, round(tunnels / seconds), refusals, round(refusals / seconds), errors, errorSamples,
                lat, bytes, round(bytes / seconds / 1e6),
                spec.workload() == Workload.IDLE ? heldCount : null,
                spec.workload() == Workload.MIX ? besAllowed : null, spec.workload() == Workload.MIX ? cuts : null,
                spec.workload() == Workload.MIX ? shed : null,
                spec.proxyStats().empty() ? null : round(100 * cpu.proxyCores()),
                spec.proxyStats().empty() ? null : perItem(cpu.proxySeconds(), tunnels + refusals),
                spec.proxyStats().empty() ? null : perItem(cpu.proxyWorkSeconds(), tunnels + refusals),
                spec.proxyStats().empty() ? null : round(rssMax / 1e6),
                round(100 * cpu.loadCores()), perItem(cpu.loadSeconds(), tunnels + refusals),
                perItem(cpu.loopSeconds(), tunnels + refusals));
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Milliseconds of CPU per tunnel (or refusal), to three decimals; null when there was none. */
    private static Double perItem(double cpuSeconds, long items) {
        return items == 0 ? null : Math.round(cpuSeconds * 1e6 / items) / 1000.0;
    }
}
