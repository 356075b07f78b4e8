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
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
