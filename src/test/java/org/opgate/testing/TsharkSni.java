package org.opgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.opgate.replay.Capture;
import org.opgate.replay.CaptureAnalyzer;
import org.opgate.replay.CapturedFlow;

/**
 * The SNI of the ClientHello each TCP connection's client sent (directly, or through a CONNECT or
 * SOCKS5 tunnel), as tshark and as replay read it, per flow: {@code client > server} (ip:port,
 * {@code [v6]:port}), with {@code #2}, {@code #3} … appended for later connections on the same
 * 4-tuple. The SNI is {@code ""} for a hello without one.
 *
 * <p>Only hellos sent by the connection's client count: an echo server returns the hello it got,
 * and tshark shows that too, as a ClientHello from the server's side.
 */
public final class TsharkSni {

    private TsharkSni() {
    }

    /** tshark's hellos on every flow; {@code tlsPorts} are decoded as TLS besides 443. */
    public static Map<String, String> tshark(Path tshark, Path capture, int... tlsPorts) {
        List<String> decodeAs = new ArrayList<>();
        for (int port : tlsPorts) {
            decodeAs.add("tcp.port==" + port + ",tls");
        }
        return tshark(tshark, capture, Set.of(), decodeAs);
    }

    /**
     * tshark's hellos on the flows to {@code servers} (ip:port; all flows if empty), with tshark's
     * {@code -d} "decode as" rules ({@code tcp.port==1080,socks}).
     *
     * <p>tshark reads the capture twice, with and without {@code tcp.reassemble_out_of_order}, and
     * a flow's hello is what either reading finds (two readings that find different names are
     * both kept, so the comparison fails). With out-of-order reassembly, tshark 4.0 takes the
     * first bytes through the second SOCKS5 tunnel from one client address to the same requested
     * port as a retransmission and shows no hello there; without it, it cannot put reordered
     * segments together.
     */
    public static Map<String, String> tshark(Path tshark, Path capture, Set<String> servers, List<String> decodeAs) {
        Map<String, String> out = read(tshark, capture, servers, decodeAs, true);
        read(tshark, capture, servers, decodeAs, false).forEach((flow, sni) -> out.merge(flow, sni,
                (a, b) -> a.equals(b) ? a : a + " | " + b));
        // A client whose (kernel-chosen) port equals the proxy's port: tshark's http and socks
        // dissectors cannot tell its sides apart and do not follow the tunnel. TLS's own reading
        // of those ports finds the hello after the proxy's handshake; it counts for those flows only.
        List<String> asTls = decodeAs.stream().map(r -> r.replaceAll(",(http|socks)$", ",tls")).toList();
        if (!asTls.equals(decodeAs)) {
            read(tshark, capture, servers, asTls, true).forEach((flow, sni) -> {
                if (samePorts(flow)) {
                    out.merge(flow, sni, (a, b) -> a.equals(b) ? a : a + " | " + b);
                }
            });
        }
        return out;
    }

    /** {@code client > server} (each ip:port, maybe with an occurrence suffix) with one port on both sides. */
    static boolean samePorts(String flow) {
        String[] sides = flow.replaceAll(" #\\d+$", "").split(" > ");
        return sides.length == 2 && port(sides[0]).equals(port(sides[1]));
    }

    private static String port(String endpoint) {
        return endpoint.substring(endpoint.lastIndexOf(':') + 1);
    }

