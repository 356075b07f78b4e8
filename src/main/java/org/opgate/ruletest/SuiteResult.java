package org.opgate.ruletest;

import java.util.List;
import java.util.Objects;

/**
 * The results of one suite, case by case in file order.
 *
 * @param suite the suite
 * @param cases one result per case
 */
public record SuiteResult(TestSuite suite, List<CaseResult> cases) {

    public SuiteResult {
        Objects.requireNonNull(suite, "suite");
        cases = List.copyOf(cases);
    }

    public long passed() {
        return cases.stream().filter(CaseResult::passed).count();
    }

    public long failed() {
        return cases.size() - passed();
    }
}
