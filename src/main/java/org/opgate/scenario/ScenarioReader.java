package org.opgate.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opgate.config.ConfigException;
import org.opgate.config.ConfigLoader;
import org.opgate.config.ConfigOverrides;
import org.opgate.config.ConfigOverrides.FileRef;
import org.opgate.config.Diagnostics;
import org.opgate.config.InstantText;
import org.opgate.config.ListenerSpec;
import org.opgate.config.OpgateConfig;
import org.opgate.config.SimnetRoute;
import org.opgate.config.YamlReader;
import org.opgate.flow.HostName;
import org.opgate.flow.ListenerKind;
import org.opgate.source.SourceLocation;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a scenario file ({@code config/scenarios/NAME.yaml}) against a config directory: every
 * config revision it names is loaded through {@link ConfigLoader} with the scenario's class and
 * policy lists, so errors in either are reported as {@code file:line:column: what (expected: …)},
 * all at once; unknown keys are errors. Paths in a scenario are relative to the config directory.
 */
public final class ScenarioReader {

    /** Scenario files live here, under the config directory. */
    public static final String DIRECTORY = "scenarios";

    private static final Set<String> TOP = YamlReader.keys("title", "description", "zone", "clock", "operators", "classes",
            "policies", "routes", "events", "populations", "sources");
    private static final Set<String> CLOCK = YamlReader.keys("start", "end", "rate", "interval");
    private static final Set<String> EVENT = YamlReader.keys("at", "name", "description", "sources", "classes", "policies");
    private static final Set<String> POPULATION = YamlReader.keys("class", "subscribers", "operators", "via", "host", "port",
            "sni", "persistent", "sessions-per-day", "hold", "gap", "reconnect", "moves-to");
    private static final Set<String> RECONNECT = YamlReader.keys("first", "factor", "max");
    private static final Set<String> MOVE = YamlReader.keys("share", "after", "class", "host", "port", "sni", "via");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(s|m|h|d)");
    private static final String CLASS_NAME = "[A-Za-z][A-Za-z0-9_-]{0,31}";

    private final Path configDir;
    private final Diagnostics diag = new Diagnostics();
    private YamlReader yaml;
    /** The class and policy lists in force as the timeline is read (null: the config's own). */
    private List<FileRef> classes;
    private List<FileRef> policies;
    private FileRef operators;

    private ScenarioReader(Path configDir) {
        this.configDir = configDir;
    }

    /**
     * Reads {@code file} against the config at {@code configDir}.
     *
     * @throws ConfigException with every error found, in the scenario and in the files it names
     */
    public static Scenario read(Path file, Path configDir) throws ConfigException {
        return new ScenarioReader(configDir).readFile(file);
    }

    /**
     * The scenario file a name stands for: an existing file as given, else
     * {@code <configDir>/scenarios/<name>.yaml}.
     */
    public static Path resolve(String name, Path configDir) {
        Path given = Path.of(name);
        if (Files.isRegularFile(given)) {
            return given;
        }
        return configDir.resolve(DIRECTORY).resolve(name.endsWith(".yaml") ? name : name + ".yaml");
    }

