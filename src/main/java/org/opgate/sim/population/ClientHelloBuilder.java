package org.opgate.sim.population;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * TLS ClientHello records as a modern client sends them (TLS 1.3 with 1.2 offered, X25519 key
 * share, the usual extensions), for simulated subscribers. The randomness (client random, session
 * id, key share) comes from the caller's generator, so a seeded run sends the same bytes.
 *
 * <p>Field layout per RFC 8446 §4.1.2 and the extensions of §4.2; server_name per RFC 6066 §3.
 * The key share is 32 random bytes: any 32 bytes are an X25519 public key (RFC 7748 §5), so a real
 * TLS server answers with its ServerHello.
 */
public final class ClientHelloBuilder {

    private static final int[] CIPHER_SUITES = {
        0x1301, 0x1302, 0x1303,          // TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256
        0xc02b, 0xc02f, 0xc02c, 0xc030,  // ECDHE-ECDSA/RSA with AES-GCM (TLS 1.2)
    };
    private static final int[] GROUPS = {0x001d, 0x0017, 0x0018};  // x25519, secp256r1, secp384r1
    private static final int[] SIGNATURES = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};

    private ClientHelloBuilder() {
    }

    /**
     * One ClientHello in one handshake record.
     *
     * @param sni    the host_name to send, or null for a hello without server_name (BES 4/5 style)
     * @param random where the random fields come from
     */
    public static byte[] build(String sni, RandomGenerator random) {
        Buf ext = new Buf();
        if (sni != null) {
            byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
            ext.u16(0x0000).u16(name.length + 5).u16(name.length + 3).u8(0).u16(name.length).bytes(name);
        }
        ext.u16(0x000a).u16(2 + GROUPS.length * 2).u16(GROUPS.length * 2);          // supported_groups
        for (int g : GROUPS) {
            ext.u16(g);
        }
        ext.u16(0x000b).u16(2).u8(1).u8(0);                                       // ec_point_formats: uncompressed
        ext.u16(0x000d).u16(2 + SIGNATURES.length * 2).u16(SIGNATURES.length * 2);  // signature_algorithms
        for (int s : SIGNATURES) {
            ext.u16(s);
        }
        ext.u16(0x002b).u16(5).u8(4).u16(0x0304).u16(0x0303);                     // supported_versions: 1.3, 1.2
        ext.u16(0x002d).u16(2).u8(1).u8(1);                                       // psk_key_exchange_modes: psk_dhe_ke
        byte[] key = new byte[32];
        random.nextBytes(key);
        ext.u16(0x0033).u16(2 + 4 + 32).u16(4 + 32).u16(0x001d).u16(32).bytes(key);  // key_share: x25519

        Buf body = new Buf();
        body.u16(0x0303);                                                         // legacy_version TLS 1.2
        byte[] rnd = new byte[32];
        random.nextBytes(rnd);
        body.bytes(rnd);
        byte[] session = new byte[32];
        random.nextBytes(session);
        body.u8(32).bytes(session);                                               // legacy_session_id
        body.u16(CIPHER_SUITES.length * 2);
        for (int c : CIPHER_SUITES) {
            body.u16(c);
        }
        body.u8(1).u8(0);                                                         // compression: null
        byte[] extensions = ext.toByteArray();
        body.u16(extensions.length).bytes(extensions);

        byte[] hello = body.toByteArray();
        Buf record = new Buf();
        record.u8(22).u16(0x0301).u16(hello.length + 4);                           // handshake record, TLS 1.0 framing
        record.u8(1).u24(hello.length).bytes(hello);                              // client_hello
        return record.toByteArray();
    }

    /** Big-endian writer. */
    private static final class Buf extends ByteArrayOutputStream {
        Buf u8(int v) {
            write(v);
            return this;
        }

        Buf u16(int v) {
            write(v >>> 8);
            write(v);
            return this;
        }

        Buf u24(int v) {
            write(v >>> 16);
            return u16(v & 0xffff);
        }

        Buf bytes(byte[] b) {
            write(b, 0, b.length);
            return this;
        }
    }
}
