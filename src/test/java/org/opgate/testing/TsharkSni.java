package org.opgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.opgate.replay.Capture;
import org.opgate.replay.CaptureAnalyzer;
import org.opgate.replay.CapturedFlow;

/** The SNI of every ClientHello in a capture, per client endpoint (ip:port), as tshark and as replay read it. */
public final class TsharkSni {

    private TsharkSni() {
    }

    /** tshark's SNI per client endpoint; {@code tlsPorts} are decoded as TLS besides 443. */
    public static Map<String, String> tshark(Path tshark, Path capture, int... tlsPorts) {
        return tshark(tshark, capture, Set.of(), tlsPorts);
    }

    /** As {@link #tshark(Path, Path, int...)}, only for flows to a server port in {@code onlyTo} (all if empty). */
    public static Map<String, String> tshark(Path tshark, Path capture, Set<Integer> onlyTo, int... tlsPorts) {
        List<String> cmd = new ArrayList<>(List.of(tshark.toString(), "-r", capture.toString(),
                "-o", "tcp.reassemble_out_of_order:TRUE"));
        for (int port : tlsPorts) {
            cmd.add("-d");
            cmd.add("tcp.port==" + port + ",tls");
        }
        cmd.addAll(List.of("-T", "fields", "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport",
                "-e", "tls.handshake.extensions_server_name", "-e", "tcp.dstport", "-Y", "tls.handshake.type==1"));
        Tools.Result r = Tools.run(Duration.ofSeconds(120), cmd.toArray(String[]::new));
        assertThat(r.exitCode()).as("tshark on %s: %s", capture, r.stderr()).isZero();
        Map<String, String> out = new TreeMap<>();
        for (String line : r.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (!onlyTo.isEmpty() && !onlyTo.contains(Integer.parseInt(f[4].trim()))) {
                continue;
            }
            String client = f[0].isEmpty() ? "[" + f[1] + "]:" + f[2] : f[0] + ":" + f[2];
            out.put(client, f[3]);
        }
        return out;
    }

    /** replay's SNI per client endpoint of every flow it read as TLS ("" for a hello without one). */
    public static Map<String, String> replay(Path capture) {
        return replay(capture, Set.of());
    }

    /** As {@link #replay(Path)}, only for flows to a server port in {@code onlyTo} (all if empty). */
    public static Map<String, String> replay(Path capture, Set<Integer> onlyTo) {
        Capture c = CaptureAnalyzer.analyze(capture);
        assertThat(c.error()).isNull();
        Map<String, String> out = new TreeMap<>();
        for (CapturedFlow f : c.flows()) {
            if (f.protocol().equals("tls") && (onlyTo.isEmpty() || onlyTo.contains(f.serverPort()))) {
                out.put(f.clientEndpoint(), f.sni() == null ? "" : f.sni());
            }
        }
        return out;
    }
}
