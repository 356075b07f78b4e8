package org.opgate.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard's files, read from the jar once: its own page, style and script under
 * {@code org/opgate/admin/ui/}, and uPlot from its webjar. A fixed table of paths, so no request
 * can name any other resource. The page and its own files are revalidated on every load (ETag);
 * uPlot's path carries its version and is cached for good.
 */
final class StaticAssets {

    /** Where the dashboard's own files live on the class path. */
    private static final String UI = "org/opgate/admin/ui/";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final String REVALIDATE = "no-cache";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    /** One file as served. */
    record Asset(byte[] body, String contentType, String cacheControl, String etag) {
    }

    private static final class Holder {
        static final StaticAssets BUNDLED = load();
    }

    private final Map<String, Asset> byPath;

    private StaticAssets(Map<String, Asset> byPath) {
        this.byPath = Map.copyOf(byPath);
    }

    /** The files of this jar, read on first use. */
    static StaticAssets bundled() {
        return Holder.BUNDLED;
    }

    /** The file served at {@code path}, or null. */
    Asset find(String path) {
        return byPath.get(path);
    }

    /** True for the paths that belong to the dashboard's files (served without the token). */
    static boolean isStaticPath(String path) {
        return path.equals("/") || path.startsWith("/ui/");
    }

    private static StaticAssets load() {
        String uplot = uplotVersion();
        String uplotDir = "META-INF/resources/webjars/uplot/" + uplot + "/";
        String uplotPath = "/ui/uplot/" + uplot + "/";
        Map<String, Asset> m = new LinkedHashMap<>();
        String page = new String(read(UI + "index.html"), StandardCharsets.UTF_8).replace("@UPLOT@", uplotPath);
        m.put("/", asset(page.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8", REVALIDATE));
        m.put("/ui/dashboard.css", asset(read(UI + "dashboard.css"), "text/css; charset=utf-8", REVALIDATE));
        m.put("/ui/dashboard.js", asset(read(UI + "dashboard.js"), "text/javascript; charset=utf-8", REVALIDATE));
        m.put("/ui/favicon.svg", asset(read(UI + "favicon.svg"), "image/svg+xml", REVALIDATE));
        m.put(uplotPath + "uPlot.iife.min.js", asset(read(uplotDir + "dist/uPlot.iife.min.js"),
                "text/javascript; charset=utf-8", IMMUTABLE));
        m.put(uplotPath + "uPlot.min.css", asset(read(uplotDir + "dist/uPlot.min.css"), "text/css; charset=utf-8", IMMUTABLE));
        m.put(uplotPath + "LICENSE", asset(read(uplotDir + "LICENSE"), "text/plain; charset=utf-8", IMMUTABLE));
        return new StaticAssets(m);
    }

    private static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = stream(UPLOT_POM)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + UPLOT_POM, e);
        }
        return p.getProperty("version");
    }

    private static Asset asset(byte[] body, String type, String cacheControl) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return new Asset(body, type, cacheControl, "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = stream(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static InputStream stream(String resource) {
        InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("the jar lacks " + resource + " (the dashboard cannot be served)");
        }
        return in;
    }
}
