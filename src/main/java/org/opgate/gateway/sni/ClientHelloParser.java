package org.opgate.gateway.sni;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import org.opgate.flow.HostName;
import org.opgate.gateway.sni.ClientHello.Status;

/**
 * Reads the server name, ALPN protocols and ECH flag from the TLS ClientHello at the start of a
 * connection, without consuming anything: the {@code sni} listener peeks, decides, then relays the
 * very same bytes upstream.
 *
 * <pre>
 * record      type(1)=0x16  version(2)=3.x  length(2)=1..16384  payload
 * handshake   type(1)=1  length(3)  body              (the message may span several records)
 * body        client_version(2) random(32) session_id&lt;0..32&gt; cipher_suites&lt;2..2^16-2&gt;
 *             compression_methods&lt;1..2^8-1&gt; [extensions&lt;0..2^16-1&gt;]
 * extension   type(2) length(2) data      0 server_name, 16 ALPN, 0xfe0d encrypted_client_hello
 * </pre>
 *
 * <p>The caller accumulates bytes and calls {@link #parse} again from the start after each read.
 * This class checks the records and the handshake header; {@link ClientHelloBody} reads the body.
 * {@code NEED_MORE} means everything present so far is consistent: record framing, handshake
 * header, and the body fields and extensions that are complete. The host name itself is checked
 * (printable ASCII, not an address literal, {@link HostName#normalize}) once the whole ClientHello
 * is present. A record after the first may only continue the handshake message, and the
 * ClientHello must end exactly where its last record ends (RFC 8446 §5.1); {@code length} covers
 * that record, so bytes after it (early data, a ChangeCipherSpec) are left for the relay.
 *
 * <p>Stricter than a TLS server only where that removes doubt about the name a flow is classified
 * by: a second {@code host_name} entry (RFC 6066 forbids it) and a repeated server_name, ALPN or
 * ECH extension are MALFORMED. Other extensions are not checked for repetition.
 *
 * <p>Cost: work linear in the bytes present, absolute reads only (indices and content of
 * {@code in} stay as they were), no exception for any byte sequence. Nothing is allocated until
 * the handshake header is known; then one small reader object per call, and for COMPLETE the
 * result's strings (a host name is at most 254 bytes, an ALPN name 255). No allocation is sized
 * by a length field. Thread-safe: the class holds no state.
 */
public final class ClientHelloParser {

    /** Largest record payload a TLS peer may send (TLSPlaintext, RFC 8446 §5.1). */
    public static final int MAX_RECORD_PAYLOAD = 16384;

    static final int RECORD_HEADER = 5;
    static final int HANDSHAKE_HEADER = 4;
    static final ClientHello NEED_MORE = ClientHello.needMore();

    private static final int CONTENT_HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;

    private ClientHelloParser() {
    }

    /**
     * Parses the ClientHello in {@code in} from its reader index to its writer index. Neither
     * index nor any byte changes, and {@code in} is neither retained nor released (the caller
     * keeps ownership).
     *
     * @param maxBytes largest ClientHello accepted, counting record headers; a hello that needs
     *                 more is TOO_LARGE as soon as the length fields say so
     * @return the outcome; never null
     * @throws IllegalArgumentException if {@code maxBytes} is not positive
     */
    public static ClientHello parse(ByteBuf in, int maxBytes) {
        requireNonNull(in, "in");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (end == start) {
            return NEED_MORE;
        }
        int type = in.getUnsignedByte(start);
        if (type != CONTENT_HANDSHAKE) {
            return ClientHello.failed(Status.NOT_TLS, String.format(
                    "first byte 0x%02x is not a TLS handshake record (expected: 0x16)", type));
        }
        if (end - start > 1 && in.getUnsignedByte(start + 1) != 3) {
            return ClientHello.failed(Status.NOT_TLS, "record version " + in.getUnsignedByte(start + 1)
                    + ".x (expected: 3.x)");
        }
        return frame(in, start, end, maxBytes);
    }

