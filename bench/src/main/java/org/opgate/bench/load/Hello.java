package org.opgate.bench.load;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A real TLS ClientHello: the first flight of the JDK's own client engine for a server name (as the
 * tests' {@code ClientHellos.of}, which is not on this project's class path), made
 * once per run and sent by every tunnel. No handshake completes; the upstream echoes the bytes.
 */
final class Hello {

    private Hello() {
    }

    static byte[] of(String sni) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(sni.hashCode());
            context.init(null, null, random);
            SSLEngine engine = context.createSSLEngine(sni, 443);
            engine.setUseClientMode(true);
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(sni)));
            parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            engine.setSSLParameters(parameters);
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
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
            out.flip();
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            return bytes;
        } catch (GeneralSecurityException | SSLException e) {
            throw new IllegalStateException("cannot make a ClientHello for " + sni, e);
        }
    }
}
