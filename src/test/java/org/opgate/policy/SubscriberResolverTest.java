package org.opgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opgate.flow.IpAddress;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

final class SubscriberResolverTest {

    private static Operator operator(String id, String pool, String... prefixes) {
        return new Operator(id, id, pool == null ? List.of() : List.of(IpPrefix.parse(pool)), List.of(prefixes),
                SourceLocation.NONE);
    }

    /** Mobilink owns 9230…, except 923009…, which belongs to a virtual operator on its network. */
    private final SubscriberResolver resolver = new SubscriberResolver(List.of(
            operator("mobilink", "127.1.0.0/16", "9230"),
            operator("ufone", "127.2.0.0/16", "9233"),
            operator("mvno", null, "923009")));

    private static IpAddress ip(String text) {
        return text == null ? null : IpAddress.parse(text);
    }

    @ParameterizedTest(name = "username {0}, client {1}")
    @CsvSource({
        ",              127.1.0.9",
        "alice,         127.1.0.9",
        "+923331234567, 127.1.0.9",
        ",              10.9.9.9",
    })
    void theListenersOperatorWins(String username, String client) {
        SubscriberResolver.Resolution r = resolver.resolve("socks-ufone", "ufone", username, ip(client));

        assertThat(r.resolved()).isTrue();
        assertThat(r.operator()).isEqualTo("ufone");
        assertThat(r.how()).isEqualTo("listener");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "+923001234567, mobilink",
        "923001234567,  mobilink",
        "+923009876543, mvno",
        "+923331234567, ufone",
    })
    void anMsisdnGivesTheOperatorWithTheLongestMatchingPrefix(String username, String operator) {
        SubscriberResolver.Resolution r = resolver.resolve("socks", null, username, null);

        assertThat(r.operator()).isEqualTo(operator);
        assertThat(r.how()).isEqualTo("msisdn");
    }

    @Test
    void anMsisdnWinsOverTheClientPool() {
        SubscriberResolver.Resolution r = resolver.resolve("socks", null, "+923331234567", ip("127.1.0.9"));

        assertThat(r.operator()).isEqualTo("ufone");
        assertThat(r.how()).isEqualTo("msisdn");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "127.1.0.9,       mobilink",
        "127.2.255.255,   ufone",
    })
    void theClientPoolGivesTheOperator(String client, String operator) {
        SubscriberResolver.Resolution r = resolver.resolve("http", null, null, ip(client));

        assertThat(r.operator()).isEqualTo(operator);
        assertThat(r.how()).isEqualTo("pool");
    }

    @Test
    void aUsernameThatIsNoMsisdnFallsBackToTheClientPool() {
        SubscriberResolver.Resolution r = resolver.resolve("socks", null, "alice", ip("127.2.0.1"));

        assertThat(r.operator()).isEqualTo("ufone");
        assertThat(r.how()).isEqualTo("pool");
        assertThat(r.subscriber()).isEqualTo("alice");
    }

    @Test
    void anMsisdnOfAnotherOperatorOnAnOperatorsListenerIsRefused() {
        SubscriberResolver.Resolution r = resolver.resolve("socks-ufone", "ufone", "+923001234567", ip("127.2.0.1"));

        assertThat(r.resolved()).isFalse();
        assertThat(r.operator()).isNull();
        assertThat(r.subscriber()).isNull();
        assertThat(r.refusal()).isEqualTo(
                "subscriber +923001234567 belongs to mobilink but arrived on listener 'socks-ufone' of ufone");
    }

    @Test
    void aFlowThatMatchesNothingIsRefusedNamingTheClientAndTheListener() {
        SubscriberResolver.Resolution r = resolver.resolve("http", null, null, ip("10.9.9.9"));

        assertThat(r.resolved()).isFalse();
        assertThat(r.operator()).isNull();
        assertThat(r.refusal()).isEqualTo(
                "operator unknown: client 10.9.9.9 is in no operator's pool and listener 'http' names no operator");
    }

    @Test
    void aRefusalAlsoNamesAUsernameThatMatchesNoOperator() {
        SubscriberResolver.Resolution r = resolver.resolve("socks", null, "+441234567890", ip("10.9.9.9"));

        assertThat(r.resolved()).isFalse();
        assertThat(r.refusal()).contains("client 10.9.9.9", "username +441234567890 matches no operator's numbers",
                "listener 'socks'");
    }

    @ParameterizedTest(name = "username {0}, client {1}: {2}")
    @CsvSource({
        "+923001234567, 127.1.0.9, +923001234567",
        "alice,         127.1.0.9, alice",
        ",              127.1.0.9, 127.1.0.9",
    })
    void theSubscriberIdIsTheUsernameElseTheClientAddress(String username, String client, String subscriber) {
        SubscriberResolver.Resolution r = resolver.resolve("socks", "mobilink", username, ip(client));

        assertThat(r.subscriber()).isEqualTo(subscriber);
    }
}
