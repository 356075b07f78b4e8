package org.opgate.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The native epoll transport on Linux when it loads, NIO otherwise; the rest of the gateway
 * uses whichever this picks through the same code path.
 */
public record Transport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel) {

    /** Epoll if available (and not disabled with {@code -Dopgate.transport=nio}), else NIO. */
    public static Transport best() {
        if (!"nio".equals(System.getProperty("opgate.transport")) && Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                    EpollSocketChannel.class);
        }
        return nio();
    }

    public static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    /**
     * Makes the client channels that connect to {@code address}. On epoll an IPv4 target gets an
     * IPv4 socket: Netty's default is a dual-stack IPv6 socket, which costs a system call per
     * socket to set up and takes the kernel's mapped-address path on every connect.
     */
    public ChannelFactory<? extends Channel> socketChannelFor(InetAddress address) {
        if (socketChannel == EpollSocketChannel.class && address instanceof Inet4Address) {
            return EPOLL_V4;
        }
        return new ReflectiveChannelFactory<>(socketChannel);
    }

    /** Makes the listener channel that binds {@code address}: IPv4 for an IPv4 address on epoll, as above. */
    public ChannelFactory<? extends ServerChannel> serverChannelFor(InetAddress address) {
        if (serverChannel == EpollServerSocketChannel.class && address instanceof Inet4Address) {
            return EPOLL_SERVER_V4;
        }
        return new ReflectiveChannelFactory<>(serverChannel);
    }

    private static final ChannelFactory<EpollSocketChannel> EPOLL_V4 =
            () -> new EpollSocketChannel(SocketProtocolFamily.INET);
    private static final ChannelFactory<EpollServerSocketChannel> EPOLL_SERVER_V4 =
            () -> new EpollServerSocketChannel(SocketProtocolFamily.INET);

    public EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new io.netty.util.concurrent.DefaultThreadFactory(name, true),
                ioHandlerFactory);
    }
}
