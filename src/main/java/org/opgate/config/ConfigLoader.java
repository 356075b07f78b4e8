package org.opgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.opgate.classify.HostPattern;
import org.opgate.classify.RuleSet;
import org.opgate.clock.SimulatedClock;
import org.opgate.flow.IpPrefix;
import org.opgate.flow.ListenerKind;
import org.opgate.policy.Operator;
import org.opgate.policy.Policy;
import org.opgate.source.SourceLocation;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads and validates a config directory ({@code opgate.yaml} and the files it names). Nothing
 * is returned unless everything is valid; otherwise a {@link ConfigException} carries every
 * error found, each as {@code file:line:column: what (expected: …)}.
 */
public final class ConfigLoader {

    public static final String MAIN_FILE = "opgate.yaml";

    private static final Set<String> MAIN_KEYS = YamlReader.keys("classes", "policies", "operators", "listeners", "clock", "admin", "limits", "simnet", "decision-log", "report");
    private static final Set<String> OPERATOR_KEYS = YamlReader.keys("id", "name", "pools", "msisdn-prefixes");
    private static final Set<String> LISTENER_KEYS = YamlReader.keys("name", "kind", "bind", "operator",
            "upstream-port", "allow-remote");
    private static final Set<String> CLOCK_KEYS = YamlReader.keys("mode", "start", "rate", "paused");
    private static final Set<String> ADMIN_KEYS = YamlReader.keys("bind", "token", "allow-remote");
    private static final Set<String> LIMIT_KEYS = YamlReader.keys("handshake-timeout", "idle-timeout",
            "connect-timeout", "max-header-bytes", "max-client-hello-bytes", "max-connections-per-listener",
            "max-connections-per-client", "write-buffer-low", "write-buffer-high");
    private static final Set<String> SIMNET_KEYS = YamlReader.keys("enabled", "routes", "real-dns", "allow-non-loopback");
    private static final Set<String> ROUTE_KEYS = YamlReader.keys("host", "cidr", "server", "service");
    private static final String OPERATOR_ID = "[a-z][a-z0-9-]{0,31}";

    private final Diagnostics diag = new Diagnostics();
    private final List<String> files = new ArrayList<>();
    private final MessageDigest digest;

    private ConfigLoader() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Loads the config at {@code path}: a directory holding {@code opgate.yaml}, or that file.
     *
     * @throws ConfigException with every error found
     */
    public static OpgateConfig load(Path path) throws ConfigException {
        return new ConfigLoader().loadMain(path, ConfigOverrides.NONE);
    }

    /**
     * Loads the config at {@code path} with {@code overrides} in place of its class and policy
     * lists (a scenario's revision of it). Errors in the files an override names are reported at
     * their own {@code file:line:column}; a missing file at the override's location.
     *
     * @throws ConfigException with every error found
     */
    public static OpgateConfig load(Path path, ConfigOverrides overrides) throws ConfigException {
        return new ConfigLoader().loadMain(path, overrides);
    }

