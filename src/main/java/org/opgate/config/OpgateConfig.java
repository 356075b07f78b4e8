package org.opgate.config;

import java.nio.file.Path;
import java.util.List;
import org.opgate.classify.RuleSet;
import org.opgate.policy.Operator;
import org.opgate.policy.Policy;
import org.opgate.policy.PolicyEngine;

/**
 * A whole, validated configuration. Immutable: a reload builds a new one and swaps it in.
 *
 * @param directory   the config directory as the user named it
 * @param version     short hash of every file read, to tell configs apart in logs
 * @param files       every file read, as displayed in messages
 * @param rules       traffic classes and endpoint rules
 * @param policies    dated policies, in declaration order
 * @param operators   operators, in declaration order
 * @param listeners   gateway listeners
 * @param clock       initial gateway clock
 * @param admin       admin API endpoint
 * @param limits      gateway timeouts and limits
 * @param simnet      the simulated network
 * @param decisionLog path of the JSON-lines decision log (relative to the working directory), or null for none
 * @param reportClasses classes whose every flow goes into the authority report (besides {@code report} phases)
 */
public record OpgateConfig(Path directory, String version, List<String> files, RuleSet rules,
                           List<Policy> policies, List<Operator> operators, List<ListenerSpec> listeners, ClockSettings clock,
                           AdminSettings admin, Limits limits, SimnetSettings simnet, String decisionLog,
                           List<String> reportClasses) {

    public OpgateConfig {
        files = List.copyOf(files);
        policies = List.copyOf(policies);
        operators = List.copyOf(operators);
        listeners = List.copyOf(listeners);
        reportClasses = List.copyOf(reportClasses);
    }

    public PolicyEngine policyEngine() {
        return new PolicyEngine(policies);
    }

    public Operator operator(String id) {
        return operators.stream().filter(o -> o.id().equals(id)).findFirst().orElse(null);
    }
}
