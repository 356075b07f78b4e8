package org.opgate.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The client side of RFC 1928 / RFC 1929, byte by byte, for raw-socket tests of the socks5 listener. */
public final class Socks5Client {

    public static final int NO_AUTH = 0x00;
    public static final int PASSWORD = 0x02;
    public static final int CMD_CONNECT = 0x01;
    public static final int CMD_BIND = 0x02;
    public static final int CMD_UDP_ASSOCIATE = 0x03;
    public static final int ATYP_IPV4 = 0x01;
    public static final int ATYP_DOMAIN = 0x03;
    public static final int ATYP_IPV6 = 0x04;

    /** A command reply: REP and the bound address it names. */
    public record Reply(int status, int addressType, byte[] address, int port) {
    }

    private Socks5Client() {
    }

    /** Sends a version-5 greeting offering {@code methods}; returns the method the server chose (0xFF: none). */
    public static int greet(Socket s, int... methods) throws IOException {
        byte[] b = new byte[2 + methods.length];
        b[0] = 5;
        b[1] = (byte) methods.length;
        for (int i = 0; i < methods.length; i++) {
            b[2 + i] = (byte) methods[i];
        }
        Wire.send(s, b);
        DataInputStream in = new DataInputStream(s.getInputStream());
        int version = in.readUnsignedByte();
        if (version != 5) {
            throw new AssertionError("method selection reply of version " + version);
        }
        return in.readUnsignedByte();
    }

    /** RFC 1929 sub-negotiation; returns the status (0 = success). */
    public static int authenticate(Socket s, String user, String password) throws IOException {
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        byte[] p = password.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(3 + u.length + p.length);
        b.put((byte) 1).put((byte) u.length).put(u).put((byte) p.length).put(p);
        Wire.send(s, b.array());
        DataInputStream in = new DataInputStream(s.getInputStream());
        in.readUnsignedByte();
        return in.readUnsignedByte();
    }

    /** Sends a request for a domain name and reads the reply. */
    public static Reply request(Socket s, int command, String host, int port) throws IOException {
        byte[] name = host.getBytes(StandardCharsets.US_ASCII);
        byte[] addr = new byte[1 + name.length];
        addr[0] = (byte) name.length;
        System.arraycopy(name, 0, addr, 1, name.length);
        return request(s, command, ATYP_DOMAIN, addr, port);
    }

    /** Sends a request for an address and reads the reply. */
    public static Reply request(Socket s, int command, InetAddress address, int port) throws IOException {
        byte[] a = address.getAddress();
        return request(s, command, a.length == 4 ? ATYP_IPV4 : ATYP_IPV6, a, port);
    }

    private static Reply request(Socket s, int command, int type, byte[] address, int port) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(6 + address.length);
        b.put((byte) 5).put((byte) command).put((byte) 0).put((byte) type).put(address).putShort((short) port);
        Wire.send(s, b.array());
        return readReply(s.getInputStream());
    }

    public static Reply readReply(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        int version = in.readUnsignedByte();
        if (version != 5) {
            throw new AssertionError("command reply of version " + version);
        }
        int status = in.readUnsignedByte();
        in.readUnsignedByte();
        int type = in.readUnsignedByte();
        byte[] addr = switch (type) {
            case ATYP_IPV4 -> in.readNBytes(4);
            case ATYP_IPV6 -> in.readNBytes(16);
            case ATYP_DOMAIN -> in.readNBytes(in.readUnsignedByte());
            default -> throw new AssertionError("reply address type " + type);
        };
        return new Reply(status, type, addr, in.readUnsignedShort());
    }

    /** A no-auth CONNECT tunnel to {@code host:port} through {@code proxy}, or an AssertionError. */
    public static Socket tunnel(InetSocketAddress proxy, String host, int port) throws IOException {
        Socket s = Wire.connect(proxy);
        if (greet(s, NO_AUTH) != NO_AUTH) {
            s.close();
            throw new AssertionError("no-auth not accepted");
        }
        Reply r = request(s, CMD_CONNECT, host, port);
        if (r.status() != 0) {
            s.close();
            throw new AssertionError("CONNECT " + host + ":" + port + " got reply " + r.status());
        }
        return s;
    }
}