    private OpgateConfig loadMain(Path path, ConfigOverrides overrides) throws ConfigException {
        Path dir = Files.isDirectory(path) ? path : path.getParent() == null ? Path.of(".") : path.getParent();
        Path main = Files.isDirectory(path) ? path.resolve(MAIN_FILE) : path;
        String mainName = display(main);
        SourceLocation cli = SourceLocation.of(mainName, 1, 1);
        if (!Files.exists(path)) {
            diag.error(SourceLocation.of(display(path), 0, 0), "config '" + display(path) + "' does not exist",
                    "a config directory holding " + MAIN_FILE);
            diag.throwIfAny();
        }
        YamlReader yaml = new YamlReader(mainName, diag);
        Node root = parseFile(main, yaml, cli);
        if (root == null) {
            diag.throwIfAny();
        }
        Map<String, Node> top = yaml.mapping(root, MAIN_FILE, MAIN_KEYS);

        RuleSet.Builder rules = RuleSet.builder();
        List<ConfigOverrides.FileRef> classFiles = overrides.classes();
        if (classFiles == null && yaml.require(top, "classes", root, MAIN_FILE,
                "a list of class files, like [classes/blackberry.yaml]")) {
            classFiles = fileRefs(top.get("classes"), "classes", yaml);
        }
        for (ConfigOverrides.FileRef entry : classFiles == null ? List.<ConfigOverrides.FileRef>of() : classFiles) {
            for (Path file : expand(dir, entry)) {
                YamlReader classYaml = new YamlReader(display(file), diag);
                Node classRoot = parseFile(file, classYaml, entry.where());
                if (classRoot != null) {
                    new ClassFileReader(classYaml, rules).read(classRoot);
                }
            }
        }
        List<Operator> operators = top.containsKey("operators") ? operators(top.get("operators"), yaml) : List.of();
        if (overrides.operators() != null) {
            operators = List.of();
            for (Path file : expand(dir, overrides.operators())) {
                YamlReader opYaml = new YamlReader(display(file), diag);
                Node opRoot = parseFile(file, opYaml, overrides.operators().where());
                if (opRoot != null) {
                    Map<String, Node> m = opYaml.mapping(opRoot, "operators file", YamlReader.keys("operators"));
                    if (opYaml.require(m, "operators", opRoot, "operators file", "operators: a list as in opgate.yaml")) {
                        operators = operators(m.get("operators"), opYaml);
                    }
                }
            }
        }
        RuleSet ruleSet = rules.build();
        List<Policy> policies = new ArrayList<>();
        Map<String, SourceLocation> policyIds = new LinkedHashMap<>();
        List<ConfigOverrides.FileRef> policyFiles = overrides.policies();
        if (policyFiles == null) {
            policyFiles = top.containsKey("policies") ? fileRefs(top.get("policies"), "policies", yaml) : List.of();
        }
        for (ConfigOverrides.FileRef entry : policyFiles) {
            for (Path file : expand(dir, entry)) {
                YamlReader policyYaml = new YamlReader(display(file), diag);
                Node policyRoot = parseFile(file, policyYaml, entry.where());
                if (policyRoot != null) {
                    new PolicyFileReader(policyYaml, ruleSet, operators, policies, policyIds).read(policyRoot);
                }
            }
        }
        List<ListenerSpec> listeners = top.containsKey("listeners")
                ? listeners(top.get("listeners"), yaml, operators) : List.of();
        ClockSettings clock = top.containsKey("clock") ? clock(top.get("clock"), yaml) : ClockSettings.REAL;
        AdminSettings admin = admin(top.get("admin"), yaml, listeners);
        Limits limits = top.containsKey("limits") ? limits(top.get("limits"), yaml) : Limits.DEFAULTS;
        SimnetSettings simnet = top.containsKey("simnet") ? simnet(top.get("simnet"), yaml) : SimnetSettings.NONE;
        if (!overrides.extraRoutes().isEmpty()) {
            List<SimnetRoute> routes = new ArrayList<>(overrides.extraRoutes());
            routes.addAll(simnet.routes());
            simnet = new SimnetSettings(simnet.enabled(), routes, simnet.realDns(),
                    simnet.allowNonLoopback());
        }
        String decisionLog = top.containsKey("decision-log") ? yaml.string(top.get("decision-log"), "decision-log") : null;
        List<String> reportClasses = new ArrayList<>();
        if (top.containsKey("report")) {
            Map<String, Node> r = yaml.mapping(top.get("report"), "report", YamlReader.keys("classes"));
            if (r.containsKey("classes")) {
                for (Node c : yaml.sequence(r.get("classes"), "report.classes", true)) {
                    String name = yaml.string(c, "class");
                    if (name != null && !ruleSet.hasClass(name)) {
                        diag.error(yaml.at(c), "report.classes: unknown class '" + name + "'",
                                "one of the declared classes, or OTHER");
                    } else if (name != null) {
                        reportClasses.add(name);
                    }
                }
            }
        }
        diag.throwIfAny();
        String version = HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        return new OpgateConfig(dir, version, files, ruleSet, policies, operators, listeners, clock, admin, limits,
                simnet, decisionLog, reportClasses);
    }

    private static String display(Path p) {
        return p.normalize().toString().replace('\\', '/');
    }

