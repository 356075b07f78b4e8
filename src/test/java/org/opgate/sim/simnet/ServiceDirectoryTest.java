package org.opgate.sim.simnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opgate.config.SimnetRoute;
import org.opgate.config.SimnetRoute.ServerKind;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

final class ServiceDirectoryTest {

    private static final ServiceDirectory SERVICES = new ServiceDirectory(List.of(
            new SimnetRoute(null, IpPrefix.parse("68.171.224.0/19"), ServerKind.TLS, "by address",
                    SourceLocation.of("test", 1, 1)),
            SimnetServersTest.route("gb.srp.blackberry.com", ServerKind.TLS, "first"),
            SimnetServersTest.route("*.srp.blackberry.com", ServerKind.TLS, "second")));

    @Test
    void theFirstHostRouteThatMatchesNamesTheService() {
        assertThat(SERVICES.serviceFor("gb.srp.blackberry.com")).isEqualTo("first");
        assertThat(SERVICES.serviceFor("DE.SRP.BlackBerry.com.")).isEqualTo("second");
    }

    @Test
    void aNameNoRouteMatchesNamesItself() {
        assertThat(SERVICES.serviceFor("www.example.org")).isEqualTo("www.example.org");
        assertThat(SERVICES.serviceFor("68.171.230.4")).isEqualTo("68.171.230.4");
        assertThat(SERVICES.serviceFor("not a name")).isEqualTo("not a name");
        assertThat(SERVICES.serviceFor(null)).isEqualTo(ServiceDirectory.NO_NAME);
    }

    @Test
    void hostHeaderLosesItsPort() {
        assertThat(ServiceDirectory.hostOf("a.example:8080")).isEqualTo("a.example");
        assertThat(ServiceDirectory.hostOf(" a.example ")).isEqualTo("a.example");
        assertThat(ServiceDirectory.hostOf("[::1]:80")).isEqualTo("::1");
        assertThat(ServiceDirectory.hostOf("::1")).isEqualTo("::1");
        assertThat(ServiceDirectory.hostOf(null)).isNull();
    }
}
