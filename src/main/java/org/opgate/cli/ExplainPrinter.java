package org.opgate.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opgate.classify.Classification;
import org.opgate.classify.Explanation;
import org.opgate.classify.FieldCheck;
import org.opgate.classify.RuleSet;
import org.opgate.classify.RuleTrace;
import org.opgate.classify.TrafficClass;
import org.opgate.flow.Flow;
import org.opgate.policy.Decision;

/**
 * The explain output, shared by {@code explain} and by {@code test} (which shows it for each
 * failed case): the flow, its class and winning rule with {@code file:line:column}, each field
 * compared, the near misses, later rules that also match, and the decisions grouped by operator.
 *
 * <pre>
 * flow      host gb.srp.blackberry.com, port 3101
 * class     BES  (BlackBerry Enterprise Service (…))
 * rule      bes-srp-host  config/classes/blackberry.yaml:29:9
 * compared  host  *.srp.blackberry.com  vs host gb.srp.blackberry.com  match
 * at        2015-12-01T00:00+05:00  (2015-11-30T19:00:00Z)
 * decision  BLOCK  for all operators
 * …
 * </pre>
 */
final class ExplainPrinter {

    /** Near misses listed before "… and N more". */
    static final int MAX_NEAR_MISSES = 10;

    private ExplainPrinter() {
    }

    /**
     * Prints the classification and, when {@code at} is given, the decisions.
     *
     * @param atText         the instant as the user wrote it, or null for no decision part
     * @param decisions      the decisions, grouped by outcome
     * @param operatorCount  how many operators the config has, to say "for all operators"
     */
    static void print(PrintWriter out, Explanation ex, RuleSet rules, String atText, Instant at,
                      List<DecisionGroup> decisions, int operatorCount) {
        print(out, ex, rules);
        printDecisions(out, atText, at, decisions, operatorCount);
    }

    /** The instant and the decisions grouped by operator; nothing when {@code at} is null. */
    static void printDecisions(PrintWriter out, String atText, Instant at, List<DecisionGroup> decisions,
                               int operatorCount) {
        if (at != null) {
            out.println("at        " + atText + "  (" + at + ")");
            for (DecisionGroup g : decisions) {
                g.print(out, operatorCount);
            }
        }
    }

    /**
     * A tunnel whose requested host and SNI fall in different classes (domain fronting): the
     * gateway classifies each side on its own and the more restrictive decision stands.
     */
    record Fronting(Flow flow, Classification hostSide, Classification sniSide) {

        void print(PrintWriter out) {
            out.println("fronting  requested host " + flow.target() + " is " + side(hostSide) + ", SNI " + flow.sni()
                    + " is " + side(sniSide) + ": the gateway decides both, the more restrictive decision stands");
        }

        private static String side(Classification c) {
            return c.trafficClass() + (c.rule() == null ? " (no rule)" : " (rule " + c.rule().id() + ")");
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", side(flow.target(), hostSide));
            m.put("sni", side(flow.sni(), sniSide));
            return m;
        }

        private static Map<String, Object> side(String name, Classification c) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("class", c.trafficClass());
            m.put("rule", c.rule() == null ? null : c.rule().id());
            return m;
        }
    }

    static void print(PrintWriter out, Explanation ex, RuleSet rules) {
        Flow f = ex.flow();
        StringBuilder facts = new StringBuilder();
        if (f.host() != null) {
            facts.append("host ").append(f.host()).append(", ");
        }
        if (f.sni() != null) {
            facts.append("sni ").append(f.sni()).append(", ");
        }
        if (f.ip() != null) {
            facts.append("ip ").append(f.ip()).append(", ");
        }
        facts.append("port ").append(f.port());
        out.println("flow      " + facts);
        Classification c = ex.classification();
        TrafficClass tc = rules.trafficClass(c.trafficClass());
        out.println("class     " + c.trafficClass()
                + (tc != null && !tc.description().isEmpty() ? "  (" + tc.description() + ")" : ""));
        if (ex.winner() == null) {
            out.println("rule      none: no rule matched, so the class is OTHER");
        } else {
            out.println("rule      " + ex.winner().rule().id() + "  " + ex.winner().rule().location());
            printChecks(out, "compared  ", ex.winner());
        }
        if (!ex.nearMisses().isEmpty()) {
            out.println("near misses (a name or address matched, another field did not):");
            for (RuleTrace t : ex.nearMisses()) {
                out.println("  " + t.rule().id() + " (" + t.rule().trafficClass() + ")  " + t.rule().location());
                printChecks(out, "    ", t);
            }
            if (ex.moreNearMisses() > 0) {
                out.println("  … and " + ex.moreNearMisses() + " more");
            }
        }
        if (!ex.alsoMatched().isEmpty()) {
            out.println("also matched, but an earlier rule wins (first match):");
            for (RuleTrace t : ex.alsoMatched()) {
                out.println("  " + t.rule().id() + " (" + t.rule().trafficClass() + ")  " + t.rule().location());
            }
        }
    }

    private static void printChecks(PrintWriter out, String firstIndent, RuleTrace t) {
        String indent = firstIndent;
        for (FieldCheck c : t.checks()) {
            out.printf("%s%-5s %-28s vs %-34s %s%n", indent, c.field(), c.rule(), c.value(),
                    c.matched() ? "match" : "NO MATCH");
            indent = " ".repeat(firstIndent.length());
        }
    }

    /** {@code {flow, class, rule, checks[], nearMisses[], moreNearMisses, alsoMatched[]}}. */
    static Map<String, Object> toJson(Explanation ex) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flow", Json.flow(ex.flow()));
        m.put("class", ex.classification().trafficClass());
        m.put("rule", ex.winner() == null ? null : Json.rule(ex.winner().rule()));
        m.put("checks", ex.winner() == null ? List.of() : ex.winner().checks().stream().map(Json::check).toList());
        m.put("nearMisses", ex.nearMisses().stream().map(ExplainPrinter::trace).toList());
        m.put("moreNearMisses", ex.moreNearMisses());
        m.put("alsoMatched", ex.alsoMatched().stream().map(t -> Json.rule(t.rule())).toList());
        return m;
    }

    private static Map<String, Object> trace(RuleTrace t) {
        Map<String, Object> m = Json.rule(t.rule());
        m.put("checks", t.checks().stream().map(Json::check).toList());
        return m;
    }

    /**
     * Groups per-operator decisions with the same outcome (verdict, would-be verdict, reason,
     * policy, and how many policies applied), in the order of their first operator.
     *
     * @param operators one operator id (or null) per decision
     */
    static List<DecisionGroup> group(List<String> operators, List<Decision> decisions) {
        Map<String, DecisionGroup> groups = new LinkedHashMap<>();
        for (int i = 0; i < decisions.size(); i++) {
            Decision d = decisions.get(i);
            String key = d.verdict() + "|" + d.wouldBe() + "|" + d.reason() + "|" + d.policyId() + "|"
                    + d.applied().size() + "|" + d.shadow().size();
            groups.computeIfAbsent(key, k -> new DecisionGroup(d, new ArrayList<>())).operators().add(operators.get(i));
        }
        return new ArrayList<>(groups.values());
    }
}
