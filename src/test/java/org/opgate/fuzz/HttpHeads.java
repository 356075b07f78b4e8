package org.opgate.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.opgate.testing.GatewayHarness;
import org.opgate.testing.Mutator;

/**
 * Seeded HTTP proxy requests, well-formed and not: CONNECT and absolute-URI requests built from
 * parts (hosts and ports valid and invalid, headers inserted, duplicated, removed or oversized,
 * bodies whose length lies, line endings changed), then often mutated at the byte level; plus
 * random bytes.
 */
final class HttpHeads {

    private static final String[] HOSTS = {GatewayHarness.BBM_HOST, GatewayHarness.BES_HOST, "nowhere.example.org",
            "127.0.0.1", "[::1]", "10.1.2.3", "[2001:db8::1]", "bad..name", "-lead.example", "a".repeat(64) + ".example",
            "x".repeat(300), "xn--", "xn--zz.example", "ünïcode.example", "host\u0000nul.example", "", ".", "*.example",
            "goods.bbm.blackberry.com.", "GOODS.BBM.BLACKBERRY.COM", "999.1.1.1", "[::ffff:127.0.0.1]", "[fe80::1%eth0]"};
    private static final String[] PORTS = {"443", "3101", "80", "0", "65535", "65536", "-1", "", "abc", "4433333333333",
            "+443", "0x1bb", " 443", "443 "};
    private static final String[] METHODS = {"CONNECT", "GET", "POST", "HEAD", "PUT", "OPTIONS", "connect", "G E T", "",
            "\u0001"};
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1", "http/1.1", "HTTP/1.1x", ""};
    private static final String[] HEADERS = {"Host: %h", "User-Agent: fuzz", "Proxy-Connection: keep-alive",
            "Connection: close", "Content-Length: %n", "Transfer-Encoding: chunked", "Proxy-Authorization: Basic %a",
            "Proxy-Authorization: Basic !!!", "Proxy-Authorization: Digest x", "Expect: 100-continue",
            "X-Empty:", ": no name", "No-Colon", "Folded: a\r\n b", "Content-Length: -1", "Content-Length: 1, 2",
            "Content-Length: 99999999999999999999", "Upgrade: h2c"};

    private HttpHeads() {
    }

    static byte[] next(Random random) {
        int kind = random.nextInt(20);
        if (kind == 0) {
            return Mutator.randomBytes(random, random.nextInt(400));
        }
        byte[] request = build(random);
        if (kind < 9) {
            request = Mutator.mutate(random, request, 1 + random.nextInt(3));
        }
        return request;
    }

    /** One to three requests in a row (pipelined), each with its own shape. */
    private static byte[] build(Random random) {
        StringBuilder out = new StringBuilder();
        for (int n = random.nextInt(6) == 0 ? 2 + random.nextInt(2) : 1; n > 0; n--) {
            request(random, out);
        }
        String text = out.toString();
        switch (random.nextInt(8)) {
            case 0 -> text = text.replace("\r\n", "\n");
            case 1 -> text = text.replace("\r\n", "\r");
            case 2 -> text = text + "\r\n\r\n\u0000\u00ff junk after the head";
            default -> {
            }
        }
        byte[] bytes = text.getBytes(random.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        if (random.nextInt(8) == 0) {
            // Bytes right behind the request: the tunnel's first (a TLS hello, say) or garbage.
            bytes = Mutator.concat(bytes, Mutator.randomBytes(random, random.nextInt(300)));
        }
        return bytes;
    }

    private static void request(Random random, StringBuilder out) {
        String host = pick(random, HOSTS);
        String port = pick(random, PORTS);
        String method = random.nextInt(3) == 0 ? pick(random, METHODS) : random.nextBoolean() ? "CONNECT" : "GET";
        String target = switch (random.nextInt(8)) {
            case 0 -> "https://" + host + ":" + port + "/";
            case 1 -> "/" + pick(random, HOSTS);
            case 2 -> host;
            case 3 -> "http://" + host + (random.nextBoolean() ? ":" + port : "") + "/p?q=" + random.nextInt(10);
            case 4 -> "http://user@" + host + "/%zz";
            default -> method.equalsIgnoreCase("CONNECT") ? host + ":" + port : "http://" + host + "/";
        };
        if (random.nextInt(40) == 0) {
            target = target + "/" + "u".repeat(4000 + random.nextInt(9000));
        }
        out.append(method).append(' ').append(target);
        if (random.nextInt(12) != 0) {
            out.append(' ').append(random.nextInt(5) == 0 ? pick(random, VERSIONS) : "HTTP/1.1");
        }
        out.append("\r\n");
        List<String> headers = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            headers.add(pick(random, HEADERS));
        }
        if (random.nextInt(4) != 0) {
            headers.add(0, "Host: %h");
        }
        if (random.nextInt(6) == 0 && !headers.isEmpty()) {
            headers.add(headers.get(random.nextInt(headers.size()))); // a duplicate
        }
        if (random.nextInt(30) == 0) {
            headers.add("X-Padding: " + "p".repeat(8000 + random.nextInt(4000))); // over the header limit
        }
        int body = random.nextInt(4) == 0 ? random.nextInt(64) : 0;
        for (String h : headers) {
            out.append(h.replace("%h", host).replace("%n", String.valueOf(random.nextBoolean() ? body : body + 7))
                    .replace("%a", Base64.getEncoder().encodeToString(
                            ((random.nextBoolean() ? "923001234567" : "user") + ":pw").getBytes(StandardCharsets.UTF_8))))
                    .append("\r\n");
        }
        out.append("\r\n");
        if (headers.contains("Transfer-Encoding: chunked")) {
            out.append(random.nextBoolean() ? "5\r\nhello\r\n0\r\n\r\n" : "zz\r\nhello\r\n");
        } else {
            out.append("b".repeat(body));
        }
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
