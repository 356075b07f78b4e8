package org.opgate.replay;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opgate.flow.IpAddress;
import org.opgate.replay.PacketDecoder.Decoded;
import org.opgate.replay.PacketDecoder.Transport;

/**
 * Capture file → {@link Capture}: reads the packets ({@link CaptureReader}), decodes them
 * ({@link PacketDecoder}), learns names from DNS responses ({@link DnsAnswers}) and follows every
 * TCP flow by its 5-tuple ({@link TcpFlow}).
 *
 * <p>The client of a flow is the sender of its SYN; when the capture starts after the SYN, the
 * receiver of a SYN-ACK, else the sender of the first packet seen. A client SYN with a new
 * sequence number on a known 5-tuple starts a new flow (port reuse). A read error ends the
 * analysis but keeps everything before it.
 */
public final class CaptureAnalyzer {

    private final Map<Key, TcpFlow> open = new HashMap<>();
    private final List<TcpFlow> flows = new ArrayList<>();
    private final DnsAnswers dns = new DnsAnswers();
    private final Map<String, int[]> skipped = new LinkedHashMap<>();   // reason -> {count, first packet}

    private record Key(IpAddress src, int srcPort, IpAddress dst, int dstPort) {
    }

    private CaptureAnalyzer() {
    }

    /** Reads {@code file}; I/O errors (no such file, unreadable) become the capture's error. */
    public static Capture analyze(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return analyze(file.toString(), in);
        } catch (IOException e) {
            return new Capture(file.toString(), 0, List.of(), 0, List.of(), "cannot read " + file + ": " + e);
        }
    }

    /** Reads a capture from {@code in}, which the caller closes. */
    public static Capture analyze(String name, InputStream in) throws IOException {
        CaptureAnalyzer a = new CaptureAnalyzer();
        int[] count = {0};
        String error = null;
        try {
            CaptureReader.read(in, p -> {
                count[0] = p.number();
                a.packet(p);
            });
        } catch (CaptureException e) {
            error = e.getMessage();
        }
        List<String> skips = new ArrayList<>();
        a.skipped.forEach((why, n) -> skips.add(n[0] + " packet" + (n[0] == 1 ? "" : "s") + ": " + why
                + " (first: packet " + n[1] + ")"));
        return new Capture(name, count[0], a.flows.stream().map(TcpFlow::toCaptured).toList(), a.dns.answers(), skips,
                error);
    }

    private void packet(Packet p) {
        Decoded d = PacketDecoder.decode(p);
        if (d.transport() == null) {
            skip(d.skipped(), p.number());
            return;
        }
        Transport t = d.transport();
        if (t.protocol() == PacketDecoder.UDP) {
            if (t.srcPort() == 53) {
                String why = dns.read(t.payload());
                if (why != null) {
                    skip(why, p.number());
                }
            }
            return;
        }
        tcp(t, p);
    }

    private void tcp(Transport t, Packet p) {
        Key forward = new Key(t.src(), t.srcPort(), t.dst(), t.dstPort());
        TcpFlow f = open.get(forward);
        boolean fromClient = f != null;
        if (f == null) {
            f = open.get(new Key(t.dst(), t.dstPort(), t.src(), t.srcPort()));
        }
        boolean clientSyn = t.has(Transport.SYN) && !t.has(Transport.ACK);
        if (f != null && fromClient && clientSyn && f.synSeen() && f.isn() != t.seq()) {
            f = null;   // the 5-tuple is reused by a new connection
        }
        if (f == null) {
            boolean srcIsClient = !(t.has(Transport.SYN) && t.has(Transport.ACK));
            f = srcIsClient
                    ? new TcpFlow(t.src(), t.srcPort(), t.dst(), t.dstPort(), p.number(), p.time(), dns.nameOf(t.dst()))
                    : new TcpFlow(t.dst(), t.dstPort(), t.src(), t.srcPort(), p.number(), p.time(), dns.nameOf(t.src()));
            open.remove(new Key(f.server, f.serverPort, f.client, f.clientPort));
            open.put(new Key(f.client, f.clientPort, f.server, f.serverPort), f);
            flows.add(f);
            fromClient = srcIsClient;
        }
        if (!fromClient) {
            return;
        }
        if (clientSyn) {
            f.clientSyn(t.seq());
        }
        f.clientData(t.has(Transport.SYN) ? t.seq() + 1 : t.seq(), t.payload());
    }

    private void skip(String why, int packet) {
        skipped.computeIfAbsent(why, k -> new int[] {0, packet})[0]++;
    }
}
