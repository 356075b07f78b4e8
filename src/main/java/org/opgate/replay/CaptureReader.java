package org.opgate.replay;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the packets of a pcap or pcapng capture, in file order, and hands each to a consumer.
 *
 * <pre>
 * pcap     header(24): magic a1b2c3d4 (µs) or a1b23c4d (ns), either byte order; version 2.4;
 *          thiszone; sigfigs; snaplen; linktype
 *          record: ts_sec(4) ts_frac(4) caplen(4) origlen(4) data(caplen)
 * pcapng   block: type(4) length(4) body length(4), length a multiple of 4 and at least 12
 *          0x0A0D0D0A Section Header (byte-order magic 1a2b3c4d decides the section's byte order)
 *          1 Interface Description: linktype(2) reserved(2) snaplen(4) options (9 = if_tsresol)
 *          6 Enhanced Packet: interface(4) ts_high(4) ts_low(4) caplen(4) origlen(4) data
 *          3 Simple Packet: origlen(4) data (interface 0, no timestamp)
 *          any other block is skipped
 * </pre>
 *
 * <p>Streams: memory is bounded by the largest packet, not the file. Packets already handed over
 * stay handed over when a later one is broken; the {@link CaptureException} says which packet (and
 * for pcapng which block) and at which byte offset the file stopped making sense. Not thread-safe.
 */
public final class CaptureReader {

    /** Largest captured length accepted for one packet, whatever the snapshot length says. */
    static final int MAX_PACKET = 256 * 1024;

    private static final int PCAP_MICROS = 0xa1b2c3d4;
    private static final int PCAP_NANOS = 0xa1b23c4d;
    private static final int PCAPNG_SHB = 0x0A0D0D0A;
    private static final int PCAPNG_BYTE_ORDER = 0x1A2B3C4D;
    private static final int IDB = 1;
    private static final int SPB = 3;
    private static final int EPB = 6;
    private static final int MAX_BLOCK = 16 * 1024 * 1024;

    private final InputStream in;
    private final Consumer<Packet> sink;
    private long offset;
    private int packets;
    private Instant lastTime;

    private CaptureReader(InputStream in, Consumer<Packet> sink) {
        this.in = in;
        this.sink = sink;
    }

    /**
     * Reads every packet of {@code in} into {@code sink}. Does not close {@code in}.
     *
     * @return how many packets were read
     * @throws CaptureException when the capture is truncated, corrupt or unsupported; the packets
     *                          before the problem have been handed to {@code sink}
     * @throws IOException      when reading fails
     */
    public static int read(InputStream in, Consumer<Packet> sink) throws CaptureException, IOException {
        CaptureReader r = new CaptureReader(in, sink);
        byte[] magic = r.readHeader(4, "the file is empty (expected: a pcap or pcapng capture)",
                "the file is %d bytes long (expected: a pcap or pcapng capture header)");
        int big = Bytes.u32(magic, 0, false);
        if (big == PCAPNG_SHB) {
            r.readPcapng(magic);
        } else if (big == PCAP_MICROS || big == PCAP_NANOS) {
            r.readPcap(false, big == PCAP_NANOS);
        } else {
            int little = Bytes.u32(magic, 0, true);
            if (little == PCAP_MICROS || little == PCAP_NANOS) {
                r.readPcap(true, little == PCAP_NANOS);
            } else {
                throw new CaptureException(String.format("not a capture: the file starts with %02x %02x %02x %02x"
                        + " (expected: a pcap magic a1b2c3d4 or a1b23c4d in either byte order, or the pcapng"
                        + " section header 0a0d0d0a)", magic[0], magic[1], magic[2], magic[3]));
            }
        }
        return r.packets;
    }

    private void readPcap(boolean le, boolean nanos) throws CaptureException, IOException {
        byte[] h = readHeader(20, null, "pcap file header cut short: %d of 24 bytes (expected: a whole header)");
        int major = Bytes.u16(h, 0, le);
        if (major != 2) {
            throw new CaptureException("pcap version " + major + "." + Bytes.u16(h, 2, le)
                    + " (expected: 2.4)");
        }
        long snaplen = Bytes.u32(h, 12, le) & 0xffffffffL;
        int linkType = Bytes.u32(h, 16, le) & 0x0fff_ffff;
        // A snapshot length of 0xffffffff (or any corrupt one) must not let a record ask for gigabytes.
        long limit = Math.min(Math.max(snaplen, MAX_PACKET), MAX_BLOCK);
        while (true) {
            long at = offset;
            int number = packets + 1;
            byte[] rec = readSome(16);
            if (rec.length == 0) {
                return;
            }
            if (rec.length < 16) {
                throw new CaptureException(where(number, -1, at) + "record header cut short: " + rec.length
                        + " of 16 bytes (expected: a whole record; the capture was cut off)");
            }
            long sec = Bytes.u32(rec, 0, le) & 0xffffffffL;
            long frac = Bytes.u32(rec, 4, le) & 0xffffffffL;
            long caplen = Bytes.u32(rec, 8, le) & 0xffffffffL;
            long origlen = Bytes.u32(rec, 12, le) & 0xffffffffL;
            if (frac >= (nanos ? 1_000_000_000L : 1_000_000L)) {
                throw new CaptureException(where(number, -1, at) + "timestamp fraction " + frac + " (expected: below "
                        + (nanos ? "10^9 ns" : "10^6 µs") + "; corrupt record header)");
            }
            if (caplen > limit) {
                throw new CaptureException(where(number, -1, at) + "captured length " + caplen + " (expected: at most "
                        + limit + ", the snapshot length; corrupt record header)");
            }
            byte[] data = readSome((int) caplen);
            if (data.length < caplen) {
                throw new CaptureException(where(number, -1, at) + "packet data cut short: " + data.length + " of "
                        + caplen + " bytes (expected: the whole packet; the capture was cut off)");
            }
            deliver(number, Instant.ofEpochSecond(sec, nanos ? frac : frac * 1000), linkType, data,
                    (int) Math.min(Integer.MAX_VALUE, Math.max(origlen, caplen)));
        }
    }

    /** Per interface of the current section: link type, snapshot length, timestamp resolution. */
    private record Interface(int linkType, long snaplen, int tsresol) {
    }

    private void readPcapng(byte[] firstType) throws CaptureException, IOException {
        boolean le = false;
        List<Interface> interfaces = new ArrayList<>();
        int block = 0;
        byte[] type = firstType;
        while (true) {
            long at = offset;
            block++;
            if (type == null) {
                type = readSome(4);
                if (type.length == 0) {
                    return;
                }
                if (type.length < 4) {
                    throw new CaptureException(where(packets + 1, block, at) + "block type cut short: " + type.length
                            + " of 4 bytes (expected: a whole block; the capture was cut off)");
                }
            }
            byte[] len = readSome(4);
            if (len.length < 4) {
                throw new CaptureException(where(packets + 1, block, at) + "block length cut short"
                        + " (expected: a whole block; the capture was cut off)");
            }
            boolean shb = Bytes.u32(type, 0, false) == PCAPNG_SHB;
            byte[] bom = null;
            if (shb) {
                bom = readSome(4);
                if (bom.length < 4) {
                    throw new CaptureException(where(packets + 1, block, at) + "section header cut short"
                            + " (expected: a whole block; the capture was cut off)");
                }
                if (Bytes.u32(bom, 0, false) == PCAPNG_BYTE_ORDER) {
                    le = false;
                } else if (Bytes.u32(bom, 0, true) == PCAPNG_BYTE_ORDER) {
                    le = true;
                } else {
                    throw new CaptureException(where(packets + 1, block, at) + String.format("section header byte-order"
                            + " magic %02x%02x%02x%02x (expected: 1a2b3c4d in either byte order)",
                            bom[0], bom[1], bom[2], bom[3]));
                }
                interfaces.clear();
            }
            long total = Bytes.u32(len, 0, le) & 0xffffffffL;
            int blockType = Bytes.u32(type, 0, le);
            type = null;
            if (total < 12 || total % 4 != 0 || total > MAX_BLOCK || (shb && total < 28)) {
                throw new CaptureException(where(packets + 1, block, at) + "block length " + total + " (expected: a"
                        + " multiple of 4 from " + (shb ? 28 : 12) + " to " + MAX_BLOCK + "; corrupt block header)");
            }
            int bodyLength = (int) total - 12 - (shb ? 4 : 0);
            byte[] body = readSome(bodyLength);
            byte[] trailer = body.length == bodyLength ? readSome(4) : new byte[0];
            if (body.length < bodyLength || trailer.length < 4) {
                throw new CaptureException(where(packets + 1, block, at) + blockName(blockType) + " cut short: "
                        + (offset - at) + " of " + total + " bytes (expected: the whole block; the capture was cut off)");
            }
            if ((Bytes.u32(trailer, 0, le) & 0xffffffffL) != total) {
                throw new CaptureException(where(packets + 1, block, at) + blockName(blockType) + " ends with length "
                        + (Bytes.u32(trailer, 0, le) & 0xffffffffL) + " (expected: " + total
                        + ", the length at its start; corrupt block)");
            }
            if (shb) {
                int major = Bytes.u16(body, 0, le);
                if (major != 1) {
                    throw new CaptureException(where(packets + 1, block, at) + "pcapng version " + major
                            + " (expected: 1.x)");
                }
            } else if (blockType == IDB) {
                interfaces.add(interfaceOf(body, le, block, at));
            } else if (blockType == EPB) {
                enhanced(body, le, interfaces, block, at);
            } else if (blockType == SPB) {
                simple(body, le, interfaces, block, at);
            }
        }
    }

    private Interface interfaceOf(byte[] body, boolean le, int block, long at) throws CaptureException {
        if (body.length < 8) {
            throw new CaptureException(where(packets + 1, block, at) + "interface description of " + body.length
                    + " bytes (expected: at least 8; corrupt block)");
        }
        int tsresol = 6;
        int pos = 8;
        while (pos + 4 <= body.length) {
            int code = Bytes.u16(body, pos, le);
            int length = Bytes.u16(body, pos + 2, le);
            if (code == 0 || pos + 4 + length > body.length) {
                break;
            }
            if (code == 9 && length >= 1) {
                tsresol = body[pos + 4] & 0xff;
            }
            pos += 4 + ((length + 3) & ~3);
        }
        return new Interface(Bytes.u16(body, 0, le), Bytes.u32(body, 4, le) & 0xffffffffL, tsresol);
    }

    private void enhanced(byte[] body, boolean le, List<Interface> interfaces, int block, long at)
            throws CaptureException {
        int number = packets + 1;
        if (body.length < 20) {
            throw new CaptureException(where(number, block, at) + "enhanced packet block body of " + body.length
                    + " bytes (expected: at least 20; corrupt block)");
        }
        long id = Bytes.u32(body, 0, le) & 0xffffffffL;
        if (id >= interfaces.size()) {
            throw new CaptureException(where(number, block, at) + "interface " + id + " (expected: one of the "
                    + interfaces.size() + " described before it in this section)");
        }
        Interface itf = interfaces.get((int) id);
        long ts = ((Bytes.u32(body, 4, le) & 0xffffffffL) << 32) | (Bytes.u32(body, 8, le) & 0xffffffffL);
        long caplen = Bytes.u32(body, 12, le) & 0xffffffffL;
        long origlen = Bytes.u32(body, 16, le) & 0xffffffffL;
        if (caplen > body.length - 20) {
            throw new CaptureException(where(number, block, at) + "captured length " + caplen + " (expected: at most "
                    + (body.length - 20) + ", what the block holds; corrupt block)");
        }
        byte[] data = new byte[(int) caplen];
        System.arraycopy(body, 20, data, 0, data.length);
        Instant time;
        try {
            time = time(ts, itf.tsresol());
        } catch (java.time.DateTimeException e) {
            throw new CaptureException(where(number, block, at) + "timestamp " + Long.toUnsignedString(ts)
                    + " at resolution " + itf.tsresol() + " lies outside the range of time (expected: a date within"
                    + " a billion years; corrupt block or interface resolution)");
        }
        deliver(number, time, itf.linkType(), data, (int) Math.min(Integer.MAX_VALUE, Math.max(origlen, caplen)));
    }

    private void simple(byte[] body, boolean le, List<Interface> interfaces, int block, long at)
            throws CaptureException {
        int number = packets + 1;
        if (interfaces.isEmpty()) {
            throw new CaptureException(where(number, block, at) + "simple packet block before any interface"
                    + " description (expected: an interface description block first in its section)");
        }
        if (body.length < 4) {
            throw new CaptureException(where(number, block, at) + "simple packet block body of " + body.length
                    + " bytes (expected: at least 4; corrupt block)");
        }
        Interface itf = interfaces.get(0);
        long origlen = Bytes.u32(body, 0, le) & 0xffffffffL;
        long caplen = Math.min(origlen, body.length - 4);
        if (itf.snaplen() > 0) {
            caplen = Math.min(caplen, itf.snaplen());
        }
        byte[] data = new byte[(int) caplen];
        System.arraycopy(body, 4, data, 0, data.length);
        // A simple packet block has no timestamp; the previous packet's time is the best estimate.
        deliver(number, lastTime, itf.linkType(), data, (int) Math.min(Integer.MAX_VALUE, origlen));
    }

    /** A pcapng timestamp in units of 10^-n s (high bit of tsresol clear) or 2^-n s (set). */
    static Instant time(long units, int tsresol) {
        int n = tsresol & 0x7f;
        if ((tsresol & 0x80) == 0) {
            if (n > 18) {
                return Instant.ofEpochSecond(0, 0);
            }
            long scale = 1;
            for (int i = 0; i < n; i++) {
                scale *= 10;
            }
            long sec = Long.divideUnsigned(units, scale);
            long frac = Long.remainderUnsigned(units, scale);
            long nanos = n <= 9 ? frac * (1_000_000_000L / scale) : frac / (scale / 1_000_000_000L);
            return Instant.ofEpochSecond(sec, nanos);
        }
        if (n >= 64) {
            return Instant.ofEpochSecond(0, 0);
        }
        long sec = n == 0 ? units : units >>> n;
        long frac = n == 0 ? 0 : units & ((1L << n) - 1);
        return Instant.ofEpochSecond(sec, (long) (frac / Math.pow(2, n) * 1e9));
    }

    private void deliver(int number, Instant time, int linkType, byte[] data, int length) {
        packets = number;
        if (time != null) {
            lastTime = time;
        }
        sink.accept(new Packet(number, time, linkType, data, length));
    }

    private static String where(int packet, int block, long at) {
        return (block > 0 ? "block " + block + " (packet " + packet + ")" : "packet " + packet) + " at byte " + at + ": ";
    }

    private static String blockName(int type) {
        return switch (type) {
            case IDB -> "interface description block";
            case EPB -> "enhanced packet block";
            case SPB -> "simple packet block";
            default -> String.format("block of type 0x%08x", type);
        };
    }

    private byte[] readHeader(int n, String emptyMessage, String shortMessage) throws CaptureException, IOException {
        long before = offset;
        byte[] b = readSome(n);
        if (b.length == 0 && emptyMessage != null) {
            throw new CaptureException(emptyMessage);
        }
        if (b.length < n) {
            throw new CaptureException(String.format(shortMessage, before + b.length));
        }
        return b;
    }

    /** Up to {@code n} bytes: fewer only at the end of the file. */
    private byte[] readSome(int n) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            int r;
            try {
                r = in.read(b, got, n - got);
            } catch (EOFException e) {
                r = -1;
            }
            if (r < 0) {
                break;
            }
            got += r;
        }
        offset += got;
        if (got < n) {
            byte[] shorter = new byte[got];
            System.arraycopy(b, 0, shorter, 0, got);
            return shorter;
        }
        return b;
    }
}
