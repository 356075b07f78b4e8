package org.opgate.report.run;

import java.net.URI;
import java.net.URISyntaxException;

/** Escaping for the text and attributes of the SVG chart and the HTML page. */
final class Markup {

    private Markup() {
    }

    /** {@code s} safe as XML/HTML text or inside a double- or single-quoted attribute. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    // Control characters are not allowed in XML 1.0; a stray one must not make the chart unreadable.
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                        sb.append('\uFFFD');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * A source as a link when it is an http(s) URL, else as plain text: a scenario file must not be
     * able to put a {@code javascript:} link on the page. The link text is the URL's host.
     */
    static String link(String url) {
        String host = webHost(url);
        return host == null ? escape(url) : anchor(url, host);
    }

    /** Like {@link #link}, with the whole URL as the link text. */
    static String fullLink(String url) {
        return webHost(url) == null ? escape(url) : anchor(url, url);
    }

    private static String anchor(String url, String text) {
        return "<a href=\"" + escape(url.strip()) + "\" title=\"" + escape(url) + "\">" + escape(text) + "</a>";
    }

    private static String webHost(String url) {
        try {
            URI u = new URI(url.strip());
            String scheme = u.getScheme();
            if (scheme == null || u.getHost() == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                return null;
            }
            String host = u.getHost();
            return host.startsWith("www.") ? host.substring(4) : host;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