    /** The scenario files under {@code <configDir>/scenarios}, in name order (none if it has no such directory). */
    public static List<Path> list(Path configDir) {
        Path dir = configDir.resolve(DIRECTORY);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private Scenario readFile(Path file) throws ConfigException {
        String display = file.normalize().toString().replace('\\', '/');
        yaml = new YamlReader(display, diag);
        byte[] bytes = YamlReader.read(file, display, SourceLocation.of(display, 0, 0), diag);
        Node root = bytes == null ? null : yaml.parse(bytes);
        if (root == null) {
            diag.throwIfAny();
        }
        Map<String, Node> top = yaml.mapping(root, "scenario", TOP);
        String name = file.getFileName().toString();
        String id = name.endsWith(".yaml") ? name.substring(0, name.length() - 5) : name;
        String title = yaml.require(top, "title", root, "scenario", "a one-line title") ? yaml.string(top.get("title"), "title") : id;
        String description = top.containsKey("description") ? yaml.string(top.get("description"), "description") : "";
        ZoneId zone = ZoneId.of("UTC");
        if (yaml.require(top, "zone", root, "scenario", "the zone of the order's dates, like Asia/Karachi")) {
            zone = zone(top.get("zone"));
        }
        Instant start = null;
        Instant end = null;
        double rate = 1;
        Duration interval = Duration.ofDays(1);
        if (yaml.require(top, "clock", root, "scenario", "clock: {start, end, rate}")) {
            Node clockNode = top.get("clock");
            Map<String, Node> clock = yaml.mapping(clockNode, "clock", CLOCK);
            if (yaml.require(clock, "start", clockNode, "clock", "the first simulated instant")) {
                start = instant(clock.get("start"), zone, "clock.start");
            }
            if (yaml.require(clock, "end", clockNode, "clock", "the last simulated instant")) {
                end = instant(clock.get("end"), zone, "clock.end");
            }
            if (clock.containsKey("rate")) {
                Double r = number(clock.get("rate"), "clock.rate", 1e-3, 1e9);
                rate = r == null ? rate : r;
            }
            if (clock.containsKey("interval")) {
                Duration d = duration(clock.get("interval"), "clock.interval");
                interval = d == null ? interval : d;
            }
            if (start != null && end != null && !end.isAfter(start)) {
                diag.error(yaml.at(clock.get("end")), "clock.end " + end + " is not after clock.start " + start,
                        "an end after the start");
            }
        }
        List<SimnetRoute> routes = new ArrayList<>();
        if (top.containsKey("routes")) {
            for (Node item : yaml.sequence(top.get("routes"), "routes", false)) {
                SimnetRoute r = ConfigLoader.simnetRoute(item, yaml);
                if (r != null) {
                    routes.add(r);
                }
            }
        }
        classes = top.containsKey("classes") ? files(top.get("classes"), "classes") : null;
        policies = top.containsKey("policies") ? files(top.get("policies"), "policies") : null;
        if (top.containsKey("operators")) {
            String f = yaml.string(top.get("operators"), "operators file");
            operators = f == null ? null : new FileRef(f, yaml.at(top.get("operators")));
        }
        OpgateConfig initial = config(new ConfigOverrides(classes, policies, operators, routes));
        List<Revision> revisions = new ArrayList<>();
        if (top.containsKey("events")) {
            Instant last = null;
            for (Node item : yaml.sequence(top.get("events"), "events", false)) {
                Revision r = event(item, zone, routes, start, end, last);
                if (r != null) {
                    revisions.add(r);
                    last = r.event().at();
                }
            }
        }
        List<PopulationSpec> populations = new ArrayList<>();
        if (yaml.require(top, "populations", root, "scenario", "a list of populations")) {
            for (Node item : yaml.sequence(top.get("populations"), "populations", false)) {
                PopulationSpec p = population(item, initial);
                if (p != null) {
                    populations.add(p);
                }
            }
        }
        List<String> sources = top.containsKey("sources") ? strings(top.get("sources"), "sources") : List.of();
        diag.throwIfAny();
        return new Scenario(id, title, description, zone, start, end, rate, interval, initial, revisions, populations,
                sources);
    }

    private Revision event(Node item, ZoneId zone, List<SimnetRoute> routes, Instant start,
                           Instant end, Instant last) {
        Map<String, Node> m = yaml.mapping(item, "event", EVENT);
        boolean ok = yaml.require(m, "at", item, "event", "the instant it takes effect")
                & yaml.require(m, "name", item, "event", "a short label like deadline");
        if (!ok) {
            return null;
        }
        Instant at = instant(m.get("at"), zone, "event at");
        String name = yaml.string(m.get("name"), "event name");
        if (at == null || name == null) {
            return null;
        }
        if (last != null && at.isBefore(last)) {
            diag.error(yaml.at(m.get("at")), "event '" + name + "' at " + at + " comes before the one above it",
                    "events in time order");
        }
        if (start != null && end != null && (at.isBefore(start) || at.isAfter(end))) {
            diag.error(yaml.at(m.get("at")), "event '" + name + "' at " + at + " is outside the clock's run",
                    start + " .. " + end);
        }
        String description = m.containsKey("description") ? yaml.string(m.get("description"), "description") : "";
        List<String> sources = m.containsKey("sources") ? strings(m.get("sources"), "sources") : List.of();
        OpgateConfig config = null;
        if (m.containsKey("classes") || m.containsKey("policies")) {
            if (m.containsKey("classes")) {
                classes = files(m.get("classes"), "classes");
            }
            if (m.containsKey("policies")) {
                policies = files(m.get("policies"), "policies");
            }
            config = config(new ConfigOverrides(classes, policies, operators, routes));
        }
        return new Revision(new ScenarioEvent(at, name, description, sources), config);
    }

    private PopulationSpec population(Node item, OpgateConfig cfg) {
        Map<String, Node> m = yaml.mapping(item, "population", POPULATION);
        boolean ok = yaml.require(m, "class", item, "population", "the class its traffic really is, like BES")
                & yaml.require(m, "subscribers", item, "population", "how many subscribers")
                & yaml.require(m, "host", item, "population", "the host its sessions go to")
                & yaml.require(m, "port", item, "population", "the destination port")
                & yaml.require(m, "via", item, "population", "listener names, like [http, socks5]")
                & yaml.require(m, "hold", item, "population", "how long a connection stays open, like 10m or 14d");
        if (!ok) {
            return null;
        }
        String cls = yaml.identifier(m.get("class"), "class", CLASS_NAME, "a class name like BES or OTHER");
        if (cls != null && cfg != null && !cfg.rules().hasClass(cls)) {
            diag.error(yaml.at(m.get("class")), "population class '" + cls + "' is not a class of the config",
                    "one of the declared classes, or OTHER");
        }
        Long subscribers = yaml.integer(m.get("subscribers"), "subscribers", 0, 10_000_000);
        Endpoint endpoint = endpoint(m);
        List<String> via = via(m.get("via"), cfg, endpoint);
        Map<String, Double> operators = operators(m.get("operators"), item, cfg);
        boolean persistent = m.containsKey("persistent") && Boolean.TRUE.equals(yaml.bool(m.get("persistent"), "persistent"));
        double perDay = 0;
        if (!persistent && yaml.require(m, "sessions-per-day", item, "population",
                "sessions a simulated day for all its subscribers together (or persistent: true)")) {
            Double d = number(m.get("sessions-per-day"), "sessions-per-day", 0, 1e9);
            perDay = d == null ? 0 : d;
        }
        Duration hold = duration(m.get("hold"), "hold");
        Duration gap = Duration.ZERO;
        Reconnect reconnect = null;
        if (persistent) {
            if (m.containsKey("gap")) {
                gap = duration(m.get("gap"), "gap");
            }
            if (m.containsKey("reconnect")) {
                reconnect = reconnect(m.get("reconnect"));
            }
        } else {
            for (String k : List.of("gap", "reconnect", "moves-to")) {
                if (m.containsKey(k)) {
                    diag.error(yaml.at(m.get(k)), k + " applies only to persistent populations",
                            "persistent: true, or no '" + k + "'");
                }
            }
        }
        MoveTo move = persistent && m.containsKey("moves-to") ? moveTo(m.get("moves-to"), cfg) : null;
        if (cls == null || subscribers == null || endpoint == null || via == null || operators == null || hold == null
                || gap == null) {
            return null;
        }
        return new PopulationSpec(cls, subscribers.intValue(), operators, via, endpoint, persistent, perDay, hold, gap,
                reconnect, move, yaml.at(item));
    }

    private Endpoint endpoint(Map<String, Node> m) {
        String host = m.containsKey("host") ? yaml.string(m.get("host"), "host") : null;
        Long port = m.containsKey("port") ? yaml.integer(m.get("port"), "port", 1, 65535) : null;
        if (host == null || port == null) {
            return null;
        }
        try {
            host = HostName.normalize(host);
        } catch (IllegalArgumentException e) {
            diag.error(yaml.at(m.get("host")), "host ", e);
            return null;
        }
        String sni = host;
        if (m.containsKey("sni")) {
            String s = yaml.string(m.get("sni"), "sni");
            sni = "none".equals(s) ? null : s;
        }
        return new Endpoint(host, port.intValue(), sni);
    }

    private List<String> via(Node node, OpgateConfig cfg, Endpoint endpoint) {
        if (node == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Node n : yaml.sequence(node, "via", true)) {
            String name = yaml.string(n, "listener name");
            if (name == null) {
                continue;
            }
            ListenerSpec l = cfg == null ? null
                    : cfg.listeners().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
            if (cfg != null && l == null) {
                String hint = YamlReader.suggest(name, cfg.listeners().stream().map(ListenerSpec::name).toList());
                diag.error(yaml.at(n), "no listener '" + name + "' in the config" + (hint == null ? "" : "; did you mean '" + hint + "'?"),
                        "one of " + String.join(", ", cfg.listeners().stream().map(ListenerSpec::name).toList()));
                continue;
            }
            if (l != null && endpoint != null && l.kind() == ListenerKind.SNI) {
                if (endpoint.sni() == null) {
                    diag.error(yaml.at(n), "listener '" + name + "' is an sni listener, but the population sends no SNI",
                            "an http or socks5 listener, or an sni");
                } else if (l.upstreamPort() != endpoint.port()) {
                    diag.error(yaml.at(n), "listener '" + name + "' sends every flow to port " + l.upstreamPort()
                            + ", not " + endpoint.port(), "port " + l.upstreamPort() + ", or an http or socks5 listener");
                }
            }
            out.add(name);
        }
        if (out.isEmpty()) {
            diag.error(yaml.at(node), "via names no listener", "at least one listener name");
            return null;
        }
        return out;
    }

    /** operators: a list of ids (equal shares), or a mapping id → share; default every operator alike. */
    private Map<String, Double> operators(Node node, Node item, OpgateConfig cfg) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (node == null) {
            if (cfg != null) {
                cfg.operators().forEach(o -> out.put(o.id(), 1.0 / cfg.operators().size()));
            }
            if (cfg != null && out.isEmpty()) {
                diag.error(yaml.at(item), "the config has no operators for the population", "operators in opgate.yaml");
            }
            return out;
        }
        Map<String, Node> weights = new LinkedHashMap<>();
        if (node instanceof org.yaml.snakeyaml.nodes.MappingNode) {
            Set<String> ids = cfg == null ? Set.of() : Set.copyOf(cfg.operators().stream().map(o -> o.id()).toList());
            weights.putAll(yaml.mapping(node, "operators", cfg == null ? Set.of() : ids));
        } else {
            for (Node n : yaml.sequence(node, "operators", true)) {
                String id = yaml.string(n, "operator");
                if (id != null && cfg != null && cfg.operator(id) == null) {
                    diag.error(yaml.at(n), "unknown operator '" + id + "'", "an operator id of the config");
                } else if (id != null) {
                    weights.put(id, null);
                }
            }
        }
        double total = 0;
        for (Map.Entry<String, Node> e : weights.entrySet()) {
            Double w = e.getValue() == null ? Double.valueOf(1) : number(e.getValue(), "operator share", 0, 1e9);
            if (w != null) {
                out.put(e.getKey(), w);
                total += w;
            }
        }
        if (!(total > 0)) {
            diag.error(yaml.at(node), "operators give no subscriber an operator", "at least one operator with a share above 0");
            return null;
        }
        double sum = total;
        out.replaceAll((k, v) -> v / sum);
        return out;
    }

