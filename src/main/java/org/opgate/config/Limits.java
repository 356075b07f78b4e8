package org.opgate.config;

import java.time.Duration;

/**
 * Gateway timeouts and limits. Each limit hit is refused clearly and counted.
 *
 * @param handshakeTimeout        time a client has to finish its proxy handshake or ClientHello
 * @param idleTimeout             a tunnel with no bytes either way for this long is closed
 * @param connectTimeout          time to connect upstream
 * @param maxHeaderBytes          longest HTTP request line, and largest header section (each limited on its own)
 * @param maxClientHelloBytes     largest ClientHello read to find the SNI
 * @param maxConnectionsPerListener open connections one listener accepts
 * @param maxConnectionsPerClient open connections one client address may have
 * @param writeBufferLow          write-buffer low water mark: reading resumes below it
 * @param writeBufferHigh         write-buffer high water mark: the peer stops reading above it
 */
public record Limits(Duration handshakeTimeout, Duration idleTimeout, Duration connectTimeout, int maxHeaderBytes,
                     int maxClientHelloBytes, int maxConnectionsPerListener, int maxConnectionsPerClient,
                     int writeBufferLow, int writeBufferHigh) {

    public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(10), Duration.ofMinutes(5),
            Duration.ofSeconds(5), 8192, 16384, 10_000, 1_000, 32 * 1024, 64 * 1024);
}
