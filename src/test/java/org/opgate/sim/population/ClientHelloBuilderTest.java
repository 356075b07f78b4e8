package org.opgate.sim.population;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opgate.gateway.sni.ClientHello;
import org.opgate.gateway.sni.ClientHelloParser;

class ClientHelloBuilderTest {

    private static ClientHello parse(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return ClientHelloParser.parse(buf, 16384);
        } finally {
            buf.release();
        }
    }

    @Test
    void theGatewaysParserReadsTheServerName() {
        ClientHello hello = parse(ClientHelloBuilder.build("goods.bbm.blackberry.com", new SplittableRandom(1)));

        assertThat(hello.status()).isEqualTo(ClientHello.Status.COMPLETE);
        assertThat(hello.sni()).isEqualTo("goods.bbm.blackberry.com");
    }

    @Test
    void aHelloWithoutServerNameIsCompleteAndNamesNothing() {
        ClientHello hello = parse(ClientHelloBuilder.build(null, new SplittableRandom(1)));

        assertThat(hello.status()).isEqualTo(ClientHello.Status.COMPLETE);
        assertThat(hello.sni()).isNull();
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOtherBytes() {
        byte[] a = ClientHelloBuilder.build("x.example", new SplittableRandom(7));
        byte[] b = ClientHelloBuilder.build("x.example", new SplittableRandom(7));
        byte[] c = ClientHelloBuilder.build("x.example", new SplittableRandom(8));

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }
}
