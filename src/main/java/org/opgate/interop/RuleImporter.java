package org.opgate.interop;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.opgate.classify.HostPattern;
import org.opgate.classify.PortSet;
import org.opgate.flow.IpAddress;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

/**
 * Reads a foreign rule list line by line into {@link ImportedRule}s, and a {@link Note} for every
 * line or item it cannot carry over. What each format's entries become:
 *
 * <pre>
 * nDPI         host:"example.com"@Proto    *.example.com (nDPI matches the name and names below it)
 *              ip:10.0.0.0/8:443@Proto      cidr 10.0.0.0/8, ports [443] (ip entries longest prefix
 *                                           first: nDPI takes the best match, not the first line)
 *              ipv6:[2001:db8::/32]:443@P   cidr 2001:db8::/32, ports [443]
 *              tcp:81,tcp:8000-8080@Proto   ports [81, 8000-8080] (one rule for the line)
 *              the class is Proto (without any =id), normalised to a class name
 * Squid        .example.com                 *.example.com (dstdomain: the domain and below)
 *              example.com                  example.com (exact)
 *              10.0.0.0/8, 10.0.0.0/255.0.0.0, 10.1.2.3   cidr (dst)
 *              acl NAME dstdomain|dst V…   the same, per value
 * HAProxy map  example.com CLASS            *.example.com (map_dom's name and names below it; map_dom
 *                                           also matches example.com.evil.net, which opgate cannot say)
 *              .example.com CLASS           *.example.com (map_end's subdomain form)
 *              10.0.0.0/8 CLASS             cidr (map_ip; written longest prefix first, as map_ip
 *                                           returns the longest matching prefix, not the first line)
 * </pre>
 *
 * Regular expressions, UDP, port ranges on nDPI ip entries, address ranges and unknown syntax are
 * reported, never guessed at. Stateless; thread-safe.
 */
