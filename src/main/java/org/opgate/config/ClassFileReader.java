package org.opgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opgate.classify.HostPattern;
import org.opgate.classify.PortSet;
import org.opgate.classify.RuleSet;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a {@code classes/*.yaml} file into a {@link RuleSet.Builder}, in file order:
 *
 * <pre>
 * classes:
 *   - name: BES
 *     description: BlackBerry Enterprise Service
 *     rules:
 *       - id: bes-srp
 *         host: "*.srp.blackberry.com"
 *         ports: [3101]
 * </pre>
 */
final class ClassFileReader {

    static final String CLASS_NAME = "[A-Za-z][A-Za-z0-9_-]{0,31}";
    static final String RULE_ID = "[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}";

    private static final Set<String> FILE_KEYS = YamlReader.keys("classes");
    private static final Set<String> CLASS_KEYS = YamlReader.keys("name", "description", "rules");
    private static final Set<String> RULE_KEYS = YamlReader.keys("id", "host", "sni", "cidr", "ports");

    private final YamlReader yaml;
    private final RuleSet.Builder rules;

    ClassFileReader(YamlReader yaml, RuleSet.Builder rules) {
        this.yaml = yaml;
        this.rules = rules;
    }

    void read(Node root) {
        Map<String, Node> top = yaml.mapping(root, "class file", FILE_KEYS);
        if (!yaml.require(top, "classes", root, "class file", "a 'classes' list")) {
            return;
        }
        for (Node c : yaml.sequence(top.get("classes"), "classes", false)) {
            readClass(c);
        }
    }

    private void readClass(Node node) {
        Map<String, Node> m = yaml.mapping(node, "class", CLASS_KEYS);
        if (!yaml.require(m, "name", node, "class", "a class name like BES")) {
            return;
        }
        String name = yaml.identifier(m.get("name"), "class name", CLASS_NAME,
                "a letter, then letters, digits, '_' or '-' (at most 32)");
        if (name == null) {
            return;
        }
        String description = m.containsKey("description") ? yaml.string(m.get("description"), "description") : null;
        try {
            rules.trafficClass(name, description, yaml.at(node));
        } catch (IllegalArgumentException e) {
            yaml.diag().error(yaml.at(m.get("name")), "", e);
            return;
        }
        if (!m.containsKey("rules")) {
            return;
        }
        for (Node r : yaml.sequence(m.get("rules"), "rules of class " + name, false)) {
            readRule(name, r);
        }
    }

    private void readRule(String className, Node node) {
        Map<String, Node> m = yaml.mapping(node, "rule", RULE_KEYS);
        SourceLocation where = yaml.at(node);
        String id = null;
        if (m.containsKey("id")) {
            id = yaml.identifier(m.get("id"), "rule id", RULE_ID,
                    "a letter or digit, then letters, digits, '_', '.', ':' or '-' (at most 64)");
            if (id == null) {
                return;
            }
        }
        String label = "rule '" + (id != null ? id : rules.nextDefaultId(className)) + "': ";
        int errorsBefore = yaml.diag().count();
        HostPattern host = pattern(m.get("host"), "host", label);
        HostPattern sni = pattern(m.get("sni"), "sni", label);
        IpPrefix cidr = null;
        if (m.containsKey("cidr")) {
            String text = yaml.string(m.get("cidr"), "cidr");
            if (text != null) {
                try {
                    cidr = IpPrefix.parse(text);
                } catch (IllegalArgumentException e) {
                    yaml.diag().error(yaml.at(m.get("cidr")), label + "cidr ", e);
                }
            }
        }
        PortSet ports = m.containsKey("ports") ? ports(m.get("ports"), label) : null;
        if (yaml.diag().count() > errorsBefore) {
            return;
        }
        if (host == null && sni == null && cidr == null && ports == null) {
            yaml.diag().error(where, label + "no match fields", "at least one of host, sni, cidr, ports");
            return;
        }
        try {
            rules.rule(className, id, host, sni, cidr, ports, where);
        } catch (IllegalArgumentException e) {
            yaml.diag().error(m.containsKey("id") ? yaml.at(m.get("id")) : where, "", e);
        }
    }

    private HostPattern pattern(Node node, String field, String label) {
        if (node == null) {
            return null;
        }
        String text = yaml.string(node, field);
        if (text == null) {
            return null;
        }
        try {
            return HostPattern.parse(text);
        } catch (IllegalArgumentException e) {
            yaml.diag().error(yaml.at(node), label + field + " ", e);
            return null;
        }
    }

    private PortSet ports(Node node, String label) {
        List<int[]> ranges = new ArrayList<>();
        boolean ok = true;
        for (Node item : yaml.sequence(node, "ports", true)) {
            String text = yaml.string(item, "port");
            if (text == null) {
                ok = false;
                continue;
            }
            try {
                ranges.add(PortSet.parseElement(text));
            } catch (IllegalArgumentException e) {
                yaml.diag().error(yaml.at(item), label, e);
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        if (ranges.isEmpty()) {
            yaml.diag().error(yaml.at(node), label + "empty ports list", "at least one port, or leave 'ports' out");
            return null;
        }
        return PortSet.of(ranges);
    }
}
