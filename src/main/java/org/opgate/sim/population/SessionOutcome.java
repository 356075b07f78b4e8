package org.opgate.sim.population;

/** How a simulated session ended. */
public enum SessionOutcome {
    /** It got its tunnel, the server answered, and it closed the connection itself after its hold time. */
    COMPLETED,
    /** The gateway refused it (HTTP 403, SOCKS5 reply 0x02, a reset on the SNI listener). */
    REFUSED,
    /** The gateway cut its open tunnel. */
    CUT,
    /** Anything else: connect failure, proxy error, timeout, an unexpected close. */
    ERROR;

    /** The lower-case name used in reports and the dashboard. */
    public String label() {
        return this == ERROR ? "error" : name().toLowerCase(java.util.Locale.ROOT);
    }
}
