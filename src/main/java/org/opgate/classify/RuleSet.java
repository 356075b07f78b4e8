package org.opgate.classify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.opgate.flow.IpPrefix;
import org.opgate.source.SourceLocation;

/**
 * The traffic classes and their endpoint rules, in first-match order. Immutable; build one with
 * {@link #builder()}, which numbers rules in the order they are added.
 *
 * @param classes the classes, in order of first declaration
 * @param rules   all rules in first-match order; {@code rules.get(i).position() == i}
 */
public record RuleSet(List<TrafficClass> classes, List<EndpointRule> rules) {

    public RuleSet {
        classes = List.copyOf(classes);
        rules = List.copyOf(rules);
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).position() != i) {
                throw new IllegalArgumentException("rule '" + rules.get(i).id() + "' has position "
                        + rules.get(i).position() + " (expected: " + i + ")");
            }
        }
    }

    public static final RuleSet EMPTY = new RuleSet(List.of(), List.of());

    public static Builder builder() {
        return new Builder();
    }

    public TrafficClass trafficClass(String name) {
        for (TrafficClass c : classes) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    public boolean hasClass(String name) {
        return Classification.OTHER_CLASS.equals(name) || trafficClass(name) != null;
    }

    /** The rules of one class, in first-match order. */
    public List<EndpointRule> rulesOf(String className) {
        return rules.stream().filter(r -> r.trafficClass().equals(className)).toList();
    }

    /** Collects classes and rules; rejects duplicates with the location of the first. */
    public static final class Builder {
        private final Map<String, TrafficClass> classes = new LinkedHashMap<>();
        private final Map<String, Integer> perClassCount = new HashMap<>();
        private final Map<String, EndpointRule> byId = new HashMap<>();
        private final List<EndpointRule> rules = new ArrayList<>();

        private Builder() {
        }

        /**
         * Declares a class, or returns without change if it is already declared (a later block
         * adding rules). A second non-empty description is refused.
         */
        public Builder trafficClass(String name, String description, SourceLocation location) {
            Objects.requireNonNull(name, "name");
            if (Classification.OTHER_CLASS.equals(name)) {
                throw new IllegalArgumentException("class name 'OTHER' is reserved for traffic no rule matches"
                        + " (expected: another name)");
            }
            TrafficClass existing = classes.get(name);
            if (existing == null) {
                classes.put(name, new TrafficClass(name, description, location));
            } else if (description != null && !description.isEmpty()) {
                if (!existing.description().isEmpty()) {
                    throw new IllegalArgumentException("class '" + name + "' already has a description at "
                            + existing.location() + " (expected: one description per class)");
                }
                classes.put(name, new TrafficClass(name, description, existing.location()));
            }
            return this;
        }

        public boolean hasClass(String name) {
            return classes.containsKey(name);
        }

        /**
         * The id a rule without one gets: {@code BES-3} for the third rule of BES, or the next
         * number not already taken by an explicit id.
         */
        public String nextDefaultId(String className) {
            int n = perClassCount.getOrDefault(className, 0) + 1;
            while (byId.containsKey(className + "-" + n)) {
                n++;
            }
            return className + "-" + n;
        }

        /**
         * Appends a rule to the given (declared) class.
         *
         * @param id rule id, or null for {@link #nextDefaultId}
         * @throws IllegalArgumentException for an undeclared class, a duplicate id or no fields
         */
        public EndpointRule rule(String className, String id, HostPattern host, HostPattern sni, IpPrefix cidr,
                                 PortSet ports, SourceLocation location) {
            if (!classes.containsKey(className)) {
                throw new IllegalArgumentException("class '" + className + "' is not declared");
            }
            String ruleId = id != null ? id : nextDefaultId(className);
            EndpointRule dup = byId.get(ruleId);
            if (dup != null) {
                throw new IllegalArgumentException("rule id '" + ruleId + "' is already used at "
                        + dup.location() + " (expected: unique rule ids)");
            }
            EndpointRule r = new EndpointRule(ruleId, className, rules.size(), host, sni, cidr, ports, location);
            rules.add(r);
            byId.put(ruleId, r);
            perClassCount.merge(className, 1, Integer::sum);
            return r;
        }

        public RuleSet build() {
            return new RuleSet(new ArrayList<>(classes.values()), rules);
        }
    }
}
