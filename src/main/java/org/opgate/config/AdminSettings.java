package org.opgate.config;

/**
 * The admin API endpoint.
 *
 * @param bind  listening address (loopback unless the config opts out)
 * @param token bearer token required on every request, or null for none
 */
public record AdminSettings(BindAddress bind, String token) {

    public static final String DEFAULT_BIND = "127.0.0.1:9090";
}
