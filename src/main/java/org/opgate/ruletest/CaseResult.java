package org.opgate.ruletest;

import java.util.List;
import java.util.Objects;
import org.opgate.classify.Classification;
import org.opgate.policy.Decision;

/**
 * What happened to one case: the classification, the decision for each operator in scope (when
 * the case has an instant), and every expectation that did not hold.
 *
 * @param testCase       the case
 * @param classification the class and winning rule
 * @param decisions      one decision per operator in scope, in config order; empty without {@code at}
 * @param mismatches     expectations that did not hold; empty when the case passed
 */
public record CaseResult(TestCase testCase, Classification classification, List<OperatorDecision> decisions,
                         List<Mismatch> mismatches) {

    public CaseResult {
        Objects.requireNonNull(testCase, "testCase");
        Objects.requireNonNull(classification, "classification");
        decisions = List.copyOf(decisions);
        mismatches = List.copyOf(mismatches);
    }

    public boolean passed() {
        return mismatches.isEmpty();
    }

    /**
     * The decision for one operator.
     *
     * @param operator operator id, or null when the config has no operators
     * @param decision the decision
     */
    public record OperatorDecision(String operator, Decision decision) {
    }

    /**
     * One expectation that did not hold.
     *
     * @param field     {@code class}, {@code rule}, {@code verdict}, {@code policy} or {@code phase}
     * @param expected  the expected value as written
     * @param actual    what happened ({@code none} for no rule or no policy)
     * @param operators the operators it happened for; empty for class and rule (which no operator changes)
     */
    public record Mismatch(String field, String expected, String actual, List<String> operators) {

        public Mismatch {
            operators = List.copyOf(operators);
        }

        /** {@code verdict: expected block, got notify (ufone, zong)}. */
        @Override
        public String toString() {
            return field + ": expected " + expected + ", got " + actual
                    + (operators.isEmpty() ? "" : " (" + String.join(", ", operators) + ")");
        }
    }
}
