package org.opgate.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.opgate.policy.AppliedPolicy;
import org.opgate.policy.Decision;
import org.opgate.policy.Phase;
import org.opgate.policy.Reasons;

/** One decision shared by several operators, as {@code explain --at} prints it. */
record DecisionGroup(Decision decision, List<String> operators) {

    void print(PrintWriter out, int operatorCount) {
        Decision d = decision;
        String who = operators.stream().allMatch(Objects::isNull) ? ""
                : operators.size() == operatorCount && operatorCount > 1 ? "  for all operators"
                : "  for " + String.join(", ", operators);
        out.println("decision  " + d.verdict() + who);
        if (d.decisive() != null) {
            AppliedPolicy a = d.decisive();
            Phase ph = a.phase();
            out.println("policy    " + a.policy().id() + ", phase '" + ph.name() + "' (" + ph.action().configName()
                    + (ph.cutExisting() ? ", cut existing" : "") + ")  " + ph.location());
            out.println("phase     from " + Reasons.when(ph.start(), a.policy().zone()) + " (" + ph.start() + ")"
                    + (a.end() == null ? ", no end" : " until " + Reasons.when(a.end(), a.policy().zone())
                    + " (" + a.end() + ")"));
        }
        out.println("reason    " + d.reason());
        if (d.applied().size() > 1) {
            for (AppliedPolicy a : d.applied()) {
                out.println("applied   " + a.policy().id() + ": " + a.verdict().configName() + " (phase '"
                        + a.phase().name() + "')" + (a.exemptReason() == null ? "" : ", " + a.exemptReason()));
            }
        }
        for (AppliedPolicy a : d.shadow()) {
            out.println("shadow    " + a.policy().id() + ": would " + a.verdict().configName() + " (phase '"
                    + a.phase().name() + "')" + (a.exemptReason() == null ? "" : ", " + a.exemptReason()));
        }
        if (d.shadowDiffers()) {
            out.println("would be  " + d.wouldBe() + " if shadow policies were enforced");
        }
    }

    Map<String, Object> toJson() {
        Decision d = decision;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("operators", operators);
        m.put("verdict", d.verdict().configName());
        m.put("wouldBe", d.wouldBe().configName());
        m.put("policy", d.policyId());
        m.put("phase", d.phase() == null ? null : d.phase().name());
        m.put("phaseStart", d.phaseStart() == null ? null : d.phaseStart().toString());
        m.put("phaseEnd", d.phaseEnd() == null ? null : d.phaseEnd().toString());
        m.put("reason", d.reason());
        m.put("applied", d.applied().stream().map(DecisionGroup::applied).toList());
        m.put("shadow", d.shadow().stream().map(DecisionGroup::applied).toList());
        return m;
    }

    private static Map<String, Object> applied(AppliedPolicy a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", a.policy().id());
        m.put("phase", a.phase().name());
        m.put("verdict", a.verdict().configName());
        m.put("exempt", a.exemptReason());
        m.put("location", a.phase().location().toString());
        return m;
    }
}