    private Reconnect reconnect(Node node) {
        Map<String, Node> m = yaml.mapping(node, "reconnect", RECONNECT);
        Duration first = m.containsKey("first") ? duration(m.get("first"), "reconnect.first") : Duration.ofMinutes(1);
        Double factor = m.containsKey("factor") ? number(m.get("factor"), "reconnect.factor", 1, 100) : Double.valueOf(2);
        Duration max = m.containsKey("max") ? duration(m.get("max"), "reconnect.max") : Duration.ofDays(1);
        if (first == null || factor == null || max == null) {
            return null;
        }
        return new Reconnect(first, factor, max);
    }

    private MoveTo moveTo(Node node, OpgateConfig cfg) {
        Map<String, Node> m = yaml.mapping(node, "moves-to", MOVE);
        boolean ok = yaml.require(m, "share", node, "moves-to", "the share of subscribers who move, 0..1")
                & yaml.require(m, "class", node, "moves-to", "the class the moved traffic is, like OTHER")
                & yaml.require(m, "host", node, "moves-to", "where the moved traffic goes")
                & yaml.require(m, "port", node, "moves-to", "its port")
                & yaml.require(m, "via", node, "moves-to", "listener names");
        if (!ok) {
            return null;
        }
        Double share = number(m.get("share"), "moves-to.share", 0, 1);
        Long after = m.containsKey("after") ? yaml.integer(m.get("after"), "moves-to.after", 1, 1000) : Long.valueOf(1);
        String cls = yaml.identifier(m.get("class"), "class", CLASS_NAME, "a class name like OTHER");
        Endpoint endpoint = endpoint(m);
        List<String> via = via(m.get("via"), cfg, endpoint);
        if (share == null || after == null || cls == null || endpoint == null || via == null) {
            return null;
        }
        return new MoveTo(share, after.intValue(), cls, endpoint, via);
    }

