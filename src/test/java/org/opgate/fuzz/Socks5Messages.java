package org.opgate.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.opgate.testing.ClientHellos;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Mutator;

/**
 * Seeded SOCKS5 client flights: a greeting (RFC 1928), an optional user name and password
 * (RFC 1929) and a request, built from fields valid and not (versions, method counts and
 * address lengths that lie, unknown commands and address types, empty and oversized names,
 * bytes that are no ASCII), sometimes followed by the tunnel's first bytes; often mutated at the
 * byte level; plus random bytes.
 */
final class Socks5Messages {

    private static final String[] NAMES = {GatewayHarness.BBM_HOST, GatewayHarness.BES_HOST, "nowhere.example.org",
            "bad..name", "", "x".repeat(255), "127.0.0.1", "::1", "ünïcode.example", "a\u0000b.example", "10.1.2.3",
            "999.999.999.999", "[::1]", "xn--"};

    private static final byte[] HELLO = ClientHellos.of(GatewayHarness.BBM_HOST);

    private Socks5Messages() {
    }

    static byte[] next(Random random) {
        int kind = random.nextInt(20);
        if (kind == 0) {
            return Mutator.randomBytes(random, random.nextInt(300));
        }
        byte[] flight = build(random);
        if (kind < 9) {
            flight = Mutator.mutate(random, flight, 1 + random.nextInt(3));
        }
        return flight;
    }

    private static byte[] build(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean password = random.nextInt(3) == 0;
        // greeting: VER NMETHODS METHODS
        out.write(random.nextInt(12) == 0 ? random.nextInt(256) : 5);
        byte[] methods = switch (random.nextInt(6)) {
            case 0 -> Mutator.randomBytes(random, random.nextInt(6));
            case 1 -> new byte[0];
            case 2 -> new byte[] {(byte) 0x80, (byte) 0xff};
            default -> password ? new byte[] {0x02} : random.nextBoolean() ? new byte[] {0x00} : new byte[] {0x00, 0x02};
        };
        out.write(random.nextInt(10) == 0 ? random.nextInt(256) : methods.length);
        out.writeBytes(methods);
        if (password) {
            // VER ULEN UNAME PLEN PASSWD
            byte[] user = (random.nextBoolean() ? "923001234567" : pickName(random)).getBytes(StandardCharsets.UTF_8);
            byte[] pass = Mutator.randomBytes(random, random.nextInt(8));
            out.write(random.nextInt(10) == 0 ? random.nextInt(256) : 1);
            out.write(random.nextInt(10) == 0 ? random.nextInt(256) : Math.min(user.length, 255));
            out.write(user, 0, Math.min(user.length, 255));
            out.write(random.nextInt(10) == 0 ? random.nextInt(256) : pass.length);
            out.writeBytes(pass);
        }
        // request: VER CMD RSV ATYP DST.ADDR DST.PORT
        out.write(random.nextInt(12) == 0 ? random.nextInt(256) : 5);
        out.write(random.nextInt(6) == 0 ? random.nextInt(256) : random.nextInt(8) == 0 ? 2 + random.nextInt(2) : 1);
        out.write(random.nextInt(10) == 0 ? random.nextInt(256) : 0);
        int type = random.nextInt(10) == 0 ? random.nextInt(256) : new int[] {1, 3, 3, 3, 4}[random.nextInt(5)];
        out.write(type);
        switch (type) {
            case 1 -> out.writeBytes(random.nextBoolean() ? new byte[] {127, 0, 0, 1} : Mutator.randomBytes(random, 4));
            case 4 -> out.writeBytes(Mutator.randomBytes(random, 16));
            default -> {
                byte[] name = random.nextInt(5) == 0 ? Mutator.randomBytes(random, random.nextInt(40))
                        : pickName(random).getBytes(random.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
                int len = Math.min(name.length, 255);
                out.write(random.nextInt(8) == 0 ? random.nextInt(256) : len);
                out.write(name, 0, len);
            }
        }
        int port = random.nextInt(4) == 0 ? random.nextInt(65536) : new int[] {443, 3101, 0, 80}[random.nextInt(4)];
        out.write(port >> 8);
        out.write(port);
        if (random.nextInt(5) == 0) {
            out.writeBytes(random.nextBoolean() ? HELLO
                    : Mutator.randomBytes(random, random.nextInt(100)));
        }
        return out.toByteArray();
    }

    private static String pickName(Random random) {
        return NAMES[random.nextInt(NAMES.length)];
    }
}
