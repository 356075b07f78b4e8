package org.opgate.replay;

/** Unsigned reads from byte arrays in either byte order. */
final class Bytes {

    private Bytes() {
    }

    static int u16(byte[] b, int at, boolean littleEndian) {
        return littleEndian ? (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 : (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    static int u16(byte[] b, int at) {
        return u16(b, at, false);
    }

    static int u32(byte[] b, int at, boolean littleEndian) {
        return littleEndian
                ? (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24
                : (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    static int u32(byte[] b, int at) {
        return u32(b, at, false);
    }

    static long u64(byte[] b, int at) {
        return (u32(b, at) & 0xffffffffL) << 32 | (u32(b, at + 4) & 0xffffffffL);
    }
}
