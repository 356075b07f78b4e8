package org.opgate.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class FlowTest {

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1,          192.0.2.1",
        "2001:db8::1,        2001:db8::1",
        "[2001:db8::1],      2001:db8::1",
        "::ffff:192.0.2.1,   192.0.2.1",
    })
    void ipLiteralHostGoesIntoIp(String host, String ip) {
        Flow f = Flow.builder().host(host).port(443).build();

        assertThat(f.host()).isNull();
        assertThat(f.ip()).isEqualTo(IpAddress.parse(ip));
    }

    @Test
    void hostNameIsNormalised() {
        Flow f = Flow.builder().host("Gb.SRP.BlackBerry.com.").port(443).build();

        assertThat(f.host()).isEqualTo("gb.srp.blackberry.com");
        assertThat(f.ip()).isNull();
    }

    @Test
    void resolvedIpIsKeptNextToTheHostName() {
        Flow f = Flow.builder().host("example.com").ip("192.0.2.1").port(443).build();

        assertThat(f.host()).isEqualTo("example.com");
        assertThat(f.ip()).isEqualTo(IpAddress.parse("192.0.2.1"));
    }

    @Test
    void hostLiteralEqualToIpIsAccepted() {
        Flow f = Flow.builder().host("192.0.2.1").ip("::ffff:192.0.2.1").port(443).build();

        assertThat(f.ip()).isEqualTo(IpAddress.parse("192.0.2.1"));
    }

    @Test
    void hostLiteralThatDiffersFromIpIsRejected() {
        Flow.Builder b = Flow.builder().host("192.0.2.1").ip("192.0.2.2").port(443);

        assertThatIllegalArgumentException()
                .isThrownBy(b::build)
                .withMessageContaining("host 192.0.2.1")
                .withMessageContaining("ip 192.0.2.2")
                .withMessageContaining("(expected: the same address, or only one of them)");
    }

    @Test
    void laterHostReplacesAnEarlierLiteral() {
        Flow f = Flow.builder().host("192.0.2.1").host("example.com").ip("192.0.2.2").port(443).build();

        assertThat(f.host()).isEqualTo("example.com");
        assertThat(f.ip()).isEqualTo(IpAddress.parse("192.0.2.2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1", "2001:db8::1", "[::1]"})
    void ipLiteralSniIsRejected(String sni) {
        Flow.Builder b = Flow.builder();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> b.sni(sni))
                .withMessageContaining("SNI '" + sni + "' is an IP address")
                .withMessageContaining("RFC 6066");
    }

    @Test
    void sniIsNormalised() {
        Flow f = Flow.builder().sni("BÜCHER.example.").port(443).build();

        assertThat(f.sni()).isEqualTo("xn--bcher-kva.example");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536, Integer.MIN_VALUE})
    void portOutOfRangeIsRejected(int port) {
        Flow.Builder b = Flow.builder().host("example.com").port(port);

        assertThatIllegalArgumentException()
                .isThrownBy(b::build)
                .withMessage("port " + port + " (expected: 1..65535)");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 65535})
    void portRangeEndsAreAccepted(int port) {
        assertThat(Flow.builder().host("example.com").port(port).build().port()).isEqualTo(port);
    }

    @Test
    void missingPortIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Flow.builder().host("example.com").build());
    }

    @Test
    void withoutSniKeepsEverythingButTheSni() {
        Flow f = Flow.builder().host("a.example").sni("b.example").ip("192.0.2.1").port(443)
                .operator("op").at(Instant.EPOCH).build();

        assertThat(f.withoutSni()).isEqualTo(new Flow("a.example", null, f.ip(), 443, "op", null, null, null,
                Instant.EPOCH));
    }

    @Test
    void sniSideKeepsOnlyTheSniAsName() {
        Flow f = Flow.builder().host("a.example").sni("b.example").ip("192.0.2.1").port(443).build();

        assertThat(f.sniSide()).isEqualTo(new Flow(null, "b.example", f.ip(), 443, null, null, null, null, null));
    }

    @ParameterizedTest
    @CsvSource({
        "example.com, ,          example.com",
        "example.com, 192.0.2.1, example.com",
        "192.0.2.1,   ,          192.0.2.1",
        ",            2001:db8::1, 2001:db8::1",
        ",            ,          ?",
    })
    void targetIsTheHostElseTheAddress(String host, String ip, String target) {
        Flow f = Flow.builder().host(host).ip(ip).port(443).build();

        assertThat(f.target()).isEqualTo(target);
    }

    @Test
    void addressWithTrailingDotIsStillAnAddress() {
        Flow f = Flow.builder().host("192.0.2.1.").port(80).build();

        assertThat(f.host()).isNull();
        assertThat(f.ip()).hasToString("192.0.2.1");
    }
}