public final class RuleImporter {

    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,31}");
    private static final Pattern REGEX_CHARS = Pattern.compile("[*^$\\[\\](){}|?+\\\\]");
    private static final Pattern NETMASK = Pattern.compile("([0-9.]+)/([0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+)");

    private final String file;
    private final String classOverride;
    private final List<ImportedRule> rules = new ArrayList<>();
    private final List<Note> notes = new ArrayList<>();

    private RuleImporter(String file, String classOverride) {
        this.file = file;
        this.classOverride = classOverride;
    }

    /**
     * Imports {@code lines} of {@code file} (the name used in comments and notes).
     *
     * @param className the class every rule goes into; required for {@link ImportFormat#SQUID}, and
     *                  overrides the file's own class names for the other formats; null for none
     * @throws IllegalArgumentException if {@code className} is not a valid class name, or is missing for Squid
     */
    public static ImportResult read(ImportFormat format, String file, List<String> lines, String className) {
        Objects.requireNonNull(format, "format");
        if (className != null && (!CLASS_NAME.matcher(className).matches() || className.equals("OTHER"))) {
            throw new IllegalArgumentException("class '" + className + "' is not a valid class name (expected: a letter,"
                    + " then letters, digits, '_' or '-', at most 32; not OTHER)");
        }
        if (format == ImportFormat.SQUID && className == null) {
            throw new IllegalArgumentException("a Squid ACL file names no class (expected: --class NAME)");
        }
        RuleImporter in = new RuleImporter(file, className);
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            // A byte order mark (files saved by Windows editors) is not part of the first line.
            String line = (i == 0 && raw.startsWith("\uFEFF") ? raw.substring(1) : raw).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            SourceLocation at = SourceLocation.of(file, i + 1, 1);
            switch (format) {
                case NDPI -> in.ndpi(line, at);
                case SQUID -> in.squid(line, at);
                case HAPROXY_MAP -> in.haproxyMap(line, at);
                default -> throw new IllegalStateException(format.name());
            }
        }
        if (format == ImportFormat.HAPROXY_MAP || format == ImportFormat.NDPI) {
            in.longestPrefixFirst();
        }
        return new ImportResult(format, file, in.rules, in.notes);
    }

    /**
     * Reorders the address rules, in the places they hold, longest prefix first (stable), so that
     * opgate's first match gives what HAProxy's {@code map_ip} and nDPI's patricia tree give: the
     * most specific entry, wherever it is in the file. Name and port rules keep their places and
     * order ({@code map_dom} takes the first line).
     */
    private void longestPrefixFirst() {
        List<Integer> slots = new ArrayList<>();
        List<ImportedRule> cidrs = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).cidr() != null) {
                slots.add(i);
                cidrs.add(rules.get(i));
            }
        }
        cidrs.sort(Comparator.comparingInt((ImportedRule r) -> r.cidr().length()).reversed());
        for (int i = 0; i < slots.size(); i++) {
            rules.set(slots.get(i), cidrs.get(i));
        }
    }

    private void ndpi(String line, SourceLocation at) {
        int atSign = line.lastIndexOf('@');
        if (atSign < 0) {
            skip(at, "'" + line + "' has no '@Protocol' (expected: items@Proto, like host:\"example.com\"@Example)");
            return;
        }
        String proto = line.substring(atSign + 1).strip();
        int eq = proto.indexOf('=');
        String cls = className(eq < 0 ? proto : proto.substring(0, eq).strip(), at);
        if (cls == null) {
            return;
        }
        List<int[]> tcp = new ArrayList<>();
        for (String raw : line.substring(0, atSign).split(",")) {
            String item = raw.strip();
            int colon = item.indexOf(':');
            String kind = colon < 0 ? item : item.substring(0, colon);
            String value = colon < 0 ? "" : item.substring(colon + 1).strip();
            switch (kind) {
                case "host" -> ndpiHost(value, cls, at);
                case "ip" -> ndpiIp(value, cls, at, false);
                case "ipv6" -> ndpiIp(value, cls, at, true);
                case "tcp" -> {
                    try {
                        tcp.add(PortSet.parseElement(value));
                    } catch (IllegalArgumentException e) {
                        skip(at, "tcp item '" + item + "': " + e.getMessage());
                    }
                }
                case "udp" -> skip(at, "udp item '" + item + "': opgate classifies TCP flows only");
                default -> skip(at, "unknown item '" + item + "' (expected: host:\"name\", ip:CIDR[:port],"
                        + " ipv6:[CIDR][:port] or tcp:ports)");
            }
        }
        if (!tcp.isEmpty()) {
            rules.add(new ImportedRule(cls, null, null, PortSet.of(tcp), at));
        }
    }

    private void ndpiHost(String value, String cls, SourceLocation at) {
        if (value.length() < 2 || !value.startsWith("\"") || !value.endsWith("\"")) {
            skip(at, "host '" + value + "' is not quoted (expected: host:\"example.com\")");
            return;
        }
        String name = value.substring(1, value.length() - 1);
        if (name.startsWith("*.") && !REGEX_CHARS.matcher(name.substring(2)).find()) {
            // nDPI's own example protos.txt has such a line; its automaton has no wildcard.
            skip(at, "host \"" + name + "\" starts with '*', which nDPI compares as a literal character (expected:"
                    + " host:\"" + name.substring(2) + "\", which covers the name and every name below it)");
            return;
        }
        if (REGEX_CHARS.matcher(name).find()) {
            skip(at, "host \"" + name + "\" is a regular expression (expected: a plain name; opgate matches"
                    + " names and *.suffix only)");
            return;
        }
        host(suffix(name), cls, null, at);
    }

    private void ndpiIp(String value, String cls, SourceLocation at, boolean v6) {
        String cidr = value;
        String port = null;
        if (v6 && value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                skip(at, "ipv6 '" + value + "' has no closing ']' (expected: ipv6:[2001:db8::/32]:443)");
                return;
            }
            cidr = value.substring(1, close);
            String rest = value.substring(close + 1);
            port = rest.startsWith(":") ? rest.substring(1) : rest.isEmpty() ? null : rest;
        } else if (!v6) {
            int colon = value.indexOf(':');
            if (colon >= 0) {
                cidr = value.substring(0, colon);
                port = value.substring(colon + 1);
            }
        }
        PortSet ports = null;
        if (port != null) {
            if (!port.matches("[0-9]{1,5}")) {
                skip(at, "ip '" + value + "': port '" + port + "' is not a single port (nDPI ip entries take one"
                        + " port; write the ranges as tcp: entries of their own)");
                return;
            }
            try {
                ports = PortSet.of(List.of(PortSet.parseElement(port)));
            } catch (IllegalArgumentException e) {
                skip(at, "ip '" + value + "': " + e.getMessage());
                return;
            }
        }
        IpPrefix prefix = prefix(cidr, at);
        if (prefix != null) {
            rules.add(new ImportedRule(cls, null, prefix, ports, at));
        }
    }

    private void squid(String line, SourceLocation at) {
        // A word that starts with '#' begins a comment (Squid reads "http_access allow foo # note"
        // as "http_access allow foo"), never a value.
        String[] tokens = line.replaceFirst("\\s#.*$", "").strip().split("\\s+");
        if (!tokens[0].equals("acl")) {
            // A list file holds one value per line (Squid reads the first word); more words are a
            // squid.conf directive such as "http_access deny bb", whose words are not names.
            String[] words = tokens;
            if (words.length > 1) {
                skip(at, "'" + line + "' is not one domain or address (expected: one value per line, or an acl"
                        + " NAME dstdomain|dst line; other squid.conf directives are not imported)");
                return;
            }
            squidEntry(looksLikeAddress(words[0]) ? "dst" : "dstdomain", words[0], at);
            return;
        }
        if (tokens.length < 4) {
            skip(at, "acl line '" + line + "' is incomplete (expected: acl NAME dstdomain|dst VALUE…)");
            return;
        }
        String type = tokens[2];
        if (!type.equals("dstdomain") && !type.equals("dst")) {
            skip(at, "acl type '" + type + "' " + (type.endsWith("regex")
                    ? "is a regular expression (expected: dstdomain or dst; opgate matches names and *.suffix only)"
                    : "is not a destination name or address (expected: dstdomain or dst)"));
            return;
        }
        for (int i = 3; i < tokens.length; i++) {
            if (tokens[i].startsWith("-")) {
                continue;   // -i and -n change case folding and DNS use; opgate already folds case
            }
            squidEntry(type, tokens[i], at);
        }
    }

    private void squidEntry(String type, String entry, SourceLocation at) {
        if (entry.startsWith("\"")) {
            skip(at, "'" + entry + "' includes another file (expected: import that file on its own)");
        } else if (type.equals("dst")) {
            if (entry.indexOf('-') > 0) {
                skip(at, "dst '" + entry + "' is an address range (expected: CIDR blocks; split the range)");
                return;
            }
            if (!looksLikeAddress(entry)) {
                skip(at, "dst '" + entry + "' is a host name Squid resolves at start-up (expected: an address;"
                        + " use dstdomain for names)");
                return;
            }
            IpPrefix p = prefix(netmaskToLength(entry), at);
            if (p != null) {
                rules.add(new ImportedRule(classOverride, null, p, null, at));
            }
        } else {
            host(entry.startsWith(".") ? "*" + entry : entry, classOverride, null, at);
        }
    }

    private void haproxyMap(String line, SourceLocation at) {
        String[] kv = line.split("\\s+", 2);
        if (kv.length < 2) {
            skip(at, "'" + line + "' has no value (expected: key value, like example.com BES)");
            return;
        }
        String cls = className(kv[1].strip(), at);
        if (cls == null) {
            return;
        }
        String key = kv[0];
        if (looksLikeAddress(key)) {
            IpPrefix p = prefix(key, at);
            if (p != null) {
                rules.add(new ImportedRule(cls, null, p, null, at));
            }
        } else if (REGEX_CHARS.matcher(key).find()) {
            skip(at, "key '" + key + "' holds pattern characters (expected: a domain; HAProxy map keys are"
                    + " literal, and map_reg is not imported)");
        } else {
            host(suffix(key), cls, null, at);
        }
    }

    private static String suffix(String name) {
        return "*." + (name.startsWith(".") ? name.substring(1) : name);
    }

    private void host(String pattern, String cls, PortSet ports, SourceLocation at) {
        try {
            rules.add(new ImportedRule(cls, HostPattern.parse(pattern), null, ports, at));
        } catch (IllegalArgumentException e) {
            skip(at, "host " + e.getMessage());
        }
    }

    private IpPrefix prefix(String text, SourceLocation at) {
        try {
            return IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            skip(at, "cidr " + e.getMessage());
            return null;
        }
    }

    /** The class for a line: the override, else {@code raw} normalised, else null after a note. */
    private String className(String raw, SourceLocation at) {
        if (classOverride != null) {
            return classOverride;
        }
        String name = raw.replaceAll("[^A-Za-z0-9_-]", "_");
        if (!CLASS_NAME.matcher(name).matches() || name.equals("OTHER")) {
            skip(at, "protocol '" + raw + "' does not make a class name (expected: a letter, then letters, digits,"
                    + " '_' or '-', at most 32, not OTHER; or give --class)");
            return null;
        }
        return name;
    }

    private static boolean looksLikeAddress(String s) {
        String addr = s.indexOf('/') < 0 ? s : s.substring(0, s.indexOf('/'));
        return IpAddress.isLiteral(addr) || addr.matches("[0-9.]+-[0-9.]+") || addr.contains(":");
    }

    /** {@code 10.0.0.0/255.0.0.0} as {@code 10.0.0.0/8}; anything else unchanged (a bad mask stays bad). */
    private static String netmaskToLength(String s) {
        var m = NETMASK.matcher(s);
        if (!m.matches() || IpAddress.tryParse(m.group(2)) == null) {
            return s;
        }
        long mask = IpAddress.parse(m.group(2)).lo() & 0xFFFF_FFFFL;
        int len = Long.bitCount(mask);
        long contiguous = len == 0 ? 0 : (0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL;
        return mask == contiguous ? m.group(1) + "/" + len : s;
    }

    private void skip(SourceLocation at, String what) {
        notes.add(new Note(at, what));
    }
}