    private OpgateConfig config(ConfigOverrides overrides) {
        try {
            return ConfigLoader.load(configDir, overrides);
        } catch (ConfigException e) {
            diag.addAll(e.errors());
            return null;
        }
    }

    private List<FileRef> files(Node node, String what) {
        List<FileRef> out = new ArrayList<>();
        for (Node n : yaml.sequence(node, what, true)) {
            String s = yaml.string(n, what + " file");
            if (s != null) {
                out.add(new FileRef(s, yaml.at(n)));
            }
        }
        return out;
    }

    private List<String> strings(Node node, String what) {
        List<String> out = new ArrayList<>();
        for (Node n : yaml.sequence(node, what, true)) {
            String s = yaml.string(n, what);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private ZoneId zone(Node node) {
        String text = yaml.string(node, "zone");
        if (text == null) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            diag.error(yaml.at(node), "zone '" + text + "' is not a time zone", "a tz name like Asia/Karachi or an offset like +05:00");
            return ZoneId.of("UTC");
        }
    }

    /** An instant with an offset or zone, or a local date-time or date in the scenario's zone. */
    private Instant instant(Node node, ZoneId zone, String what) {
        String text = yaml.string(node, what);
        if (text == null) {
            return null;
        }
        try {
            return InstantText.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return text.contains("T") ? LocalDateTime.parse(text).atZone(zone).toInstant()
                        : LocalDate.parse(text).atStartOfDay(zone).toInstant();
            } catch (DateTimeParseException e2) {
                diag.error(yaml.at(node), what + " '" + text + "' is not an instant",
                        InstantText.EXPECTED + ", or a local date-time in the scenario's zone");
                return null;
            }
        }
    }

