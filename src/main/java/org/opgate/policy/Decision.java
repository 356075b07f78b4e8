package org.opgate.policy;

import java.time.Instant;
import java.util.List;
import org.opgate.classify.Classification;

/**
 * What the gateway does with one flow and why.
 *
 * @param verdict        the enforced verdict
 * @param wouldBe        the verdict if shadow policies were enforced too (equals {@code verdict}
 *                       when there are none)
 * @param classification the flow's class and rule
 * @param decisive       the enforced policy that gave the verdict, or null if none applied
 * @param applied        every enforced policy in force for the flow, in config order
 * @param shadow         every shadow policy in force for the flow, in config order
 * @param reason         text for the affected subscriber
 */
public record Decision(Verdict verdict, Verdict wouldBe, Classification classification, AppliedPolicy decisive,
                       List<AppliedPolicy> applied, List<AppliedPolicy> shadow, String reason) {

    public Decision {
        applied = List.copyOf(applied);
        shadow = List.copyOf(shadow);
    }

    /** A refusal made before any policy: for example, the operator could not be determined. */
    public static Decision refused(Classification classification, String reason) {
        return new Decision(Verdict.BLOCK, Verdict.BLOCK, classification, null, List.of(), List.of(), reason);
    }

    public String policyId() {
        return decisive == null ? null : decisive.policy().id();
    }

    public Phase phase() {
        return decisive == null ? null : decisive.phase();
    }

    public Instant phaseStart() {
        return decisive == null ? null : decisive.phase().start();
    }

    public Instant phaseEnd() {
        return decisive == null ? null : decisive.end();
    }

    /** True if a shadow policy would have changed the verdict. */
    public boolean shadowDiffers() {
        return wouldBe != verdict;
    }
}
