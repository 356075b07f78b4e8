package org.opgate.ruletest;

import java.util.List;
import java.util.Objects;
import org.opgate.config.OpgateConfig;

/**
 * A loaded, validated test suite: the config its cases run against, and the cases in file order.
 *
 * @param file       the suite file as displayed in messages
 * @param configName the config as displayed ({@code config}, {@code config/pta-2015-as-happened.yaml})
 * @param config     the loaded config
 * @param cases      the cases, in file order
 */
public record TestSuite(String file, String configName, OpgateConfig config, List<TestCase> cases) {

    public TestSuite {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(config, "config");
        cases = List.copyOf(cases);
    }
}