    private static Map<String, String> read(Path tshark, Path capture, Set<String> servers, List<String> decodeAs,
                                            boolean outOfOrder) {
        List<String> cmd = new ArrayList<>(List.of(tshark.toString(), "-r", capture.toString(),
                "-o", "tcp.reassemble_out_of_order:" + (outOfOrder ? "TRUE" : "FALSE")));
        for (String rule : decodeAs) {
            cmd.add("-d");
            cmd.add(rule);
        }
        cmd.addAll(List.of("-T", "fields", "-e", "tcp.stream", "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport",
                "-e", "ip.dst", "-e", "ipv6.dst", "-e", "tcp.dstport", "-e", "tcp.flags.syn", "-e", "tcp.flags.ack",
                "-e", "tls.handshake.type", "-e", "tls.handshake.extensions_server_name",
                "-Y", "tcp.flags.syn==1 || tls.handshake.type==1"));
        Tools.Result r = Tools.run(Duration.ofSeconds(300), cmd.toArray(String[]::new));
        assertThat(r.exitCode()).as("tshark on %s: %s", capture, r.stderr()).isZero();

        Map<Integer, String> clients = new HashMap<>();     // stream -> client endpoint
        Map<Integer, String[]> hellos = new TreeMap<>();     // stream -> {sender, receiver, sni}: the first per stream
        Map<Integer, String> pairs = new TreeMap<>();        // stream -> "client > server"
        for (String line : r.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f[0].contains(",")) {
                continue;   // TCP headers quoted in ICMP errors: not a segment of their own
            }
            int stream = Integer.parseInt(f[0].trim());
            String src = endpoint(f[1], f[2], f[3]);
            String dst = endpoint(f[4], f[5], f[6]);
            boolean syn = isSet(f[7]);
            boolean ack = isSet(f[8]);
            if (syn) {
                // The SYN's sender is the client; when only the SYN-ACK is seen, its receiver.
                if (!ack) {
                    clients.put(stream, src);
                    pairs.put(stream, src + " > " + dst);
                } else if (!clients.containsKey(stream)) {
                    clients.put(stream, dst);
                    pairs.put(stream, dst + " > " + src);
                }
            }
            if (List.of(f[9].split(",")).contains("1")) {
                hellos.putIfAbsent(stream, new String[] {src, dst, f[10].split(",")[0]});
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        Map<String, String> out = new TreeMap<>();
        Set<Integer> streams = new java.util.TreeSet<>(pairs.keySet());
        streams.addAll(hellos.keySet());
        for (int stream : streams) {
            String[] hello = hellos.get(stream);
            // A stream without its handshake in the capture: the hello's sender stands for the client.
            String pair = pairs.getOrDefault(stream, hello == null ? null : hello[0] + " > " + hello[1]);
            String key = occurrence(pair, seen);
            if (hello == null || !hello[0].equals(clients.getOrDefault(stream, hello[0]))) {
                continue;   // no hello, or one the server sent back
            }
            if (servers.isEmpty() || servers.contains(hello[1])) {
                out.put(key, hello[2]);
            }
        }
        return out;
    }

    /** replay's SNI for every flow it read a ClientHello from ("" for a hello without one). */
    public static Map<String, String> replay(Path capture) {
        return replay(capture, Set.of());
    }

    /** As {@link #replay(Path)}, only for flows to {@code servers} (ip:port; all flows if empty). */
    public static Map<String, String> replay(Path capture, Set<String> servers) {
        Capture c = CaptureAnalyzer.analyze(capture);
        assertThat(c.error()).isNull();
        Map<String, Integer> seen = new HashMap<>();
        Map<String, String> out = new TreeMap<>();
        for (CapturedFlow f : c.flows()) {
            String key = occurrence(f.clientEndpoint() + " > " + f.serverEndpoint(), seen);
            if (f.protocol().equals("tls") && (servers.isEmpty() || servers.contains(f.serverEndpoint()))) {
                out.put(key, f.sni() == null ? "" : f.sni());
            }
        }
        return out;
    }

    /** {@code pair}, with {@code #n} for its n-th connection from the second on. */
    private static String occurrence(String pair, Map<String, Integer> seen) {
        int n = seen.merge(pair, 1, Integer::sum);
        return n == 1 ? pair : pair + " #" + n;
    }

    private static String endpoint(String v4, String v6, String port) {
        return v4.isEmpty() ? "[" + v6 + "]:" + port : v4 + ":" + port;
    }

    private static boolean isSet(String flag) {
        return flag.equals("1") || flag.equalsIgnoreCase("true");
    }
}
