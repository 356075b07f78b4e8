package org.opgate.classify;

import org.opgate.flow.Flow;

/**
 * Flow → {@link Classification}: first match in rule order, {@code OTHER} if none.
 * Implementations are immutable, thread-safe, do no I/O and allocate nothing per call.
 */
@FunctionalInterface
public interface Classifier {

    Classification classify(Flow flow);
}
