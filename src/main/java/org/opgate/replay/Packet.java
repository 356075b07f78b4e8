package org.opgate.replay;

import java.time.Instant;

/**
 * One captured frame as the capture file holds it.
 *
 * @param number   1-based position among the packets of the file (what Wireshark calls the frame number)
 * @param time     capture time, or null when the file gives none (a pcapng Simple Packet Block)
 * @param linkType link-layer header type (LINKTYPE_* of the tcpdump.org registry)
 * @param data     the captured bytes (possibly cut at the snapshot length)
 * @param length   the length of the frame on the wire
 */
public record Packet(int number, Instant time, int linkType, byte[] data, int length) {
}
