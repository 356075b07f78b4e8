package org.opgate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opgate.config.OpgateConfig;
import org.opgate.replay.Capture;
import org.opgate.replay.CaptureAnalyzer;
import org.opgate.replay.CapturedFlow;
import org.opgate.replay.Replay;
import org.opgate.replay.Replay.Outcome;
import org.opgate.replay.Replay.ReplayedFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opgate replay CAPTURE}: classifies and decides every TCP flow of a pcap or pcapng
 * capture, naming each by its TLS SNI, HTTP request host, tunnel target (CONNECT, SOCKS5) and the
 * DNS answers before it.
 *
 * <pre>
 * $ opgate replay src/test/resources/captures/demo.pcap
 * opgate replay: src/test/resources/captures/demo.pcap: 49 packets, 5 TCP flows (1 through CONNECT, 1 through SOCKS5), …
 * CLASS  VERDICT  FLOWS
 * BES    block    2
 * BBM    allow    1
 * OTHER  allow    1
 * BIS    allow    1
 * flows:
 *   PACKET  FIRST                     CLIENT          SERVER             KIND     USER          SNI …
 * …
 * </pre>
 *
 * Exit 0 when the whole capture was read, 2 when it could not be (the flows read before the
 * problem are still reported) or for a usage or config error. Never 1: a replay has no findings.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Classify and decide every TCP flow of a pcap or pcapng capture.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the capture was read fully", "2:usage or config error, or the capture could not be read"
            + " to its end (the flows before the problem are still reported)"})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CAPTURE", description = "A pcap or pcapng file.")
    Path capture;

    @Option(names = "--config", paramLabel = "DIR", defaultValue = ConfigOptions.DEFAULT_DIR,
            description = "Config directory or file. Default: $OPGATE_CONFIG, else ./config.")
    Path config;

    @Option(names = "--at", paramLabel = "INSTANT",
            description = "Decide every flow at this instant (ISO-8601 with offset or zone)."
                    + " Default: each flow's first packet time.")
    String at;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the per-flow listing as CSV.")
    Path csv;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant instant = at == null ? null : Instants.parse(at, "--at");
        OpgateConfig cfg = ConfigOptions.load(config, "replay", err);
        if (cfg == null) {
            return ExitCodes.USAGE;
        }
        // A file that is not there is a usage error, not a capture read in part: one line, no summary.
        if (!Files.isRegularFile(capture) || !Files.isReadable(capture)) {
            throw new UsageException("cannot read " + capture + ": " + (!Files.exists(capture) ? "no such file"
                    : Files.isDirectory(capture) ? "it is a directory" : "permission denied")
                    + " (expected: a pcap or pcapng capture)");
        }
        Capture cap = CaptureAnalyzer.analyze(capture);
        Replay.Report report = Replay.decide(cap, cfg, instant);
        if (csv != null) {
            try {
                writeCsv(csv, report);
            } catch (IOException e) {
                throw new UsageException("--csv " + csv + ": cannot write: " + IoErrors.why(e));
            }
        }
        if (json) {
            out.println(Json.write(toJson(report)));
        } else {
            print(out, report);
        }
        if (!cap.complete()) {
            err.println("opgate replay: " + capture + ": " + cap.error());
            err.println("opgate replay: the capture could not be read to its end; the " + cap.flows().size()
                    + " flow" + (cap.flows().size() == 1 ? "" : "s") + " read before the problem are reported");
            return ExitCodes.USAGE;
        }
        return ExitCodes.OK;
    }

    private void print(PrintWriter out, Replay.Report r) {
        Capture c = r.capture();
        out.println("opgate replay: " + capture + ": " + c.packets() + " packet" + (c.packets() == 1 ? "" : "s") + ", "
                + c.flows().size() + " TCP flow" + (c.flows().size() == 1 ? "" : "s") + tunnels(c) + ", " + c.dnsAnswers()
                + " DNS answer" + (c.dnsAnswers() == 1 ? "" : "s") + ", " + (c.complete() ? "read fully" : "read in part")
                + "; config " + config + "; decided " + (r.at() == null ? "at each flow's first packet" : "at " + at));
        List<String[]> sums = new ArrayList<>();
        sums.add(new String[] {"CLASS", "VERDICT", "FLOWS"});
        r.summary().forEach((k, n) -> sums.add(new String[] {k.get(0), k.get(1), String.valueOf(n)}));
        Table.print(out, "", sums);
        if (!r.flows().isEmpty()) {
            out.println("flows:");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"PACKET", "FIRST", "CLIENT", "SERVER", "KIND", "USER", "SNI", "HOST", "DNS", "CLASS",
                "RULE", "VERDICT"});
            for (ReplayedFlow f : r.flows()) {
                CapturedFlow cf = f.captured();
                rows.add(new String[] {String.valueOf(cf.firstPacket()), cf.first() == null ? "-" : cf.first().toString(),
                    cf.clientEndpoint(), cf.serverEndpoint(), cf.kind(), dash(cf.user()), dash(cf.sni()), dash(host(cf)),
                    dash(cf.dns()), f.classification().trafficClass(), dash(f.rule()), f.verdictText()});
            }
            Table.print(out, "  ", rows);
        }
        for (String s : c.skipped()) {
            out.println("skipped " + s);
        }
        for (ReplayedFlow f : r.flows()) {
            CapturedFlow cf = f.captured();
            if (cf.note() != null) {
                out.println("note: flow at packet " + cf.firstPacket() + " (" + cf.clientEndpoint() + "): " + cf.note());
            }
            if (f.problem() != null) {
                out.println("note: flow at packet " + cf.firstPacket() + " (" + cf.clientEndpoint() + "): " + f.problem());
            }
            if (f.fronting()) {
                out.println("note: flow at packet " + cf.firstPacket() + " (" + cf.clientEndpoint() + "): requested host "
                        + cf.destination() + " and SNI " + cf.sni() + " fall in different classes (domain fronting);"
                        + " the more restrictive decision stands");
            }
        }
    }

    /** The requested host: a tunnel's target with its port, else the HTTP Host. */
    private static String host(CapturedFlow f) {
        return f.tunnelPort() > 0 ? f.destination() : f.host();
    }

    /** {@code " (1 through CONNECT, 2 through SOCKS5)"}, or nothing when no flow opened a tunnel. */
    private static String tunnels(Capture c) {
        Map<String, Long> n = tunnelCounts(c);
        List<String> parts = new ArrayList<>();
        n.forEach((kind, count) -> parts.add(count + " through " + (kind.equals("connect") ? "CONNECT" : "SOCKS5")));
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static Map<String, Long> tunnelCounts(Capture c) {
        Map<String, Long> n = new LinkedHashMap<>();
        for (String kind : List.of("connect", "socks5")) {
            long count = c.flows().stream().filter(f -> kind.equals(f.tunnel())).count();
            if (count > 0) {
                n.put(kind, count);
            }
        }
        return n;
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }

    static final String CSV_HEADER = "packet,first,client,server,protocol,sni,host,dns,class,rule,verdict,policy,tunnel,"
            + "user,fronting";

    private static void writeCsv(Path file, Replay.Report r) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(CSV_HEADER + "\n");
            for (ReplayedFlow f : r.flows()) {
                CapturedFlow cf = f.captured();
                List<String> cells = List.of(String.valueOf(cf.firstPacket()),
                        cf.first() == null ? "" : cf.first().toString(), cf.clientEndpoint(), cf.serverEndpoint(),
                        cf.protocol(), blank(cf.sni()), blank(host(cf)), blank(cf.dns()),
                        f.classification().trafficClass(), blank(f.rule()), f.verdictText(),
                        blank(f.outcomes().get(0).policy()), blank(cf.tunnel()), blank(cf.user()),
                        f.fronting() ? "true" : "");
                List<String> quoted = new ArrayList<>();
                for (String cell : cells) {
                    quoted.add(cell.matches(".*[,\"\\n].*") ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell);
                }
                w.write(String.join(",", quoted) + "\n");
            }
        }
    }

    private static String blank(String s) {
        return s == null ? "" : s;
    }

    private Map<String, Object> toJson(Replay.Report r) {
        Capture c = r.capture();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("capture", capture.toString());
        m.put("config", config.toString());
        m.put("packets", c.packets());
        m.put("complete", c.complete());
        m.put("error", c.error());
        m.put("dnsAnswers", c.dnsAnswers());
        m.put("at", r.at() == null ? null : r.at().toString());
        m.put("skipped", c.skipped());
        m.put("tunnels", tunnelCounts(c));
        List<Map<String, Object>> summary = new ArrayList<>();
        r.summary().forEach((k, n) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("class", k.get(0));
            s.put("verdict", k.get(1));
            s.put("flows", n);
            summary.add(s);
        });
        m.put("summary", summary);
        m.put("flows", r.flows().stream().map(f -> {
            CapturedFlow cf = f.captured();
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("packet", cf.firstPacket());
            fm.put("first", cf.first() == null ? null : cf.first().toString());
            fm.put("client", cf.clientEndpoint());
            fm.put("server", cf.serverEndpoint());
            fm.put("protocol", cf.protocol());
            fm.put("tunnel", cf.tunnel());
            fm.put("destination", cf.destination());
            fm.put("user", cf.user());
            fm.put("sni", cf.sni());
            fm.put("host", cf.host());
            fm.put("tunnelPort", cf.tunnelPort() > 0 ? cf.tunnelPort() : null);
            fm.put("dns", cf.dns());
            fm.put("note", cf.note() != null ? cf.note() : f.problem());
            fm.put("at", f.at().toString());
            fm.put("class", f.classification().trafficClass());
            fm.put("rule", f.rule());
            fm.put("verdict", f.verdictText());
            fm.put("fronting", f.fronting());
            fm.put("decisions", f.outcomes().stream().map(ReplayCommand::outcome).toList());
            return fm;
        }).toList());
        return m;
    }

    private static Map<String, Object> outcome(Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("operators", o.operators().size() == 1 && o.operators().get(0) == null ? List.of() : o.operators());
        m.put("verdict", o.verdict().configName());
        m.put("policy", o.policy());
        m.put("phase", o.phase());
        return m;
    }
}
