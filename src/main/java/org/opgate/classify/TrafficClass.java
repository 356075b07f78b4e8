package org.opgate.classify;

import java.util.Objects;
import org.opgate.source.SourceLocation;

/**
 * A named kind of traffic (BES, BBM, BIS, …). Its rules live in the {@link RuleSet}, in
 * first-match order; a class may be declared in several blocks so that its rules can be
 * interleaved with other classes' rules.
 *
 * @param name        the class name; {@link Classification#OTHER_CLASS} is reserved
 * @param description what the class stands for, shown by {@code explain} and reports
 * @param location    where the class was first declared
 */
public record TrafficClass(String name, String description, SourceLocation location) {

    public TrafficClass {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        description = description == null ? "" : description;
    }
}
