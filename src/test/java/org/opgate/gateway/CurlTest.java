package org.opgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opgate.testing.GatewayHarness.BBM_HOST;
import static org.opgate.testing.GatewayHarness.BEFORE_DEADLINE;
import static org.opgate.testing.GatewayHarness.BES_HOST;
import static org.opgate.testing.GatewayHarness.DEADLINE;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.policy.Verdict;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Tools;

/**
 * The README's commands: curl through the http listener ({@code -x}) and the socks5 listener
 * ({@code --socks5-hostname}). Skipped when curl is missing, unless OPGATE_REQUIRE_TOOLS=1.
 */
final class CurlTest {

    /** curl's exit code for a SOCKS proxy handshake error (CURLE_PROXY, curl 7.73 and later). */
    private static final int CURLE_PROXY = 97;
    /** curl's exit code when the CONNECT tunnel fails (CURLE_RECV_ERROR). */
    private static final int CURLE_RECV_ERROR = 56;

    private static String curlBin;
    private static GatewayHarness gw;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        curlBin = Tools.require("curl").toString();
        gw = GatewayHarness.builder().start(dir);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @BeforeEach
    void reset() {
        gw.clock().set(BEFORE_DEADLINE);
        gw.clearRecords();
    }

    private static String proxy(String scheme, InetSocketAddress a) {
        return scheme + "://127.0.0.1:" + a.getPort();
    }

    /**
     * curl with no config file ({@code -q}), quiet but with errors, a bound on its time; writes
     * the body, then a line with the CONNECT status and the HTTP status.
     */
    private static Tools.Result curl(String... args) {
        String[] cmd = new String[args.length + 8];
        cmd[0] = curlBin;
        cmd[1] = "-q";
        cmd[2] = "-sS";
        cmd[3] = "-k";
        cmd[4] = "--max-time";
        cmd[5] = "20";
        cmd[6] = "-w";
        cmd[7] = "\nconnect=%{http_connect} http=%{http_code}\n";
        System.arraycopy(args, 0, cmd, 8, args.length);
        return Tools.run(Duration.ofSeconds(30), cmd);
    }

    @Test
    void httpProxyTunnelsToTheBbmPage() {
        Tools.Result r = curl("-x", proxy("http", gw.http()), "https://" + BBM_HOST + "/");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("<h1>BBM consumer app service</h1>", "connect=200 http=200");
        assertThat(gw.awaitDecision("http", BBM_HOST).outcome().decision().verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void httpProxyRefusesABesHostAfterTheDeadlineWith403() {
        gw.clock().set(DEADLINE);

        Tools.Result r = curl("-x", proxy("http", gw.http()), "https://" + BES_HOST + ":3101/");

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(CURLE_RECV_ERROR);
        assertThat(r.stdout()).contains("connect=403");
        assertThat(r.stderr()).contains("403");
    }

    @Test
    void httpProxyRelaysABesHostBeforeTheDeadline() {
        Tools.Result r = curl("-x", proxy("http", gw.http()), "https://" + BES_HOST + ":3101/");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("BlackBerry Infrastructure (SRP relay)", "connect=200 http=200");
        assertThat(gw.awaitDecision("http", BES_HOST).outcome().decision().verdict()).isEqualTo(Verdict.NOTIFY);
    }

    @Test
    void socksProxyWithRemoteNamesReachesTheBbmPage() {
        Tools.Result r = curl("--socks5-hostname", "127.0.0.1:" + gw.socks5().getPort(), "https://" + BBM_HOST + "/");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("<h1>BBM consumer app service</h1>", "http=200");
        GatewayHarness.Decided d = gw.awaitDecision("socks5", BBM_HOST);
        assertThat(d.outcome().flow().host()).isEqualTo(BBM_HOST);
    }

    @Test
    void socksProxyRefusesABesHostAfterTheDeadlineWithASocksError() {
        gw.clock().set(DEADLINE);

        Tools.Result r = curl("--socks5-hostname", "127.0.0.1:" + gw.socks5().getPort(), "https://" + BES_HOST + ":3101/");

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(CURLE_PROXY);
        assertThat(gw.awaitDecision("socks5", BES_HOST).outcome().decision().verdict()).isEqualTo(Verdict.BLOCK);
    }
}
