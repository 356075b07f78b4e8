package org.opgate.cli;

import java.io.PrintWriter;
import java.time.Instant;
import org.opgate.flow.Flow;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.policy.Decision;

/** One line per decision, refusal and cut on the terminal, for {@code opgate run}. */
final class ConsoleObserver implements GatewayObserver {

    private final PrintWriter out;

    ConsoleObserver(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void decided(String listener, Outcome o) {
        Flow f = o.flow();
        Decision d = o.decision();
        String name = f.host() != null ? f.host() : f.sni() != null ? f.sni() : f.ip() != null ? f.ip().toString() : "?";
        String target = name + ":" + f.port() + (f.sni() != null && f.host() != null && !f.sni().equals(f.host())
                ? " sni=" + f.sni() : "");
        print(f.at() + " " + listener + " " + (f.operator() == null ? "-" : f.operator()) + " "
                + (f.subscriber() == null ? "-" : f.subscriber()) + " " + target + " " + o.trafficClass() + " "
                + d.verdict().configName() + (o.fronting() ? " fronting" : "")
                + (d.policyId() == null ? "" : " " + d.policyId() + "/" + d.phase().name())
                + (d.verdict().relays() && d.policyId() == null ? "" : " \"" + d.reason() + "\""));
    }

    @Override
    public void refused(String listener, String reason, String detail) {
        print("refused " + listener + " " + reason + ": " + detail);
    }

    @Override
    public void cut(Tunnel t, Instant boundary) {
        print(boundary + " cut tunnel " + t.id() + " " + t.outcome().flow().target() + " " + t.outcome().trafficClass()
                + " after " + t.bytesUp() + "/" + t.bytesDown() + " bytes up/down: \"" + t.outcome().decision().reason() + "\"");
    }

    private void print(String line) {
        String safe = printable(line);
        synchronized (out) {
            out.println(safe);
            out.flush();
        }
    }

    /**
     * The line with control and format characters written as escapes: host names, SNIs and user
     * names come from clients, and one with a line break or a terminal escape sequence must not
     * forge a line of its own or drive the operator's terminal.
     */
    static String printable(String line) {
        StringBuilder sb = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            int type = Character.getType(c);
            boolean unsafe = type == Character.CONTROL || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            if (unsafe && sb == null) {
                sb = new StringBuilder(line.length() + 16).append(line, 0, i);
            }
            if (sb != null) {
                if (unsafe) {
                    sb.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? line : sb.toString();
    }
}
