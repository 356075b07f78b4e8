package org.opgate.gateway;

import org.opgate.classify.Classifier;
import org.opgate.classify.IndexedClassifier;
import org.opgate.config.OpgateConfig;
import org.opgate.policy.PolicyEngine;
import org.opgate.policy.SubscriberResolver;

/**
 * Everything a decision needs, built once per config and swapped whole on reload, so one flow
 * never sees half of an old config and half of a new one.
 *
 * @param config      the validated config
 * @param classifier  compiled rules
 * @param policies    the policy engine
 * @param subscribers operator and subscriber lookup
 */
public record GatewayRuntime(OpgateConfig config, Classifier classifier, PolicyEngine policies,
                             SubscriberResolver subscribers) {

    public static GatewayRuntime of(OpgateConfig config) {
        return new GatewayRuntime(config, new IndexedClassifier(config.rules()), config.policyEngine(),
                new SubscriberResolver(config.operators()));
    }
}
