package org.opgate.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.metrics.DecisionRecords;

/**
 * Keeps the last decisions for {@code GET /decisions} and streams decisions, cuts, reloads and
 * clock changes to {@code GET /events} subscribers as server-sent events, and counts decisions
 * per class and verdict for the dashboard. A subscriber that cannot keep up (its channel not
 * writable) misses events rather than slowing the gateway.
 */
public final class EventHub implements GatewayObserver {

    static final int KEEP = 1000;
    /** What a subscriber gets unless it names the event types it wants. */
    static final Set<String> DEFAULT_TYPES = Set.of("decision", "cut", "reload", "clock");

    /** A subscribed channel and the event types it takes. */
    private record Subscriber(Channel channel, Set<String> types) {
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A decision as it came, turned into its JSON record only when asked for (most never are). */
    private record Recent(String listener, Outcome outcome, String configVersion) {
    }

    private final ArrayDeque<Recent> recent = new ArrayDeque<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final DecisionCounts counts = new DecisionCounts();
    private final Supplier<String> configVersion;

    public EventHub(Supplier<String> configVersion) {
        this.configVersion = configVersion;
    }

    @Override
    public void decided(String listener, Outcome outcome) {
        counts.decided(outcome.trafficClass(), outcome.decision().verdict());
        // On every tunnel's path: keep the facts, build the record (maps, strings) on demand.
        Recent r = new Recent(listener, outcome, configVersion.get());
        synchronized (recent) {
            recent.addLast(r);
            if (recent.size() > KEEP) {
                recent.removeFirst();
            }
        }
        if (wanted("decision")) {
            publish("decision", record(r));
        }
    }

    private static Map<String, Object> record(Recent r) {
        return DecisionRecords.decision(r.listener(), r.outcome(), r.configVersion());
    }

    @Override
    public void cut(Tunnel tunnel, Instant boundary) {
        counts.cut(tunnel.outcome().trafficClass());
        publish("cut", DecisionRecords.cut(tunnel, boundary));
    }

    /** Whether any subscriber takes {@code event}: records are built only for those. */
    private boolean wanted(String event) {
        for (Subscriber s : subscribers) {
            if (s.types().contains(event)) {
                return true;
            }
        }
        return false;
    }

    /** The last {@code n} decisions, oldest first. */
    public List<Map<String, Object>> recent(int n) {
        List<Recent> all;
        synchronized (recent) {
            all = new ArrayList<>(recent);
        }
        return all.subList(Math.max(0, all.size() - n), all.size()).stream().map(EventHub::record).toList();
    }

    /** Decisions per class and verdict, and cuts per class, since start. */
    DecisionCounts counts() {
        return counts;
    }

    /** Streams events of {@code types} to {@code ch} until it closes. */
    void subscribe(Channel ch, Set<String> types) {
        Subscriber s = new Subscriber(ch, Set.copyOf(types));
        subscribers.add(s);
        ch.closeFuture().addListener(f -> subscribers.remove(s));
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /** Sends one event to every subscriber that can take it. */
    public void publish(String event, Map<String, Object> data) {
        if (!wanted(event)) {
            return;
        }
        byte[] bytes = encode(event, data);
        if (bytes == null) {
            return;
        }
        for (Subscriber s : subscribers) {
            if (s.types().contains(event)) {
                send(s.channel(), bytes);
            }
        }
    }

    /** Writes one encoded event to {@code ch} if it can take it now; otherwise the event is dropped. */
    static void send(Channel ch, byte[] event) {
        if (ch.isActive() && ch.isWritable()) {
            ch.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(event)), ch.voidPromise());
        }
    }

    /** {@code event: TYPE\ndata: JSON\n\n}, or null if {@code data} cannot be written as JSON. */
    static byte[] encode(String event, Object data) {
        try {
            return ("event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
