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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.metrics.DecisionRecords;

/**
 * Keeps the last decisions for {@code GET /decisions} and streams decisions, cuts, reloads and
 * clock changes to {@code GET /events} subscribers as server-sent events. A subscriber that
 * cannot keep up (its channel not writable) misses events rather than slowing the gateway.
 */
public final class EventHub implements GatewayObserver {

    static final int KEEP = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A decision as it came, turned into its JSON record only when asked for (most never are). */
    private record Recent(String listener, Outcome outcome, String configVersion) {
    }

    private final ArrayDeque<Recent> recent = new ArrayDeque<>();
    private final List<Channel> subscribers = new CopyOnWriteArrayList<>();
    private final Supplier<String> configVersion;

    public EventHub(Supplier<String> configVersion) {
        this.configVersion = configVersion;
    }

    @Override
    public void decided(String listener, Outcome outcome) {
        // On every tunnel's path: keep the facts, build the record (maps, strings) on demand.
        Recent r = new Recent(listener, outcome, configVersion.get());
        synchronized (recent) {
            recent.addLast(r);
            if (recent.size() > KEEP) {
                recent.removeFirst();
            }
        }
        if (!subscribers.isEmpty()) {
            publish("decision", record(r));
        }
    }

    private static Map<String, Object> record(Recent r) {
        return DecisionRecords.decision(r.listener(), r.outcome(), r.configVersion());
    }

    @Override
    public void cut(Tunnel tunnel, Instant boundary) {
        publish("cut", DecisionRecords.cut(tunnel, boundary));
    }

    /** The last {@code n} decisions, oldest first. */
    public List<Map<String, Object>> recent(int n) {
        List<Recent> all;
        synchronized (recent) {
            all = new ArrayList<>(recent);
        }
        return all.subList(Math.max(0, all.size() - n), all.size()).stream().map(EventHub::record).toList();
    }

    void subscribe(Channel ch) {
        subscribers.add(ch);
        ch.closeFuture().addListener(f -> subscribers.remove(ch));
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /** Sends one event to every subscriber that can take it. */
    public void publish(String event, Map<String, Object> data) {
        if (subscribers.isEmpty()) {
            return;
        }
        String text;
        try {
            text = "event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n";
        } catch (JsonProcessingException e) {
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (Channel ch : subscribers) {
            if (ch.isActive() && ch.isWritable()) {
                ch.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)), ch.voidPromise());
            }
        }
    }
}
