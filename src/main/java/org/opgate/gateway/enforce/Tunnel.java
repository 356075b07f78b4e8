package org.opgate.gateway.enforce;

import io.netty.channel.Channel;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open tunnel: its flow, decision, channels and byte counts. The outcome is set on the
 * client's event loop and read by the admin API and the cut; counters are written by the relay.
 */
public final class Tunnel {

    private final long id;
    private final String listener;
    private final Channel client;
    private final Instant start;
    private volatile Outcome outcome;
    private volatile Channel upstream;
    private volatile String endReason;
    private volatile ClientHelloFacts hello;
    private volatile ByteMeter meter = ByteMeter.NONE;
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();

    Tunnel(long id, String listener, Channel client, Outcome outcome, Instant start) {
        this.id = id;
        this.listener = listener;
        this.client = client;
        this.outcome = outcome;
        this.start = start;
    }

    public long id() {
        return id;
    }

    public String listener() {
        return listener;
    }

    public Channel client() {
        return client;
    }

    public Channel upstream() {
        return upstream;
    }

    public void upstream(Channel ch) {
        upstream = ch;
    }

    public Outcome outcome() {
        return outcome;
    }

    public void outcome(Outcome o) {
        outcome = o;
    }

    public Instant start() {
        return start;
    }

    public long bytesUp() {
        return bytesUp.get();
    }

    public long bytesDown() {
        return bytesDown.get();
    }

    public void addUp(long n) {
        bytesUp.addAndGet(n);
        meter.up(n);
    }

    public void addDown(long n) {
        bytesDown.addAndGet(n);
        meter.down(n);
    }

    /** Where relayed bytes are also counted (metrics); set by an observer, replaced when the class changes. */
    public void meter(ByteMeter m) {
        meter = m == null ? ByteMeter.NONE : m;
    }

    /** Counts relayed bytes; called on the tunnel's event loop for every read. */
    public interface ByteMeter {
        void up(long n);

        void down(long n);

        ByteMeter NONE = new ByteMeter() {
            @Override
            public void up(long n) {
            }

            @Override
            public void down(long n) {
            }
        };
    }

    /** What the client's ClientHello offered, or null if none was seen (not TLS, or not yet). */
    public ClientHelloFacts hello() {
        return hello;
    }

    public void hello(ClientHelloFacts facts) {
        hello = facts;
    }

    /**
     * TLS facts of a tunnel, recorded for logs and the admin API.
     *
     * @param sni  server name, or null
     * @param alpn offered ALPN protocols
     * @param ech  whether an encrypted_client_hello extension was present (the real name is hidden)
     */
    public record ClientHelloFacts(String sni, java.util.List<String> alpn, boolean ech) {
    }

    /** How the tunnel ended (client, upstream, cut, timeout, limit), or null while open. */
    public String endReason() {
        return endReason;
    }

    /** Records the first reason the tunnel ends; later ones are ignored. */
    public void ending(String reason) {
        if (endReason == null) {
            endReason = reason;
        }
    }
}
