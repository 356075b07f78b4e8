package org.opgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.policy.Verdict;
import org.opgate.testing.Await;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Wire;

/**
 * The relaying verdicts other than allow and notify, on the wire: a {@code throttle} phase relays
 * through a traffic shaper set to the phase's rate, a {@code report} phase relays and is recorded
 * as such. (How fast a throttled tunnel really is belongs to benchmarks, not to this test.)
 */
final class ThrottleAndReportTest {

    private static GatewayHarness gw;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        gw = GatewayHarness.builder().policies("throttle-report.yaml", """
                policies:
                  - id: slow-bbm
                    class: BBM
                    zone: Asia/Karachi
                    phases:
                      - {name: slow, from: 2015-07-24T00:00, action: throttle, rate: 16KiB/s}
                  - id: watch-bis
                    class: BIS
                    zone: Asia/Karachi
                    phases:
                      - {name: watch, from: 2015-07-24T00:00, action: report}
                """).start(dir);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private static Tunnel tunnelOf(String trafficClass) {
        return Await.value(() -> gw.tunnels().tunnels().stream()
                .filter(t -> trafficClass.equals(t.outcome().trafficClass())).findFirst().orElse(null),
                "an open " + trafficClass + " tunnel");
    }

    @Test
    void throttledTunnelRelaysThroughAShaperAtThePhaseRate() throws Exception {
        try (Socket s = Wire.connectTunnel(gw.http(), "goods.bbm.blackberry.com:443");
             SSLSocket tls = Wire.tls(s, "goods.bbm.blackberry.com")) {
            Wire.HttpReply page = Wire.get(tls, "goods.bbm.blackberry.com");

            assertThat(page.status()).isEqualTo(200);
            Tunnel t = tunnelOf("BBM");
            assertThat(t.outcome().decision().verdict()).isEqualTo(Verdict.THROTTLE);
            ChannelTrafficShapingHandler shaper =
                    (ChannelTrafficShapingHandler) t.client().pipeline().get(GatewayPipeline.THROTTLE);
            assertThat(shaper).isNotNull();
            assertThat(shaper.getWriteLimit()).isEqualTo(16 * 1024);
            assertThat(shaper.getReadLimit()).isEqualTo(16 * 1024);
        }
    }

    @Test
    void reportedTunnelRelaysWithoutAShaperAndIsRecordedAsReport() throws Exception {
        try (Socket s = Wire.connectTunnel(gw.http(), "srs.bis.na.blackberry.com:443");
             SSLSocket tls = Wire.tls(s, "srs.bis.na.blackberry.com")) {
            Wire.HttpReply page = Wire.get(tls, "srs.bis.na.blackberry.com");

            assertThat(page.status()).isEqualTo(200);
            Tunnel t = tunnelOf("BIS");
            assertThat(t.outcome().decision().verdict()).isEqualTo(Verdict.REPORT);
            assertThat(t.outcome().decision().policyId()).isEqualTo("watch-bis");
            assertThat(t.client().pipeline().get(GatewayPipeline.THROTTLE)).isNull();
        }
    }
}
