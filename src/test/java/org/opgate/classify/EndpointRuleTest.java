package org.opgate.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opgate.flow.Flow;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

final class EndpointRuleTest {

    /** A rule from YAML-like field values; null leaves a field out. */
    private static EndpointRule rule(String host, String sni, String cidr, String ports) {
        return new EndpointRule("r", "BES", 0,
                host == null ? null : HostPattern.parse(host),
                sni == null ? null : HostPattern.parse(sni),
                cidr == null ? null : IpPrefix.parse(cidr),
                ports == null ? null : PortSet.of(Stream.of(ports.split(",")).map(PortSet::parseElement).toList()),
                SourceLocation.NONE);
    }

    private static Flow flow(String host, String sni, String ip, int port) {
        return Flow.builder().host(host).sni(sni).ip(ip).port(port).build();
    }

    @Test
    void ruleWithoutFieldsIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> rule(null, null, null, null))
                .withMessage("rule 'r' has no match fields (expected: at least one of host, sni, cidr, ports)");
    }

    @Test
    void hostMatchesTheRequestedHost() {
        assertThat(rule("*.srp.blackberry.com", null, null, null)
                .matches(flow("gb.srp.blackberry.com", null, null, 443))).isTrue();
    }

    @Test
    void hostMatchesTheSni() {
        assertThat(rule("*.srp.blackberry.com", null, null, null)
                .matches(flow(null, "gb.srp.blackberry.com", "192.0.2.1", 443))).isTrue();
    }

    @ParameterizedTest
    @MethodSource("frontedFlows")
    void hostMatchesWhenEitherSideMatches(Flow flow, boolean expected) {
        assertThat(rule("a.example", null, null, null).matches(flow)).isEqualTo(expected);
    }

    static Stream<Arguments> frontedFlows() {
        return Stream.of(
                Arguments.of(flow("a.example", "cdn.example", null, 443), true),
                Arguments.of(flow("cdn.example", "a.example", null, 443), true),
                Arguments.of(flow("cdn.example", "b.example", null, 443), false));
    }

    @Test
    void sniMatchesTheSni() {
        assertThat(rule(null, "*.example", null, null).matches(flow("other.test", "a.example", null, 443))).isTrue();
    }

    @Test
    void sniNeverMatchesTheRequestedHost() {
        assertThat(rule(null, "*.example", null, null).matches(flow("a.example", null, null, 443))).isFalse();
    }

    static Stream<Arguments> oneFieldWrong() {
        // Rule: host *.a.example, sni s.example, cidr 192.0.2.0/24, ports 443, 8000-8080.
        return Stream.of(
                Arguments.of("all fields match", flow("x.a.example", "s.example", "192.0.2.7", 443), true),
                Arguments.of("host differs", flow("b.example", "s.example", "192.0.2.7", 443), false),
                Arguments.of("no host", flow(null, "s.example", "192.0.2.7", 443), false),
                Arguments.of("sni differs", flow("x.a.example", "t.example", "192.0.2.7", 443), false),
                Arguments.of("no sni", flow("x.a.example", null, "192.0.2.7", 443), false),
                Arguments.of("ip outside", flow("x.a.example", "s.example", "192.0.3.7", 443), false),
                Arguments.of("ip unknown", flow("x.a.example", "s.example", null, 443), false),
                Arguments.of("port outside", flow("x.a.example", "s.example", "192.0.2.7", 444), false),
                Arguments.of("port at range end", flow("x.a.example", "s.example", "192.0.2.7", 8080), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneFieldWrong")
    void everyGivenFieldMustMatch(String why, Flow flow, boolean expected) {
        EndpointRule r = rule("*.a.example", "s.example", "192.0.2.0/24", "443, 8000-8080");

        assertThat(r.matches(flow)).isEqualTo(expected);
    }

    @Test
    void missingFieldsMatchAnything() {
        EndpointRule portsOnly = rule(null, null, null, "3101");

        assertThat(portsOnly.matches(flow(null, null, null, 3101))).isTrue();
        assertThat(portsOnly.matches(flow("x.test", "y.test", "2001:db8::1", 3101))).isTrue();
    }

    @Test
    void ipLiteralHostIsMatchedByCidrRules() {
        assertThat(rule(null, null, "192.0.2.0/24", null).matches(flow("192.0.2.1", null, null, 443))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*.1", "*.2.1", "*.0.2.1", "1", "2.1"})
    void ipLiteralHostIsNeverMatchedByHostRules(String pattern) {
        assertThat(rule(pattern, null, null, null).matches(flow("192.0.2.1", null, null, 443))).isFalse();
    }

    @Test
    void cidrNeedsAKnownDestination() {
        assertThat(rule(null, null, "0.0.0.0/0", null).matches(flow("a.example", null, null, 443))).isFalse();
    }

    @Test
    void mappedFlowAddressMatchesAnIpv4Cidr() {
        assertThat(rule(null, null, "192.0.2.0/24", null).matches(flow(null, null, "::ffff:192.0.2.9", 443)))
                .isTrue();
    }

    @Test
    void mappedCidrMatchesAnIpv4FlowAddress() {
        assertThat(rule(null, null, "::ffff:192.0.2.0/120", null).matches(flow(null, null, "192.0.2.9", 443)))
                .isTrue();
    }

    @Test
    void ipv6CidrDoesNotMatchIpv4() {
        assertThat(rule(null, null, "::/0", null).matches(flow(null, null, "192.0.2.9", 443))).isFalse();
    }

    @Test
    void describeListsTheGivenFieldsInOrder() {
        assertThat(rule("*.x", "a.b", "10.0.0.0/8", "3101, 443").describe())
                .isEqualTo("host=*.x sni=a.b cidr=10.0.0.0/8 ports=443, 3101");
        assertThat(rule(null, null, null, "3101").describe()).isEqualTo("ports=3101");
    }

    @Test
    void onlyARuleWithJustPortsIsPortOnly() {
        assertThat(rule(null, null, null, "3101").isPortOnly()).isTrue();
        assertThat(rule(null, null, "10.0.0.0/8", "3101").isPortOnly()).isFalse();
        assertThat(rule(null, "a.b", null, "3101").isPortOnly()).isFalse();
        assertThat(rule("a.b", null, null, "3101").isPortOnly()).isFalse();
    }

    @Test
    void hasNameForHostOrSni() {
        assertThat(rule("a.b", null, null, null).hasName()).isTrue();
        assertThat(rule(null, "a.b", null, null).hasName()).isTrue();
        assertThat(rule(null, null, "10.0.0.0/8", "443").hasName()).isFalse();
    }
}
