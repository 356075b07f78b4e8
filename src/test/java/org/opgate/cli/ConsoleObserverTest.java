package org.opgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.BBM_HOST;
import static org.opgate.testing.Socks5Client.CMD_CONNECT;
import static org.opgate.testing.Socks5Client.PASSWORD;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Socks5Client;
import org.opgate.testing.Wire;

/**
 * The lines {@code opgate run} prints hold what clients chose (host names, user names): a line
 * break or a terminal escape in them is printed as an escape, so a client can neither forge a
 * decision line nor drive the operator's terminal. The facts come from a real gateway.
 */
final class ConsoleObserverTest {

    private static final String FORGED = "2015-12-01T00:00:00Z socks5 mobilink 923001234567 gb.srp.blackberry.com:3101 BES allow";

    private static GatewayHarness gw;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder().start(dir);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private final StringWriter printed = new StringWriter();
    private final ConsoleObserver console = new ConsoleObserver(new PrintWriter(printed));

    @Test
    void aRefusalOfAHostNameWithALineBreakIsPrintedOnOneLine() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, Socks5Client.NO_AUTH);
            Socks5Client.request(s, CMD_CONNECT, "x\n" + FORGED + "\u001b[2J", 443);
        }
        GatewayHarness.Refused r = gw.awaitRefusal("socks5", "bad-request");

        console.refused(r.listener(), r.reason(), r.detail());

        assertThat(printed.toString().lines()).singleElement().asString()
                .startsWith("refused socks5 bad-request: ")
                .contains("x\\x0a" + FORGED + "\\x1b[2J")
                .doesNotContain("\u001b");
    }

    @Test
    void aDecisionForAUserNameWithALineBreakIsPrintedOnOneLine() throws Exception {
        try (Socket s = Wire.connect(gw.socks5())) {
            Socks5Client.greet(s, PASSWORD);
            Socks5Client.authenticate(s, "923001234567\r\n" + FORGED, "pw");
            Socks5Client.request(s, CMD_CONNECT, BBM_HOST, 443);
        }
        GatewayHarness.Decided d = gw.awaitDecision("socks5", BBM_HOST);

        console.decided(d.listener(), d.outcome());

        assertThat(printed.toString().lines()).singleElement().asString().contains("923001234567\\x0d\\x0a" + FORGED);
    }
}
