package org.opgate.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The load generator's command line: {@code run} drives one workload against one proxy,
 * {@code serve} runs the upstream echo/sink server, {@code free-ports} prints free loopback ports.
 * The bench/load, bench/compare, bench/idle and bench/soak scripts call these.
 */
@Command(name = "load", mixinStandardHelpOptions = true, subcommands = {Load.Run.class, Load.Serve.class, Load.FreePorts.class, Load.Table.class},
        description = "opgate's load generator: tunnel rate, throughput, refusal rate and idle tunnels against any proxy on loopback")
public final class Load {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Load()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    static EventLoopGroup group(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /**
     * A new IPv4 client channel for each tunnel (the sources are 127.10.x.y). TCP_NODELAY is
     * Netty's default. With epoll, IP_BIND_ADDRESS_NO_PORT lets the kernel pick the source port at
     * connect time, unique for the whole address pair, instead of searching for a port free on
     * the source address at bind time. No connect timeout task per tunnel: the generator's sweep
     * times out every tunnel, connecting or not.
     */
    static Supplier<Channel> clientChannels() {
        WriteBufferWaterMark marks = new WriteBufferWaterMark(256 * 1024, 512 * 1024);
        if (Epoll.isAvailable()) {
            return () -> {
                Channel ch = new EpollSocketChannel(SocketProtocolFamily.INET);
                ch.config().setOption(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
                ch.config().setConnectTimeoutMillis(0);
                ch.config().setWriteBufferWaterMark(marks);
                return ch;
            };
        }
        return () -> {
            Channel ch = new NioSocketChannel();
            ch.config().setOption(ChannelOption.SO_REUSEADDR, true);
            ch.config().setConnectTimeoutMillis(0);
            ch.config().setWriteBufferWaterMark(marks);
            return ch;
        };
    }

    static ChannelFactory<ServerChannel> serverChannels() {
        return Epoll.isAvailable() ? () -> new EpollServerSocketChannel(SocketProtocolFamily.INET)
                : NioServerSocketChannel::new;
    }

    static long millis(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Long.parseLong(t.substring(0, t.length() - 2));
        }
        if (t.endsWith("s")) {
            return (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000);
        }
        if (t.endsWith("m")) {
            return (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000);
        }
        return Duration.parse(text).toMillis();
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Drive one workload against one proxy for a fixed time")
    static final class Run implements Callable<Integer> {
        @Option(names = "--target", description = "name in the report (opgate-sni, haproxy, …)", defaultValue = "proxy")
        String target;
        @Option(names = "--protocol", required = true, description = "direct, sni, connect or socks5")
        Protocol protocol;
        @Option(names = "--workload", required = true, description = "rate, throughput, refusal, idle or mix")
        LoadGenerator.Workload workload;
        @Option(names = "--proxy", required = true, description = "proxy address host:port (loopback); for direct: the upstream")
        String proxy;
        @Option(names = "--upstream-port", required = true, description = "port of the upstream echo/sink server on 127.0.0.1")
        int upstreamPort;
        @Option(names = "--concurrency", defaultValue = "64", description = "connections at once (rate, refusal); handshakes at once (idle)")
        int concurrency;
        @Option(names = "--streams", defaultValue = "4", description = "tunnels of the throughput workload")
        int streams;
        @Option(names = "--idle", defaultValue = "10000", description = "tunnels of the idle workload")
        int idle;
        @Option(names = "--warmup", defaultValue = "3s", description = "not counted (JIT, caches)")
        String warmup;
        @Option(names = "--duration", defaultValue = "10s", description = "measured time; idle: how long the tunnels are held")
        String duration;
        @Option(names = "--timeout", defaultValue = "10s", description = "a tunnel not done by then is an error")
        String timeout;
        @Option(names = "--allowed-sni", defaultValue = "echo.bench.test")
        String allowedSni;
        @Option(names = "--sink-sni", defaultValue = "sink.bench.test")
        String sinkSni;
        @Option(names = "--blocked-host", defaultValue = "gb.srp.blackberry.com", description = "BES: refused by every proxy's rule")
        String blockedHost;
        @Option(names = "--blocked-port", defaultValue = "3101")
        int blockedPort;
        @Option(names = "--payload", defaultValue = "1024", description = "bytes echoed after the ClientHello")
        int payload;
        @Option(names = "--sources", defaultValue = "2000", description = "client source addresses 127.10.x.y (spread TIME_WAIT)")
        int sources;
        @Option(names = "--pid", split = ",", description = "the proxy's process ids, for its CPU and RSS")
        List<Long> pids = new ArrayList<>();
        @Option(names = "--serve-upstream", description = "also serve the upstream echo/sink on 127.0.0.1:<upstream-port>, on the generator's own event loop")
        boolean serveUpstream;
        @Option(names = "--load-pid", split = ",", description = "more load-side processes (an external upstream server), counted with the generator's CPU")
        List<Long> loadPids = new ArrayList<>();
        @Option(names = "--json", description = "write the report here too")
        Path json;
        @Option(names = "--rate", defaultValue = "0", description = "mix: tunnels launched a second (open loop, at most --concurrency open)")
        double rate;
        @Option(names = "--mix", split = ",", description = "mix: protocol=host:port of each listener used in turn, e.g. sni=127.0.0.1:8443,connect=127.0.0.1:3128")
        List<String> mix = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            List<Protocol> mixProtocols = new ArrayList<>();
            List<java.net.InetSocketAddress> mixProxies = new ArrayList<>();
            for (String m : mix) {
                int eq = m.indexOf('=');
                mixProtocols.add(Protocol.valueOf(m.substring(0, eq).toUpperCase(Locale.ROOT)));
                mixProxies.add(Targets.loopback(m.substring(eq + 1)));
            }
            if (protocol == Protocol.DIRECT && workload == LoadGenerator.Workload.REFUSAL) {
                throw new CommandLine.ParameterException(new CommandLine(this), "direct has nothing that refuses");
            }
            LoadGenerator.Spec spec = new LoadGenerator.Spec(target, protocol, workload, Targets.loopback(proxy), upstreamPort,
                    allowedSni, sinkSni, blockedHost, blockedPort, concurrency, streams, idle, millis(warmup), millis(duration),
                    millis(timeout), payload, sources, new ProcStats(pids), new ProcStats(loadSide()), rate, mixProtocols, mixProxies);
            EventLoopGroup group = group(1);
            if (serveUpstream) {
                UpstreamServer.start(group, serverChannels(), new java.net.InetSocketAddress(
                        java.net.InetAddress.getLoopbackAddress(), upstreamPort));
            }
            Report report = new LoadGenerator(spec, group, clientChannels()).run();
            System.out.println(report.line());
            if (json != null) {
                ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                Path parent = json.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                mapper.writeValue(json.toFile(), report);
            }
            return report.errors() == 0 ? 0 : 1;
        }

        private List<Long> loadSide() {
            List<Long> all = new ArrayList<>(loadPids);
            all.add(ProcessHandle.current().pid());
            return all;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the upstream echo/sink server until killed")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--bind", defaultValue = "127.0.0.1:0", description = "loopback host:port")
        String bind;
        @Option(names = "--threads", defaultValue = "1")
        int threads;

        @Override
        public Integer call() throws Exception {
            EventLoopGroup group = group(threads);
            Channel server = UpstreamServer.start(group, serverChannels(), Targets.loopback(bind));
            System.out.println("upstream " + server.localAddress() + " ready");
            System.out.flush();
            server.closeFuture().sync();
            return 0;
        }
    }

    @Command(name = "table", mixinStandardHelpOptions = true,
            description = "Markdown table of opgate against the peers, and the targets as ratios, from run reports")
    static final class Table implements Callable<Integer> {
        @CommandLine.Parameters(description = "report files, or directories of them (in name order)")
        List<Path> reports;
        @Option(names = "--about", description = "key=value written at the top of the JSON (date, commit, machine)")
        java.util.Map<String, String> about = new java.util.LinkedHashMap<>();
        @Option(names = "--json", description = "write every run and the targets here")
        Path json;

        @Override
        public Integer call() throws IOException {
            System.out.print(Comparison.build(Comparison.list(reports), about, json));
            return 0;
        }
    }

    @Command(name = "free-ports", mixinStandardHelpOptions = true, description = "Print N free TCP ports on 127.0.0.1")
    static final class FreePorts implements Callable<Integer> {
        @CommandLine.Parameters(defaultValue = "1")
        int count;

        @Override
        public Integer call() throws IOException {
            List<ServerSocket> held = new ArrayList<>();
            try {
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < count; i++) {
                    ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                    held.add(s);
                    out.append(i == 0 ? "" : " ").append(s.getLocalPort());
                }
                System.out.println(out);
            } finally {
                for (ServerSocket s : held) {
                    s.close();
                }
            }
            return 0;
        }
    }
}
