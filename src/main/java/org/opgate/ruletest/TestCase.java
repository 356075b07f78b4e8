package org.opgate.ruletest;

import java.util.Objects;
import org.opgate.flow.Flow;
import org.opgate.source.SourceLocation;

/**
 * One case of a test suite: a flow and what should happen to it.
 *
 * @param name     the case's name, unique in its suite
 * @param flow     the flow's facts; its operator is null when the case names none (then every
 *                 operator must satisfy the expectation), its instant null without {@code at}
 * @param atText   the instant as written, or null
 * @param expect   the expectation; may be empty for flows read by {@code diff}
 * @param location where the case was written
 */
public record TestCase(String name, Flow flow, String atText, Expectation expect, SourceLocation location) {

    public TestCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(location, "location");
    }
}
