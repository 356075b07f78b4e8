# Shared by bench/load, bench/compare, bench/idle and bench/soak: build, ports, pinning, and
# starting/stopping the upstream server and the gateway. Sourced, not run.
# Everything binds 127.0.0.1; every process started here is stopped by its own pid.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
jar="$bench/target/benchmarks.jar"
opgate_jar="$root/target/opgate.jar"

# Cores: the proxy on one, the load (generator and upstream server) on the other.
ncpu="$(nproc)"
LOAD_CPU="${LOAD_CPU:-0}"
PROXY_CPU="${PROXY_CPU:-$(( ncpu > 1 ? 1 : 0 ))}"
# (Background jobs call taskset directly, so that $! is the pid of the program itself.)
pin_load() { taskset -c "$LOAD_CPU" "$@"; }

# The generator's JVM: C1 only (TieredStopAtLevel=1): C2 kept the pinned load core busy compiling
# for tens of seconds, and the generator's time goes to system calls, where C1's code does as
# well; one GC thread; no leak tracking (it records stack traces).
LOAD_JAVA_OPTS="${LOAD_JAVA_OPTS:--XX:+UseSerialGC -Xms256m -Xmx1g -XX:TieredStopAtLevel=1 -Dio.netty.leakDetection.level=disabled}"
OPGATE_BENCH_JAVA_OPTS="${OPGATE_BENCH_JAVA_OPTS:--Xms512m -Xmx512m}"

started_pids=()
workdir=""

# Builds the product jar and the benchmark jar when a source is newer than the benchmark jar.
build_if_needed() {
  if [[ ! -f "$jar" || ! -f "$opgate_jar" || -n "$(find "$root/pom.xml" "$root/src/main" "$bench/pom.xml" "$bench/src" -newer "$jar" -print -quit)" ]]; then
    echo "bench: building the product and the benchmark jar …" >&2
    (cd "$root" && mvn -q -B -DskipTests install && mvn -q -B -f bench/pom.xml package) >&2
  fi
}

# A temporary directory for configs and logs, removed at exit with every process started here.
setup_workdir() {
  workdir="$(mktemp -d /tmp/opgate-bench.XXXXXX)"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
}

cleanup() {
  local pid
  for pid in "${started_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${started_pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  [[ -n "${KEEP_WORKDIR:-}" || -z "$workdir" ]] || rm -rf "$workdir"
}

load_java() { java $LOAD_JAVA_OPTS -cp "$jar" org.opgate.bench.load.Load "$@"; }

free_ports() { load_java free-ports "$1"; }

# Waits until FILE has a line matching REGEX (or the process PID died); TIMEOUT seconds.
wait_for_line() {
  local file="$1" regex="$2" pid="$3" timeout="${4:-60}"
  for _ in $(seq 1 $(( timeout * 10 ))); do
    grep -Eq "$regex" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "bench: process $pid ended; its output:" >&2; cat "$file" >&2; return 1; }
    sleep 0.1
  done
  echo "bench: timed out waiting for '$regex' in $file" >&2
  return 1
}

# Waits until something listens on 127.0.0.1:PORT.
wait_for_port() {
  local port="$1" timeout="${2:-30}"
  for _ in $(seq 1 $(( timeout * 10 ))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench: nothing listens on 127.0.0.1:$port" >&2
  return 1
}

# start_upstream PORT: the echo/sink server as a process of its own, pinned to the load core
# (bench/idle and bench/soak; bench/load and bench/compare run it inside the generator).
start_upstream() {
  local port="$1"
  taskset -c "$LOAD_CPU" java $LOAD_JAVA_OPTS -cp "$jar" org.opgate.bench.load.Load serve --bind "127.0.0.1:$port" >"$workdir/upstream.log" 2>&1 &
  upstream_pid=$!
  started_pids+=("$upstream_pid")
  wait_for_line "$workdir/upstream.log" ' ready$' "$upstream_pid"
}

# render_opgate_config HTTP SOCKS SNI ADMIN UPSTREAM: bench/opgate with the ports filled in.
render_opgate_config() {
  rm -rf "$workdir/opgate"
  cp -r "$bench/opgate" "$workdir/opgate"
  sed -i -e "s/@HTTP@/$1/" -e "s/@SOCKS@/$2/" -e "s/@SNI@/$3/" -e "s/@ADMIN@/$4/" -e "s/@UPSTREAM@/$5/" "$workdir/opgate/opgate.yaml"
}

# start_opgate [JAVA OPTS…]: the gateway on the rendered config, pinned to the proxy core.
start_opgate() {
  local opts="${*:-$OPGATE_BENCH_JAVA_OPTS}"
  taskset -c "$PROXY_CPU" java $opts -jar "$opgate_jar" run "$workdir/opgate" --quiet >"$workdir/opgate.log" 2>&1 &
  opgate_pid=$!
  started_pids+=("$opgate_pid")
  wait_for_line "$workdir/opgate.log" '^clock ' "$opgate_pid"
}

stop_pid() {
  local pid="$1"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# Raises the open-file limit as far as the hard limit allows (10,000 idle tunnels need 20,000+).
raise_nofile() {
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
}
