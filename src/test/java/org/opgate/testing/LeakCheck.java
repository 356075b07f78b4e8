package org.opgate.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class whose code leaked a Netty buffer. Registered for every test class (see
 * META-INF/services and junit-platform.properties); tests run with the leak detector at PARANOID.
 * Leaks are found when the garbage collector reclaims an unreleased buffer, so after each class
 * this collects garbage and allocates a few buffers to let the detector report.
 */
public final class LeakCheck implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
            for (int j = 0; j < 64; j++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(8);
                a.release();
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.buffer(8);
                b.release();
            }
        }
        List<String> leaks = LeakLogAppender.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) reported during "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }
}
