package org.opgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.testing.AdminClient;
import org.opgate.testing.Await;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Wire;

/**
 * {@code opgate report} against the admin API of a running gateway (a harness with a bearer
 * token and a BIS report phase, one reported flow), through {@link Main#run}.
 */
final class ReportCommandTest {

    private static final String TOKEN = "report-command-test-token";
    private static final String MSISDN = "923401234567";
    private static final String BIS_HOST = "mail.bis.eu.blackberry.com";

    private static GatewayHarness gw;
    private static String admin;

    private record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder().adminToken(TOKEN).policies("bis-report.yaml", """
                policies:
                  - id: bis-report
                    class: BIS
                    zone: Asia/Karachi
                    phases:
                      - {name: watch, from: 2015-01-01T00:00, action: report}
                """).start(dir);
        admin = "127.0.0.1:" + gw.admin().getPort();
        try (Socket raw = Wire.connect(gw.http())) {
            assertThat(Wire.connectRequest(raw, BIS_HOST + ":443", MSISDN).status()).isEqualTo(200);
            try (SSLSocket tls = Wire.tls(raw, BIS_HOST)) {
                Wire.echo(tls, "reported");
            }
        }
        Await.until(() -> gw.closedTunnels().size() == 1, "the BIS tunnel to be reported closed");
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void reportAsJsonPrintsTheRowsWithPseudonymisedSubscribers() {
        Result r = run("report", "--admin", admin, "--token", TOKEN, "--format", "json");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode rows = AdminClient.json(r.out());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).path("operator").asText()).isEqualTo("telenor");
        assertThat(rows.get(0).path("class").asText()).isEqualTo("BIS");
        assertThat(rows.get(0).path("subscriber").asText()).matches("sub-[0-9a-f]{16}");
        assertThat(rows.get(0).path("flows").asInt()).isEqualTo(1);
        assertThat(r.out()).doesNotContain(MSISDN);
    }

    @Test
    void reportAsCsvWithRevealPrintsTheSubscriber() {
        Result r = run("report", "--admin", admin, "--token", TOKEN, "--reveal");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().split("\n")).hasSize(2);
        assertThat(r.out()).startsWith("operator,subscriber,class,first_seen,last_seen,flows,bytes\n")
                .contains("telenor," + MSISDN + ",BIS,");
    }

    @Test
    void wrongAddressExitsTwoWithOneClearLine() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String address = "127.0.0.1:" + closedPort;

        Result r = run("report", "--admin", address, "--token", TOKEN, "--format", "json");

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).endsWith("\n");
        assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("null").doesNotContain("Exception")
                .isEqualTo("opgate report: cannot reach the admin API at " + address
                        + ": connection refused (expected: a gateway started with opgate run)");
    }

    @Test
    void addressThatIsNotHostAndPortExitsTwoWithOneClearLine() {
        Result r = run("report", "--admin", "no such host", "--token", TOKEN);

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip()).doesNotContain("\n")
                .isEqualTo("opgate report: --admin no such host is not an address (expected: host:port like 127.0.0.1:9090)");
    }

    @Test
    void wrongTokenExitsTwoWithOneLineNamingThe403() {
        Result r = run("report", "--admin", admin, "--token", "not-the-report-token");

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo(
                "opgate report: admin API answered 403: wrong bearer token (expected: the token of admin.token)");
    }

    @Test
    void addressWithoutAPortOrWithOneOutOfRangeExitsTwoWithOneClearLine() {
        Result noPort = run("report", "--admin", "localhost", "--token", TOKEN);
        Result outOfRange = run("report", "--admin", "127.0.0.1:99999", "--token", TOKEN);

        assertThat(noPort.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noPort.err().strip()).isEqualTo(
                "opgate report: --admin localhost is not an address (expected: host:port like 127.0.0.1:9090)");
        assertThat(outOfRange.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(outOfRange.err().strip()).isEqualTo(
                "opgate report: --admin 127.0.0.1:99999: port 99999 is out of range (expected: 1..65535)");
    }

    @Test
    void configWhoseAdminBindsPortZeroAsksForTheAddress(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("opgate.yaml"), "classes: [c.yaml]\nadmin: {bind: 127.0.0.1:0}\n");
        Files.writeString(dir.resolve("c.yaml"), "classes:\n  - name: BES\n    rules: [{id: bes, ports: [3101]}]\n");

        Result r = run("report", "--config", dir.toString(), "--token", TOKEN);

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).doesNotContain("\n").isEqualTo("opgate report: admin.bind of " + dir
                + " is port 0, a free port chosen when the gateway starts (expected: --admin HOST:PORT, the address on"
                + " the gateway's 'listening admin' line)");
    }

    @Test
    void withAdminAndConfigTheTokenComesFromTheConfig(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("opgate.yaml"), "classes: [c.yaml]\nadmin: {bind: 127.0.0.1:0, token: " + TOKEN + "}\n");
        Files.writeString(dir.resolve("c.yaml"), "classes:\n  - name: BES\n    rules: [{id: bes, ports: [3101]}]\n");

        Result r = run("report", "--config", dir.toString(), "--admin", admin, "--format", "json");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(AdminClient.json(r.out())).hasSize(1);
    }
}
