package org.opgate.bench.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU seconds of the proxy and of the load side between {@link #begin} and {@link #end}, with the
 * wall time between them, and of the generator's event-loop thread alone (the load side less its
 * JIT compiler, GC and other JVM threads). Both are called on the generator's event loop.
 */
final class CpuWindow {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final ProcStats proxy;
    private final ProcStats load;
    private double proxyAtBegin;
    private double proxyWorkAtBegin;
    private double proxyWorkSeconds;
    private double loadAtBegin;
    private long loopAtBegin;
    private long beganNanos = -1;
    private double loopSeconds;
    private double proxySeconds;
    private double loadSeconds;
    private double wallSeconds;

    CpuWindow(ProcStats proxy, ProcStats load) {
        this.proxy = proxy;
        this.load = load;
    }

    void begin() {
        beganNanos = System.nanoTime();
        proxyAtBegin = proxy.cpuSeconds();
        proxyWorkAtBegin = proxy.workCpuSeconds();
        loadAtBegin = load.cpuSeconds();
        loopAtBegin = THREADS.getCurrentThreadCpuTime();
    }

    /** Closes the window; only the first call after {@link #begin} counts. */
    void end() {
        if (beganNanos < 0 || wallSeconds > 0) {
            return;
        }
        proxySeconds = proxy.cpuSeconds() - proxyAtBegin;
        proxyWorkSeconds = proxy.workCpuSeconds() - proxyWorkAtBegin;
        loadSeconds = load.cpuSeconds() - loadAtBegin;
        loopSeconds = (THREADS.getCurrentThreadCpuTime() - loopAtBegin) / 1e9;
        wallSeconds = Math.max(1e-9, (System.nanoTime() - beganNanos) / 1e9);
    }

    double proxySeconds() {
        return proxySeconds;
    }

    /** The proxy's CPU without a JVM's compiler, GC and VM threads (see {@link ProcStats#workCpuSeconds}). */
    double proxyWorkSeconds() {
        return proxyWorkSeconds;
    }

    double loadSeconds() {
        return loadSeconds;
    }

    /** The generator's event-loop thread: its connections (and its upstream server's, if it runs one). */
    double loopSeconds() {
        return loopSeconds;
    }

    /** The proxy's CPU over the window in cores (1.0: one core busy). */
    double proxyCores() {
        return wallSeconds == 0 ? 0 : proxySeconds / wallSeconds;
    }

    double loadCores() {
        return wallSeconds == 0 ? 0 : loadSeconds / wallSeconds;
    }
}
