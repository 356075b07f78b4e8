package org.opgate.replay;

import java.util.List;

/**
 * What {@link CaptureAnalyzer} read from one capture file.
 *
 * @param name       the capture as the user named it
 * @param packets    packets read
 * @param flows      TCP flows, by first packet
 * @param dnsAnswers DNS address answers read
 * @param skipped    packets that gave nothing, one line per reason: count, reason, first packet number
 * @param error      why reading stopped early (naming the packet or block), or null when the whole file was read
 */
public record Capture(String name, int packets, List<CapturedFlow> flows, int dnsAnswers, List<String> skipped,
                     String error) {

    public Capture {
        flows = List.copyOf(flows);
        skipped = List.copyOf(skipped);
    }

    public boolean complete() {
        return error == null;
    }
}