    private Node parseFile(Path file, YamlReader yaml, SourceLocation referencedFrom) {
        byte[] content = YamlReader.read(file, yaml.file(), referencedFrom, diag);
        if (content == null) {
            return null;
        }
        files.add(yaml.file());
        digest.update(yaml.file().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(content);
        return yaml.parse(content);
    }

    private List<ConfigOverrides.FileRef> fileRefs(Node list, String what, YamlReader yaml) {
        List<ConfigOverrides.FileRef> out = new ArrayList<>();
        for (Node entry : yaml.sequence(list, what, true)) {
            String text = yaml.string(entry, "file entry");
            if (text != null) {
                out.add(new ConfigOverrides.FileRef(text, yaml.at(entry)));
            }
        }
        return out;
    }

    /** A file entry, or a glob ({@code classes/*.yaml}) expanded in name order. */
    private List<Path> expand(Path dir, ConfigOverrides.FileRef entry) {
        String text = entry.path();
        if (Path.of(text).isAbsolute() || text.contains("..")) {
            diag.error(entry.where(), "file '" + text + "' is outside the config directory",
                    "a path relative to " + display(dir));
            return List.of();
        }
        if (!text.contains("*") && !text.contains("?")) {
            return List.of(dir.resolve(text));
        }
        Path base = dir.resolve(text).getParent();
        String glob = Path.of(text).getFileName().toString();
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(base)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(base, glob)) {
                ds.forEach(found::add);
            } catch (IOException e) {
                diag.error(entry.where(), "cannot list '" + text + "': " + e.getMessage(), "a readable directory");
            }
        }
        if (found.isEmpty()) {
            diag.error(entry.where(), "pattern '" + text + "' matches no file", "at least one file");
        }
        found.sort(null);
        return found;
    }

    private List<Operator> operators(Node node, YamlReader yaml) {
        List<Operator> out = new ArrayList<>();
        Map<String, Operator> byId = new LinkedHashMap<>();
        List<Map.Entry<IpPrefix, Operator>> pools = new ArrayList<>();
        for (Node item : yaml.sequence(node, "operators", false)) {
            Map<String, Node> m = yaml.mapping(item, "operator", OPERATOR_KEYS);
            if (!yaml.require(m, "id", item, "operator", "an id like mobilink")) {
                continue;
            }
            String id = yaml.identifier(m.get("id"), "operator id", OPERATOR_ID,
                    "lower-case letter, then lower-case letters, digits or '-' (at most 32)");
            if (id == null) {
                continue;
            }
            if (byId.containsKey(id)) {
                diag.error(yaml.at(m.get("id")), "operator id '" + id + "' is already declared at "
                        + byId.get(id).location(), "unique operator ids");
                continue;
            }
            String name = m.containsKey("name") ? yaml.string(m.get("name"), "operator name") : id;
            List<IpPrefix> prefixes = new ArrayList<>();
            if (m.containsKey("pools")) {
                for (Node p : yaml.sequence(m.get("pools"), "pools", true)) {
                    String text = yaml.string(p, "pool");
                    if (text == null) {
                        continue;
                    }
                    try {
                        IpPrefix prefix = IpPrefix.parse(text);
                        for (Map.Entry<IpPrefix, Operator> e : pools) {
                            if (e.getKey().intersects(prefix)) {
                                diag.error(yaml.at(p), "pool " + prefix + " of operator '" + id + "' overlaps pool "
                                        + e.getKey() + " of operator '" + e.getValue().id() + "' at "
                                        + e.getValue().location(), "disjoint pools, so each client has one operator");
                            }
                        }
                        prefixes.add(prefix);
                    } catch (IllegalArgumentException e) {
                        diag.error(yaml.at(p), "operator '" + id + "': pool ", e);
                    }
                }
            }
            List<String> msisdn = new ArrayList<>();
            if (m.containsKey("msisdn-prefixes")) {
                for (Node p : yaml.sequence(m.get("msisdn-prefixes"), "msisdn-prefixes", true)) {
                    String text = yaml.identifier(p, "msisdn prefix", "[0-9]{1,15}",
                            "international-format digits without '+', like 92300");
                    if (text != null) {
                        msisdn.add(text);
                    }
                }
            }
            Operator op = new Operator(id, name == null ? id : name, prefixes, msisdn, yaml.at(item));
            for (IpPrefix p : prefixes) {
                pools.add(Map.entry(p, op));
            }
            byId.put(id, op);
            out.add(op);
        }
        return out;
    }

    private List<ListenerSpec> listeners(Node node, YamlReader yaml, List<Operator> operators) {
        List<ListenerSpec> out = new ArrayList<>();
        for (Node item : yaml.sequence(node, "listeners", false)) {
            Map<String, Node> m = yaml.mapping(item, "listener", LISTENER_KEYS);
            boolean ok = yaml.require(m, "name", item, "listener", "a name like http-main")
                    & yaml.require(m, "kind", item, "listener", "kind: http, socks5 or sni")
                    & yaml.require(m, "bind", item, "listener", "bind: 127.0.0.1:PORT");
            if (!ok) {
                continue;
            }
            String name = yaml.identifier(m.get("name"), "listener name", "[a-z][a-z0-9-]{0,31}",
                    "lower-case letter, then lower-case letters, digits or '-' (at most 32)");
            ListenerKind kind = kind(m.get("kind"), yaml);
            boolean allowRemote = m.containsKey("allow-remote") && Boolean.TRUE.equals(yaml.bool(m.get("allow-remote"), "allow-remote"));
            BindAddress bind = bind(m.get("bind"), yaml, allowRemote, "listener '" + name + "'");
            String operator = null;
            if (m.containsKey("operator")) {
                operator = yaml.string(m.get("operator"), "operator");
                String op = operator;
                if (op != null && operators.stream().noneMatch(o -> o.id().equals(op))) {
                    diag.error(yaml.at(m.get("operator")), "listener '" + name + "': unknown operator '" + op + "'",
                            "one of " + operators.stream().map(Operator::id).toList());
                }
            }
            int upstreamPort = 443;
            if (m.containsKey("upstream-port")) {
                if (kind != ListenerKind.SNI) {
                    diag.error(yaml.at(m.get("upstream-port")), "listener '" + name + "': upstream-port applies only to kind sni",
                            "no upstream-port on " + (kind == null ? "this" : kind.configName()) + " listeners");
                }
                Long p = yaml.integer(m.get("upstream-port"), "upstream-port", 1, 65535);
                upstreamPort = p == null ? upstreamPort : p.intValue();
            }
            if (name == null || kind == null || bind == null) {
                continue;
            }
            for (ListenerSpec other : out) {
                if (other.name().equals(name)) {
                    diag.error(yaml.at(m.get("name")), "listener name '" + name + "' is already used at "
                            + other.location(), "unique listener names");
                }
                if (bind.port() != 0 && other.bind().equals(bind)) {
                    diag.error(yaml.at(m.get("bind")), "listener '" + name + "' binds " + bind + ", as does '"
                            + other.name() + "' at " + other.location(), "one listener per address and port");
                }
            }
            out.add(new ListenerSpec(name, kind, bind, operator, upstreamPort, yaml.at(item)));
        }
        return out;
    }

    private ListenerKind kind(Node node, YamlReader yaml) {
        String text = yaml.string(node, "kind");
        if (text == null) {
            return null;
        }
        for (ListenerKind k : ListenerKind.values()) {
            if (k.configName().equals(text)) {
                return k;
            }
        }
        diag.error(yaml.at(node), "unknown listener kind '" + text + "'", "http, socks5 or sni");
        return null;
    }

    private BindAddress bind(Node node, YamlReader yaml, boolean allowRemote, String owner) {
        String text = yaml.string(node, "bind");
        if (text == null) {
            return null;
        }
        try {
            BindAddress b = BindAddress.parse(text);
            if (!allowRemote && !b.host().isLoopback()) {
                diag.error(yaml.at(node), owner + " binds " + b + ", which is not a loopback address",
                        "127.0.0.0/8 or [::1]; set allow-remote: true to expose it on purpose");
                return null;
            }
            return b;
        } catch (IllegalArgumentException e) {
            diag.error(yaml.at(node), owner + ": bind ", e);
            return null;
        }
    }

    private ClockSettings clock(Node node, YamlReader yaml) {
        Map<String, Node> m = yaml.mapping(node, "clock", CLOCK_KEYS);
        String mode = m.containsKey("mode") ? yaml.string(m.get("mode"), "clock mode") : "real";
        if (mode == null) {
            return ClockSettings.REAL;
        }
        if (mode.equals("real")) {
            for (String k : List.of("start", "rate", "paused")) {
                if (m.containsKey(k)) {
                    diag.error(yaml.at(m.get(k)), "clock." + k + " applies only to mode: simulated",
                            "mode: simulated, or no '" + k + "'");
                }
            }
            return ClockSettings.REAL;
        }
        if (!mode.equals("simulated")) {
            diag.error(yaml.at(m.get("mode")), "unknown clock mode '" + mode + "'", "real or simulated");
            return ClockSettings.REAL;
        }
        Instant start = null;
        if (yaml.require(m, "start", node, "simulated clock", "start: an ISO-8601 instant with offset, like 2015-07-24T09:00:00+05:00")) {
            start = instant(m.get("start"), yaml, "clock.start");
            if (start != null && (start.isBefore(SimulatedClock.EARLIEST) || start.isAfter(SimulatedClock.LATEST))) {
                diag.error(yaml.at(m.get("start")), "clock.start " + start + " is out of the clock's range",
                        "an instant from " + SimulatedClock.EARLIEST + " to " + SimulatedClock.LATEST);
                start = null;
            }
        }
        double rate = 1;
        if (m.containsKey("rate")) {
            Double r = yaml.positiveNumber(m.get("rate"), "clock.rate");
            rate = r == null ? 1 : r;
        }
        boolean paused = m.containsKey("paused") && Boolean.TRUE.equals(yaml.bool(m.get("paused"), "clock.paused"));
        return new ClockSettings(true, start, rate, paused);
    }

    static Instant instant(Node node, YamlReader yaml, String what) {
        String text = yaml.string(node, what);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            yaml.diag().error(yaml.at(node), what + " '" + text + "' is not an instant",
                    "ISO-8601 with offset, like 2015-07-24T09:00:00+05:00 or 2015-07-24T04:00:00Z");
            return null;
        }
    }

    private Limits limits(Node node, YamlReader yaml) {
        Map<String, Node> m = yaml.mapping(node, "limits", LIMIT_KEYS);
        Limits d = Limits.DEFAULTS;
        Duration ms = Duration.ofMillis(1);
        Duration handshake = m.containsKey("handshake-timeout") ? yaml.duration(m.get("handshake-timeout"), "limits.handshake-timeout", ms) : d.handshakeTimeout();
        Duration idle = m.containsKey("idle-timeout") ? yaml.duration(m.get("idle-timeout"), "limits.idle-timeout", ms) : d.idleTimeout();
        Duration connect = m.containsKey("connect-timeout") ? yaml.duration(m.get("connect-timeout"), "limits.connect-timeout", ms) : d.connectTimeout();
        int header = intLimit(m, "max-header-bytes", d.maxHeaderBytes(), 256, 1 << 20, yaml);
        int hello = intLimit(m, "max-client-hello-bytes", d.maxClientHelloBytes(), 512, 1 << 20, yaml);
        int perListener = intLimit(m, "max-connections-per-listener", d.maxConnectionsPerListener(), 1, 10_000_000, yaml);
        int perClient = intLimit(m, "max-connections-per-client", d.maxConnectionsPerClient(), 1, 10_000_000, yaml);
        int low = intLimit(m, "write-buffer-low", d.writeBufferLow(), 1024, 1 << 26, yaml);
        int high = intLimit(m, "write-buffer-high", d.writeBufferHigh(), 2048, 1 << 27, yaml);
        if (high <= low) {
            diag.error(yaml.at(node), "limits.write-buffer-high " + high + " is not above write-buffer-low " + low,
                    "high water mark greater than the low one");
        }
        return new Limits(handshake == null ? d.handshakeTimeout() : handshake, idle == null ? d.idleTimeout() : idle,
                connect == null ? d.connectTimeout() : connect, header, hello, perListener, perClient, low, high);
    }

    private int intLimit(Map<String, Node> m, String key, int dflt, long min, long max, YamlReader yaml) {
        if (!m.containsKey(key)) {
            return dflt;
        }
        Long v = yaml.integer(m.get(key), "limits." + key, min, max);
        return v == null ? dflt : v.intValue();
    }

    private SimnetSettings simnet(Node node, YamlReader yaml) {
        Map<String, Node> m = yaml.mapping(node, "simnet", SIMNET_KEYS);
        boolean enabled = !m.containsKey("enabled") || Boolean.TRUE.equals(yaml.bool(m.get("enabled"), "simnet.enabled"));
        boolean realDns = m.containsKey("real-dns") && Boolean.TRUE.equals(yaml.bool(m.get("real-dns"), "simnet.real-dns"));
        boolean nonLoopback = m.containsKey("allow-non-loopback")
                && Boolean.TRUE.equals(yaml.bool(m.get("allow-non-loopback"), "simnet.allow-non-loopback"));
        List<SimnetRoute> routes = new ArrayList<>();
        if (m.containsKey("routes")) {
            for (Node item : yaml.sequence(m.get("routes"), "simnet.routes", false)) {
                SimnetRoute route = simnetRoute(item, yaml);
                if (route != null) {
                    routes.add(route);
                }
            }
        }
        return new SimnetSettings(enabled, routes, realDns, nonLoopback);
    }

    /**
     * One simnet route ({@code host} or {@code cidr}, {@code server}, {@code service}), or null
     * after reporting what is wrong to the reader's diagnostics. Public for scenario files, whose
     * routes are written the same way.
     */
    public static SimnetRoute simnetRoute(Node item, YamlReader yaml) {
        Diagnostics diag = yaml.diag();
        Map<String, Node> r = yaml.mapping(item, "simnet route", ROUTE_KEYS);
        if (!yaml.require(r, "server", item, "simnet route", "server: tls, sink, http, echo or loopback")) {
            return null;
        }
        if (r.containsKey("host") == r.containsKey("cidr")) {
            diag.error(yaml.at(item), "simnet route needs exactly one of host and cidr", "host: *.example.com or cidr: 192.0.2.0/24");
            return null;
        }
        HostPattern host = null;
        IpPrefix cidr = null;
        try {
            if (r.containsKey("host")) {
                String t = yaml.string(r.get("host"), "host");
                host = t == null ? null : HostPattern.parse(t);
            } else {
                String t = yaml.string(r.get("cidr"), "cidr");
                cidr = t == null ? null : IpPrefix.parse(t);
            }
        } catch (IllegalArgumentException e) {
            diag.error(yaml.at(r.containsKey("host") ? r.get("host") : r.get("cidr")), "simnet route: ", e);
            return null;
        }
        String serverText = yaml.string(r.get("server"), "server");
        SimnetRoute.ServerKind kind = null;
        for (SimnetRoute.ServerKind k : SimnetRoute.ServerKind.values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(serverText)) {
                kind = k;
            }
        }
        if (kind == null) {
            diag.error(yaml.at(r.get("server")), "unknown simnet server '" + serverText + "'", "tls, sink, http, echo, srp or loopback");
            return null;
        }
        String service = r.containsKey("service") ? yaml.string(r.get("service"), "service") : null;
        if (host == null && cidr == null) {
            return null;
        }
        return new SimnetRoute(host, cidr, kind, service == null ? (host != null ? host.toString() : cidr.toString()) : service,
                yaml.at(item));
    }

    private AdminSettings admin(Node node, YamlReader yaml, List<ListenerSpec> listeners) {
        BindAddress bind = BindAddress.parse(AdminSettings.DEFAULT_BIND);
        if (node == null) {
            return new AdminSettings(bind, null);
        }
        Map<String, Node> m = yaml.mapping(node, "admin", ADMIN_KEYS);
        boolean allowRemote = m.containsKey("allow-remote") && Boolean.TRUE.equals(yaml.bool(m.get("allow-remote"), "allow-remote"));
        if (m.containsKey("bind")) {
            BindAddress b = bind(m.get("bind"), yaml, allowRemote, "admin");
            if (b != null) {
                bind = b;
                for (ListenerSpec l : listeners) {
                    if (b.port() != 0 && l.bind().equals(b)) {
                        diag.error(yaml.at(m.get("bind")), "admin binds " + b + ", as does listener '" + l.name()
                                + "' at " + l.location(), "a port of its own");
                    }
                }
            }
        }
        String token = null;
        if (m.containsKey("token")) {
            token = yaml.string(m.get("token"), "admin token");
            if (token != null && token.length() < 16) {
                diag.error(yaml.at(m.get("token")), "admin token is " + token.length() + " characters long",
                        "at least 16 characters, or no token");
                token = null;
            }
        }
        return new AdminSettings(bind, token);
    }
}