    private Double number(Node node, String what, double min, double max) {
        String s = yaml.string(node, what);
        if (s == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(s.replace("_", ""));
            if (!(v >= min && v <= max)) {
                diag.error(yaml.at(node), what + " " + s + " is out of range", min + ".." + max);
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            diag.error(yaml.at(node), what + " '" + s + "' is not a number", min + ".." + max);
            return null;
        }
    }

    /** A simulated duration: a whole number with s, m, h or d. */
    private Duration duration(Node node, String what) {
        String s = yaml.string(node, what);
        if (s == null) {
            return null;
        }
        Matcher mm = DURATION.matcher(s.trim());
        if (!mm.matches()) {
            diag.error(yaml.at(node), what + " '" + s + "' is not a duration", "a whole number with s, m, h or d: 90s, 10m, 2h, 14d");
            return null;
        }
        long v = Long.parseLong(mm.group(1));
        Duration d = switch (mm.group(2)) {
            case "s" -> Duration.ofSeconds(v);
            case "m" -> Duration.ofMinutes(v);
            case "h" -> Duration.ofHours(v);
            default -> Duration.ofDays(v);
        };
        if (d.isZero()) {
            diag.error(yaml.at(node), what + " is zero", "a duration above 0");
            return null;
        }
        return d;
    }
}
