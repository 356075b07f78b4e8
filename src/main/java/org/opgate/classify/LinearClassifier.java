package org.opgate.classify;

import java.util.List;
import org.opgate.flow.Flow;

/**
 * The reference classifier: tests every rule in order and returns the first match. Its cost
 * grows with the rule count; it exists to define the semantics that {@link IndexedClassifier}
 * must reproduce, and as the benchmark baseline.
 */
public final class LinearClassifier implements Classifier {

    private final EndpointRule[] rules;
    private final Classification[] results;

    public LinearClassifier(RuleSet ruleSet) {
        List<EndpointRule> list = ruleSet.rules();
        this.rules = list.toArray(new EndpointRule[0]);
        this.results = new Classification[rules.length];
        for (int i = 0; i < rules.length; i++) {
            results[i] = Classification.of(rules[i]);
        }
    }

    @Override
    public Classification classify(Flow flow) {
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].matches(flow)) {
                return results[i];
            }
        }
        return Classification.OTHER;
    }
}
