package org.opgate.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS ClientHello bytes for tests, as a client would put them on the wire (records included).
 *
 * <ul>
 *   <li>{@link #of} and {@link #withoutSni}: the first flight of the JDK's own client
 *       {@link SSLEngine} (TLS 1.3 and 1.2 offered), so the bytes are what a real Java client
 *       sends. The engine's randomness comes from a fixed seed, so equal arguments give equal
 *       bytes in every run.</li>
 *   <li>{@link #builder()}: a hand-made hello for what the JDK will not send (a trailing dot,
 *       an IP literal or an empty name in SNI, a wrong handshake type, raw extensions).</li>
 *   <li>{@link #reframe}, {@link #withEch}, {@link #record}, {@link #concat}: reshape hellos
 *       (fragment over several records, add an encrypted_client_hello extension, put other
 *       records around them).</li>
 * </ul>
 *
 * <pre>
 * byte[] hello = ClientHellos.of("gb.srp.blackberry.com", "h2", "http/1.1");
 * byte[] fragmented = ClientHellos.reframe(hello, 100);      // records of 100 payload bytes
 * byte[] odd = ClientHellos.builder().sni("192.0.2.1").build();
 * </pre>
 *
 * Every method returns a new array that the caller may change.
 */
public final class ClientHellos {

    /** Record content type of handshake messages. */
    public static final int HANDSHAKE = 22;
    /** Record content type of application data. */
    public static final int APPLICATION_DATA = 23;
    /** Extension type of encrypted_client_hello (RFC 9849). */
    public static final int EXT_ECH = 0xfe0d;

    private static final int RECORD_HEADER = 5;
    private static final int MAX_RECORD_PAYLOAD = 16384;
    private static final int EXT_PRE_SHARED_KEY = 41;
    private static final long SEED = 0x5EED_C1E7L;

    private ClientHellos() {
    }

    /** The JDK client's ClientHello with {@code sni} as its host_name and the given ALPN protocols. */
    public static byte[] of(String sni, String... alpn) {
        return firstFlight(sni, List.of(new SNIHostName(sni)), alpn);
    }

    /** The JDK client's ClientHello without a server_name extension. */
    public static byte[] withoutSni(String... alpn) {
        return firstFlight(null, List.of(), alpn);
    }

    private static byte[] firstFlight(String host, List<SNIServerName> serverNames, String[] alpn) {
        SSLEngine engine = host == null ? context().createSSLEngine() : context().createSSLEngine(host, 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(serverNames);
        if (alpn.length > 0) {
            parameters.setApplicationProtocols(alpn);
        }
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        try {
            while (out.position() == 0) {
                SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
                if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                        task.run();
                    }
                } else if (result.bytesProduced() == 0) {
                    throw new IllegalStateException("SSLEngine wrote no ClientHello: " + result);
                }
            }
        } catch (SSLException e) {
            throw new IllegalStateException("SSLEngine could not write a ClientHello", e);
        }
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    /**
     * A TLS context that trusts nobody (no handshake ever completes here) and draws its
     * randomness (client random, session id, key shares) from a fixed seed.
     */
    private static SSLContext context() {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(SEED);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustNobody()}, random);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context", e);
        }
    }

    /**
     * The same ClientHello carried in handshake records of {@code payloadSize} bytes each (the
     * last one may be shorter), with the record version of the first record of {@code hello}.
     */
    public static byte[] reframe(byte[] hello, int payloadSize) {
        if (payloadSize < 1 || payloadSize > MAX_RECORD_PAYLOAD) {
            throw new IllegalArgumentException("payloadSize: " + payloadSize + " (expected: 1.." + MAX_RECORD_PAYLOAD + ")");
        }
        return frame(handshakeMessage(hello), payloadSize, hello[1], hello[2]);
    }

    /**
     * The same ClientHello with an encrypted_client_hello extension (an outer ECHClientHello with
     * placeholder bytes) added to the extension list: last, or just before pre_shared_key, which
     * must stay last.
     */
    public static byte[] withEch(byte[] hello) {
        byte[] message = handshakeMessage(hello);
        int lengthAt = extensionsLengthAt(message);
        if (lengthAt == message.length) {
            throw new IllegalArgumentException("hello has no extensions block");
        }
        int insertAt = message.length;
        for (int at = lengthAt + 2; at < message.length; at += 4 + u16(message, at + 2)) {
            if (u16(message, at) == EXT_PRE_SHARED_KEY) {
                insertAt = at;
            }
        }
        byte[] extension = extension(EXT_ECH, echOuterPayload());
        byte[] grown = concat(Arrays.copyOf(message, insertAt), extension,
                Arrays.copyOfRange(message, insertAt, message.length));
        putU16(grown, lengthAt, u16(message, lengthAt) + extension.length);
        putU24(grown, 1, grown.length - 4);
        return frame(grown, MAX_RECORD_PAYLOAD, hello[1], hello[2]);
    }

    private static byte[] echOuterPayload() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);                                   // ECHClientHelloType outer
        writeU16(out, 0x0001);                          // HPKE KDF: HKDF-SHA256
        writeU16(out, 0x0001);                          // HPKE AEAD: AES-128-GCM
        out.write(0x2a);                                // config_id
        writeVector16(out, filled(32, 0xe1));           // enc
        writeVector16(out, filled(64, 0xe2));           // payload
        return out.toByteArray();
    }

    /**
     * The handshake message carried by {@code records} (a ClientHello in one or more handshake
     * records), without record headers.
     *
     * @throws IllegalArgumentException if a record is not a whole handshake record
     */
    public static byte[] handshakeMessage(byte[] records) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int at = 0;
        while (at < records.length) {
            if (records.length - at < RECORD_HEADER || records[at] != HANDSHAKE) {
                throw new IllegalArgumentException("no handshake record at offset " + at);
            }
            int len = u16(records, at + 3);
            if (records.length - at - RECORD_HEADER < len) {
                throw new IllegalArgumentException("record at offset " + at + " is truncated");
            }
            message.write(records, at + RECORD_HEADER, len);
            at += RECORD_HEADER + len;
        }
        return message.toByteArray();
    }

    /** One TLS record (version 3.3) of the given content type. */
    public static byte[] record(int contentType, byte[] payload) {
        byte[] bytes = new byte[RECORD_HEADER + payload.length];
        bytes[0] = (byte) contentType;
        bytes[1] = 3;
        bytes[2] = 3;
        putU16(bytes, 3, payload.length);
        System.arraycopy(payload, 0, bytes, RECORD_HEADER, payload.length);
        return bytes;
    }

    /** The arrays one after the other. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A hand-made ClientHello; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes a ClientHello field by field, in one handshake record (version 3.1, as browsers
     * send). Defaults: client_version 3.3, a zero random, an empty session_id, two cipher suites,
     * the null compression method, and an extensions block holding what was added, in call order.
     * Nothing is validated, so tests can write what no TLS stack would.
     */
    public static final class Builder {
        private int handshakeType = 1;
        private byte[] sessionId = new byte[0];
        private boolean extensionsBlock = true;
        private final ByteArrayOutputStream extensions = new ByteArrayOutputStream();

        private Builder() {
        }

        /** The handshake message type (1 is ClientHello). */
        public Builder handshakeType(int type) {
            handshakeType = type;
            return this;
        }

        /** The legacy_session_id (up to 32 bytes in a valid hello). */
        public Builder sessionId(byte[] id) {
            sessionId = id.clone();
            return this;
        }

        /**
         * A server_name extension with one host_name entry per name, written as UTF-8 bytes
         * without any check (so {@code ""}, {@code "192.0.2.1"} or {@code "Example.COM."} go out
         * as given).
         */
        public Builder sni(String... hostNames) {
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            for (String name : hostNames) {
                list.write(0);
                writeVector16(list, name.getBytes(StandardCharsets.UTF_8));
            }
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            writeVector16(data, list.toByteArray());
            return extension(0, data.toByteArray());
        }

        /** An application_layer_protocol_negotiation extension offering the protocols, in order. */
        public Builder alpn(String... protocols) {
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            for (String protocol : protocols) {
                byte[] name = protocol.getBytes(StandardCharsets.ISO_8859_1);
                list.write(name.length);
                list.writeBytes(name);
            }
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            writeVector16(data, list.toByteArray());
            return extension(16, data.toByteArray());
        }

        /** An encrypted_client_hello extension (outer ECHClientHello with placeholder bytes). */
        public Builder ech() {
            return extension(EXT_ECH, echOuterPayload());
        }

        /** Any extension, with {@code data} as its extension_data. */
        public Builder extension(int type, byte[] data) {
            extensions.writeBytes(ClientHellos.extension(type, data));
            return this;
        }

        /** No extensions block at all (the body ends after compression_methods, as before TLS 1.3). */
        public Builder withoutExtensions() {
            extensionsBlock = false;
            return this;
        }

        /** The handshake message alone: type, 24-bit length, ClientHello body. */
        public byte[] handshake() {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            writeU16(body, 0x0303);
            body.writeBytes(new byte[32]);
            body.write(sessionId.length);
            body.writeBytes(sessionId);
            writeVector16(body, new byte[] {0x13, 0x01, (byte) 0xc0, 0x2f});
            body.write(1);
            body.write(0);
            if (extensionsBlock) {
                writeVector16(body, extensions.toByteArray());
            }
            byte[] bytes = body.toByteArray();
            byte[] message = new byte[4 + bytes.length];
            message[0] = (byte) handshakeType;
            putU24(message, 1, bytes.length);
            System.arraycopy(bytes, 0, message, 4, bytes.length);
            return message;
        }

        /** The hello in one handshake record (or several if it exceeds 16384 bytes). */
        public byte[] build() {
            return frame(handshake(), MAX_RECORD_PAYLOAD, (byte) 3, (byte) 1);
        }
    }

    private static byte[] frame(byte[] message, int payloadSize, byte major, byte minor) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < message.length; at += payloadSize) {
            int len = Math.min(payloadSize, message.length - at);
            out.write(HANDSHAKE);
            out.write(major);
            out.write(minor);
            writeU16(out, len);
            out.write(message, at, len);
        }
        return out.toByteArray();
    }

    /** Offset of the extensions length in a ClientHello handshake message, or its length if none. */
    private static int extensionsLengthAt(byte[] message) {
        int at = 4 + 2 + 32;
        at += 1 + (message[at] & 0xFF);
        at += 2 + u16(message, at);
        at += 1 + (message[at] & 0xFF);
        return at;
    }

    private static byte[] extension(int type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeU16(out, type);
        writeVector16(out, data);
        return out.toByteArray();
    }

    private static byte[] filled(int n, int value) {
        byte[] bytes = new byte[n];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static void writeVector16(ByteArrayOutputStream out, byte[] data) {
        writeU16(out, data.length);
        out.writeBytes(data);
    }

    private static void writeU16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }

    private static int u16(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }

    private static void putU16(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 8);
        bytes[at + 1] = (byte) value;
    }

    private static void putU24(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 16);
        putU16(bytes, at + 1, value);
    }

    /** No handshake completes in these tests; refusing every chain keeps cacerts unloaded. */
    private static final class TrustNobody implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("test context trusts nobody");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("test context trusts nobody");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