    /**
     * Walks the handshake records from {@code start}: checks each header, reads the handshake
     * header (which may itself be split over records), and stops at the record that completes
     * the ClientHello or where the bytes run out. Then hands the body to {@link ClientHelloBody}.
     */
    private static ClientHello frame(ByteBuf in, int start, int end, int maxBytes) {
        int pos = start;
        int records = 0;
        long declared = 0;      // payload bytes announced by the records seen
        int available = 0;      // payload bytes present
        int firstRecordEnd = 0;
        int headerBytes = 0;    // handshake header bytes read so far, and their value
        int header = 0;
        int helloEnd = -1;      // handshake header + body length, once the header is read
        int completeLength = -1;
        while (true) {
            if (records > 0) {
                ClientHello wrong = checkLaterRecordStart(in, pos, end);
                if (wrong != null) {
                    return wrong;
                }
            }
            if (end - pos < RECORD_HEADER) {
                break;
            }
            int len = in.getUnsignedShort(pos + 3);
            if (len == 0) {
                return malformed("empty handshake record (expected: 1 to " + MAX_RECORD_PAYLOAD + " bytes)");
            }
            if (len > MAX_RECORD_PAYLOAD) {
                return malformed("record length " + len + " (expected: at most " + MAX_RECORD_PAYLOAD + ")");
            }
            records++;
            declared += len;
            int payload = pos + RECORD_HEADER;
            int present = Math.min(len, end - payload);
            if (records == 1) {
                firstRecordEnd = (int) Math.min((long) payload + len, Integer.MAX_VALUE);
            }
            for (int i = 0; headerBytes < HANDSHAKE_HEADER && i < present; i++, headerBytes++) {
                int b = in.getUnsignedByte(payload + i);
                if (headerBytes == 0 && b != CLIENT_HELLO) {
                    return malformed("handshake type " + b + " (expected: 1, ClientHello)");
                }
                header = header << 8 | b;
            }
            if (helloEnd < 0 && headerBytes == HANDSHAKE_HEADER) {
                helloEnd = HANDSHAKE_HEADER + (header & 0xFFFFFF);
            }
            available += present;
            if (helloEnd >= 0 && declared > helloEnd) {
                return malformed("handshake records run " + (declared - helloEnd)
                        + " byte(s) past the end of the ClientHello");
            }
            ClientHello tooLarge = checkSize(records, declared, helloEnd, maxBytes);
            if (tooLarge != null) {
                return tooLarge;
            }
            if (present < len) {
                break;
            }
            pos = payload + len;
            if (declared == helloEnd) {
                completeLength = pos - start;
                break;
            }
        }
        ClientHello tooLarge = checkSize(records, declared, helloEnd, maxBytes);
        if (tooLarge != null) {
            return tooLarge;
        }
        if (helloEnd < 0) {
            return NEED_MORE;
        }
        return ClientHelloBody.read(in, start + RECORD_HEADER, firstRecordEnd, helloEnd, available, completeLength);
    }

    /** A record after the first may only continue the handshake message. */
    private static ClientHello checkLaterRecordStart(ByteBuf in, int pos, int end) {
        if (pos < end) {
            int type = in.getUnsignedByte(pos);
            if (type != CONTENT_HANDSHAKE) {
                return malformed("record type " + type + " (" + contentTypeName(type)
                        + ") before the ClientHello was complete (expected: 22, handshake)");
            }
        }
        if (end - pos > 1) {
            int major = in.getUnsignedByte(pos + 1);
            if (major != 3) {
                return malformed("record version " + major + ".x in a later record (expected: 3.x)");
            }
        }
        return null;
    }

    /**
     * TOO_LARGE if the hello cannot fit: the headers of the records seen, their payloads (all of
     * which must belong to the hello), the rest of the hello, and one more record header if the
     * records seen do not cover it.
     */
    private static ClientHello checkSize(int records, long declared, int helloEnd, int maxBytes) {
        long hello = helloEnd >= 0 ? helloEnd : HANDSHAKE_HEADER;
        long need = (long) RECORD_HEADER * records + Math.max(declared, hello) + (declared < hello ? RECORD_HEADER : 0);
        if (need <= maxBytes) {
            return null;
        }
        return ClientHello.failed(Status.TOO_LARGE, "ClientHello needs at least " + need + " bytes (limit: "
                + maxBytes + ")");
    }

    static ClientHello malformed(String error) {
        return ClientHello.failed(Status.MALFORMED, error);
    }

    private static String contentTypeName(int type) {
        return switch (type) {
            case 20 -> "change_cipher_spec";
            case 21 -> "alert";
            case 23 -> "application_data";
            case 24 -> "heartbeat";
            default -> "unknown";
        };
    }
}
