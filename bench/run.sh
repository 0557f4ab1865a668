#!/usr/bin/env bash
# Throughput benchmark on loopback (issue 8): the same N messages of the same size, with the same
# number of client sessions, go
#   1. from smtp-source straight into smtp-sink (the harness ceiling),
#   2. through Postfix, a private instance relaying to smtp-sink (the yardstick), and
#   3. through this relay, routed to smtp-sink.
# Both relays keep their default durability: Postfix fsyncs each queue file before its 250, the
# relay syncs its queue before its 250. For each case it prints messages/s accepted (smtp-source's
# wall time), delivered end to end (until the sink has every message and the relay's queue is
# empty), the ratio to Postfix, and the relay's peak RSS and CPU seconds. A latency phase times
# end of DATA to the 250 with bench/SmtpLoad.java. Exits 1 if any message is lost.
#
#   bench/run.sh            every case (about 15 minutes on 2 cores)
#   bench/run.sh --smoke    one small case, under a minute (for CI)
#   bench/run.sh --help     options
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

usage() {
  cat <<'EOF'
usage: bench/run.sh [--smoke] [--cases LIST] [--messages N] [--warmup N] [--connection-per-message] [--jfr]
                    [--relay-option K=V]...
                    [--no-postfix] [--keep] [--dir DIR]
  --smoke              one case (4 KiB, 20 sessions, 1 recipient, 300 messages), no latency phase
  --cases LIST         size:sessions:recipients[:messages[:domains]],...  e.g. 4096:20:1:5000,1024:1:10
                       (default: 1 KiB, 4 KiB, 100 KiB x sessions 1, 20 x recipients 1, 10; and
                       4 KiB, 20 sessions, 10 recipients in 10 domains). domains > 1 drives the
                       load with bench/SmtpLoad.java, as smtp-source puts every recipient in one domain
  --messages N         messages per case (default: chosen per case)
  --warmup N           messages through the relay before measuring (default 8000; Postfix 1000)
  --relay-option K=V   one more -o override for the relay (repeatable), e.g.
                       delivery.max-connections-per-destination=20 (Postfix's default concurrency)
  --connection-per-message
                       a new connection for each message (default: smtp-source -d, each
                       session sends its messages over one connection, as in issue 8's figures)
  --jfr                record the relay with Java Flight Recorder and print its top frames
  --no-postfix         skip the Postfix reference (ratios then show "-")
  --no-latency         skip the latency phase
  --keep               keep the scratch directory (logs, queues, recordings)
  --dir DIR            scratch directory (default: a new one under /var/tmp, on disk, not tmpfs)
Environment: MTA_JAVA_OPTS (JVM options of the relay), JAVA_HOME.
EOF
}

no_latency=false relay_options=() warmup_arg="" smoke=false cases_arg="" messages_arg="" reuse=true jfr=false with_postfix=true keep=false dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=true ;;
    --cases) cases_arg="$2"; shift ;;
    --messages) messages_arg="$2"; shift ;;
    --warmup) warmup_arg="$2"; shift ;;
    --relay-option) relay_options+=(-o "$2"); shift ;;
    --connection-per-message) reuse=false ;;
    --jfr) jfr=true ;;
    --no-postfix) with_postfix=false ;;
    --no-latency) no_latency=true ;;
    --keep) keep=true ;;
    --dir) dir="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; usage >&2; exit 64 ;;
  esac
  shift
done

log() { printf 'bench: %s %s\n' "$(date +%T)" "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# What the run needs: Debian's postfix package (smtp-source, smtp-sink and the reference), curl,
# a JDK (packaging/find-java.sh installs one when missing).
install_tools() {
  local missing=()
  command -v smtp-source >/dev/null && command -v smtp-sink >/dev/null && [ -x /usr/sbin/postfix ] || missing+=(postfix)
  command -v curl >/dev/null || missing+=(curl)
  command -v pgrep >/dev/null || missing+=(procps)
  command -v ss >/dev/null || missing+=(iproute2)
  [ ${#missing[@]} -eq 0 ] && return
  [ "$(id -u)" = 0 ] || die "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root"
  if [[ " ${missing[*]} " == *" postfix "* ]] && dpkg -s mta >/dev/null 2>&1; then
    die "the mta package is installed; installing postfix would replace it. Install postfix elsewhere."
  fi
  log "installing ${missing[*]} from Debian"
  # "No configuration": the package sets up no system Postfix and starts none; this run uses its
  # own private instance only.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_tools
. "$root/packaging/find-java.sh"
java="$JAVA_HOME/bin/java"

# ---------------------------------------------------------------------------------------------
# Scratch space on disk (fsync on tmpfs costs nothing and would flatter both relays).
if [ -z "$dir" ]; then dir="$(mktemp -d /var/tmp/mta-bench.XXXXXX)"; else mkdir -p "$dir"; fi
dir="$(cd "$dir" && pwd)"
log "scratch directory $dir"

pids_to_stop=()
postfix_conf=""
cleanup() {
  local pid
  for pid in "${pids_to_stop[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$postfix_conf" ]; then /usr/sbin/postfix -c "$postfix_conf" stop >/dev/null 2>&1 || true; fi
  for pid in "${pids_to_stop[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ! $keep; then rm -rf "$dir"; else log "kept $dir"; fi
}
trap cleanup EXIT

used_ports=""
free_port() { # variable: sets it to a port nobody listens on and this run has not handed out
  local port
  while :; do
    port=$(( 20000 + RANDOM % 12000 ))   # below the ephemeral range (32768-)
    [[ " $used_ports " == *" $port "* ]] && continue
    ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && continue
    used_ports+=" $port"; printf -v "$1" '%s' "$port"; return
  done
}

wait_for_port() { # port seconds
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

now() { date +%s.%N; }
clk_tck=$(getconf CLK_TCK)

# CPU seconds (user + system, and of reaped children) of a process and its living children.
cpu_seconds() { # pid
  local pids="$1" p ticks=0 stat
  pids+=" $(pgrep -P "$1" | tr '\n' ' ')"
  for p in $pids; do
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    stat=${stat##*) }   # fields after the command name, which may hold spaces
    set -- $stat        # $1 is field 3 (state); utime is field 14, so $12
    ticks=$(( ticks + ${12} + ${13} + ${14} + ${15} ))
  done
  awk -v t="$ticks" -v hz="$clk_tck" 'BEGIN { printf "%.2f", t / hz }'
}

# ---------------------------------------------------------------------------------------------
# The sink: a fresh smtp-sink per measurement, its running counter in a file.
free_port sink_port
sink_pid=""
start_sink() {
  sink_out="$dir/sink.out"
  : >"$sink_out"
  # -u: smtp-sink refuses to run as root without it; -m: more sessions than any case opens.
  local as_user=()
  [ "$(id -u)" = 0 ] && as_user=(-u nobody)
  smtp-sink "${as_user[@]}" -c -m 500 "127.0.0.1:$sink_port" 1024 >"$sink_out" 2>"$dir/sink.err" &
  sink_pid=$!
  pids_to_stop+=("$sink_pid")
  wait_for_port "$sink_port" 10 || die "smtp-sink did not start: $(cat "$dir/sink.err")"
}
stop_sink() {
  kill "$sink_pid" 2>/dev/null || true
  wait "$sink_pid" 2>/dev/null || true
}
sink_count() { # messages the sink has received ("." answered)
  local tail
  tail=$(tail -c 200 "$sink_out" | tr '\r' '\n' | grep 'mesg=' | tail -n 1)
  tail=${tail##*mesg=}
  echo "${tail:-0}"
}

# ---------------------------------------------------------------------------------------------
# Postfix: a private instance with its own config_directory and queue_directory under $dir,
# listening on loopback, relaying everything to the sink. Defaults otherwise, so it fsyncs each
# queue file as shipped. The system's Postfix (if any) is not touched.
postfix_port=""
start_postfix() {
  postfix_conf="$dir/postfix/etc"
  local queue="$dir/postfix/queue" data="$dir/postfix/data"
  mkdir -p "$postfix_conf" "$queue" "$data"
  # Postfix's daemons run as mail_owner: they must reach the queue and own data_directory.
  chmod 755 "$dir" "$dir/postfix"
  chown postfix "$data"
  free_port postfix_port
  cat >"$postfix_conf/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $queue
data_directory = $data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix.bench.example
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
relayhost = [127.0.0.1]:$sink_port
smtp_tls_security_level = none
smtpd_tls_security_level = none
maillog_file = $dir/postfix/maillog
EOF
  # Only the services a relay needs; no chroot (the queue is a scratch directory).
  cat >"$postfix_conf/master.cf" <<EOF
127.0.0.1:$postfix_port inet n - n - - smtpd
pickup    unix  n  -  n  60  1  pickup
cleanup   unix  n  -  n  -   0  cleanup
qmgr      unix  n  -  n  300 1  qmgr
rewrite   unix  -  -  n  -   -  trivial-rewrite
bounce    unix  -  -  n  -   0  bounce
defer     unix  -  -  n  -   0  bounce
trace     unix  -  -  n  -   0  bounce
verify    unix  -  -  n  -   1  verify
flush     unix  n  -  n  1000? 0 flush
proxymap  unix  -  -  n  -   -  proxymap
smtp      unix  -  -  n  -   -  smtp
relay     unix  -  -  n  -   -  smtp
showq     unix  n  -  n  -   -  showq
error     unix  -  -  n  -   -  error
retry     unix  -  -  n  -   -  error
discard   unix  -  -  n  -   -  discard
anvil     unix  -  -  n  -   1  anvil
scache    unix  -  -  n  -   1  scache
postlog   unix-dgram n - n - 1  postlogd
EOF
  /usr/sbin/postfix -c "$postfix_conf" check >"$dir/postfix/check.log" 2>&1 || true
  /usr/sbin/postfix -c "$postfix_conf" start >"$dir/postfix/start.log" 2>&1 \
    || die "Postfix did not start: $(cat "$dir/postfix/start.log")"
  wait_for_port "$postfix_port" 20 || die "Postfix does not listen on $postfix_port: $(tail -5 "$dir/postfix/maillog")"
  postfix_master=$(awk '{print $1}' "$queue/pid/master.pid" 2>/dev/null | tr -d ' ')
  log "Postfix $(postconf -h mail_version) on 127.0.0.1:$postfix_port (pid $postfix_master)"
}
postfix_queue_empty() {
  local q="$dir/postfix/queue"
  [ -z "$(find "$q/maildrop" "$q/incoming" "$q/active" "$q/deferred" "$q/hold" -type f -print -quit 2>/dev/null)" ]
}
postfix_deferred() { find "$dir/postfix/queue/deferred" "$dir/postfix/queue/hold" -type f 2>/dev/null | wc -l; }

# ---------------------------------------------------------------------------------------------
# The relay, built from this checkout (package only: nothing is written to ~/.m2).
relay_port="" admin_port="" relay_pid=""
build_relay() {
  local jar="$root/mta-server/target/mta-server.jar"
  if [ -f "$jar" ] && [ -z "$(find "$root" -path "$root/data" -prune -o \( -name pom.xml -o -path '*/src/main/*' \) -newer "$jar" -print -quit)" ]; then
    return
  fi
  log "building the relay (mvn package -DskipTests)"
  (cd "$root" && mvn -B -o -q package -DskipTests -pl mta-server -am >"$dir/build.log" 2>&1) \
    || (cd "$root" && mvn -B -q package -DskipTests -pl mta-server -am >"$dir/build.log" 2>&1) \
    || die "build failed: see $dir/build.log"
}
start_relay() {
  local attempt
  for attempt in 1 2 3; do
    try_start_relay && return 0
    grep -q 'cannot listen' "$dir/relay/relay.log" || break
    log "a port was taken meanwhile; trying others"
  done
  die "the relay did not start: $(tail -20 "$dir/relay/relay.log")"
}
try_start_relay() {
  free_port relay_port; free_port admin_port
  mkdir -p "$dir/relay"
  local flags=()
  if [ "$(java_major "$java")" -ge 24 ]; then flags+=(--sun-misc-unsafe-memory-access=allow); fi
  if $jfr; then flags+=("-XX:StartFlightRecording=filename=$dir/relay.jfr,settings=profile,dumponexit=true"); fi
  (cd "$root" && exec "$java" "${flags[@]}" ${MTA_JAVA_OPTS:-} -jar mta-server/target/mta-server.jar serve \
      -c conf/mta.conf \
      -o hostname=relay.bench.example \
      -o "data-directory=$dir/relay/data" \
      -o smtp.listeners.relay.port="$relay_port" \
      -o smtp.listeners.submission.enabled=false \
      -o smtp.listeners.submissions.enabled=false \
      -o admin.port="$admin_port" \
      -o "delivery.routes.\"*\".relay-host=\"[127.0.0.1]:$sink_port\"" \
      -o 'delivery.routes."*".tls=none' \
      -o 'delivery.tls-policy."*"=none' \
      -o delivery.mta-sts=false \
      -o delivery.dnssec=off \
      "${relay_options[@]}" \
      ) >"$dir/relay/relay.log" 2>&1 &
  relay_pid=$!
  pids_to_stop+=("$relay_pid")
  local i
  for ((i = 0; i < 600; i++)); do
    curl -fs "http://127.0.0.1:$admin_port/health/ready" >/dev/null 2>&1 && break
    kill -0 "$relay_pid" 2>/dev/null || { wait "$relay_pid" 2>/dev/null; relay_pid=""; return 1; }
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:$admin_port/health/ready" >/dev/null || die "the relay is not ready after 60s: $(tail -20 "$dir/relay/relay.log")"
  log "relay on 127.0.0.1:$relay_port (pid $relay_pid, admin $admin_port)"
}
stop_relay() {
  [ -n "$relay_pid" ] || return 0
  kill -TERM "$relay_pid" 2>/dev/null || true
  wait "$relay_pid" 2>/dev/null || true
  relay_pid=""
}
relay_metric() { # sum of a metric's samples whose labels contain $2
  curl -fs "http://127.0.0.1:$admin_port/metrics" \
    | awk -v m="$1" -v l="$2" '$1 ~ "^"m"[{ ]" || $1 == m { if (l == "" || index($1, l)) s += $NF } END { printf "%d", s }'
}
relay_settled() { # recipients delivered, deferred, bounced so far
  echo "$(relay_metric mta_delivery_recipients_total 'outcome="delivered"') $(relay_metric mta_delivery_recipients_total 'outcome="deferred"') $(relay_metric mta_delivery_recipients_total 'outcome="bounced"')"
}
rss_reset() { echo 5 >"/proc/$1/clear_refs" 2>/dev/null || true; }
rss_peak_mb() { awk '/^VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
# One measurement: N messages from smtp-source through TARGET (sink, postfix, relay).
# Sets: m_accept m_deliver m_cpu m_rss m_lost.
measure() { # target port size sessions recipients messages [domains]
  local target=$1 port=$2 size=$3 sessions=$4 rcpts=$5 n=$6 domains=${7:-1}
  local source_opts=(-s "$sessions" -m "$n" -l "$size" -r "$rcpts" -M client.bench.example
                     -f sender@source.bench.example -t rcpt@dest.bench.example)
  $reuse && source_opts+=(-d)
  local before_settled="" cpu0=0 pid=""
  start_sink
  case $target in
    relay) pid=$relay_pid; before_settled=$(relay_settled) ;;
    postfix) pid=$postfix_master ;;
  esac
  if [ -n "$pid" ]; then cpu0=$(cpu_seconds "$pid"); rss_reset "$pid"; fi
  local t0 t1 t2
  t0=$(now)
  if [ "$domains" -gt 1 ]; then
    # smtp-source's recipients share one domain; SmtpLoad spreads them over several.
    smtp_load --port "$port" --sessions "$sessions" --messages "$n" --size "$size" \
        --recipients "$rcpts" --domains "$domains" >"$dir/source.out" 2>&1 \
      || log "SmtpLoad ($target): $(tail -1 "$dir/source.out")"
    # Its own clock: the JVM's start is not the server's time.
    t0=$(awk -v t="$(now)" -v s="$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' "$dir/source.out")" 'BEGIN { printf "%.6f", t - s }')
  else
    smtp-source "${source_opts[@]}" "127.0.0.1:$port" >"$dir/source.out" 2>&1 \
      || log "smtp-source ($target): $(tail -1 "$dir/source.out")"
  fi
  t1=$(now)
  # End to end: the sink has every message and the relay has settled every recipient (a relay
  # may split a message into more transactions than one; its queue says when it is done).
  local count last=-1 last_change=$t1 done=false
  while :; do
    count=$(sink_count)
    if [ "$count" -ge "$n" ]; then
      case $target in
        sink) done=true ;;
        postfix) postfix_queue_empty && done=true ;;
        relay) local s; s=($(relay_settled)); b=($before_settled)
               [ $(( s[0] + s[1] + s[2] - b[0] - b[1] - b[2] )) -ge $(( n * rcpts )) ] && done=true ;;
      esac
    fi
    $done && break
    if [ "$count" != "$last" ]; then last=$count; last_change=$(now); fi
    if awk -v a="$(now)" -v b="$last_change" 'BEGIN { exit !(a - b > 30) }'; then
      log "$target: no progress for 30s at $count of $n messages"; break
    fi
    sleep 0.05
  done
  t2=$(now)
  m_lost=0
  count=$(sink_count)
  [ "$count" -lt "$n" ] && m_lost=$(( n - count ))
  [ "$count" -gt "$n" ] && log "$target: the sink got $count transactions for $n messages"
  case $target in
    relay) local s; s=($(relay_settled)); b=($before_settled)
           local delivered=$(( s[0] - b[0] )) not=$(( s[1] + s[2] - b[1] - b[2] ))
           if [ $delivered -lt $(( n * rcpts )) ]; then
             m_lost=$(( m_lost > (n * rcpts - delivered) ? m_lost : (n * rcpts - delivered) ))
             log "relay: $delivered of $(( n * rcpts )) recipients delivered ($not deferred or bounced)"
           fi ;;
    postfix) local d; d=$(postfix_deferred); [ "$d" -gt 0 ] && { log "postfix: $d messages deferred"; m_lost=$(( m_lost + d )); } ;;
  esac
  m_accept=$(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
  m_deliver=$(awk -v n="$n" -v a="$t0" -v b="$t2" 'BEGIN { printf "%.0f", n / (b - a) }')
  m_cpu="-" m_rss="-"
  if [ -n "$pid" ]; then
    m_cpu=$(awk -v a="$cpu0" -v b="$(cpu_seconds "$pid")" 'BEGIN { printf "%.1f", b - a }')
    [ "$target" = relay ] && m_rss=$(rss_peak_mb "$pid")
  fi
  stop_sink
}

# The relay's own histogram of end of DATA to 250: "le count" lines, cumulative.
accept_buckets() {
  curl -fs "http://127.0.0.1:$admin_port/metrics" \
    | sed -n 's/^mta_smtp_accept_seconds_bucket{listener="relay",le="\([^"]*\)"} \([0-9.Ee+-]*\)$/\1 \2/p'
}

# The load client of bench/SmtpLoad.java, compiled once (so no run times the compiler).
compile_smtp_load() {
  mkdir -p "$dir/classes"
  "$JAVA_HOME/bin/javac" -d "$dir/classes" "$here/SmtpLoad.java" || die "bench/SmtpLoad.java does not compile"
}
smtp_load() {
  "$java" -cp "$dir/classes" SmtpLoad "$@" $($reuse || echo --connection-per-message)
}

# Latency: end of DATA to the 250, timed by SmtpLoad with 20 sessions of 4 KiB messages.
latency() { # target port messages -> sets l_line
  start_sink
  l_line=$(smtp_load --port "$2" --sessions 20 --messages "$3" --size 4096 2>&1) || log "latency ($1): $l_line"
  local i
  for ((i = 0; i < 600; i++)); do [ "$(sink_count)" -ge "$3" ] && break; sleep 0.05; done
  stop_sink
}

# ---------------------------------------------------------------------------------------------
if $smoke; then
  cases=("4096:20:1:300")
elif [ -n "$cases_arg" ]; then
  IFS=, read -r -a cases <<<"$cases_arg"
else
  # N per case: large enough for a few seconds at Postfix's rate, small enough for ~15 minutes.
  cases=(4096:20:1:4000 1024:20:1:4000 102400:20:1:1000
         4096:1:1:600 1024:1:1:600 102400:1:1:300
         4096:20:10:1000 1024:20:10:1000 102400:20:10:300
         4096:1:10:300 1024:1:10:300 102400:1:10:150
         4096:20:10:500:10)
fi

build_relay
compile_smtp_load
start_relay
$with_postfix && start_postfix

# Warm-up, not measured: Postfix starts its processes; the JIT compiles the relay's hot paths.
# On 2 cores the relay's compiler threads take about a core for its first ~10,000 messages (JFR:
# jdk.CompilerStatistics), so a short warm-up would measure the JIT more than the relay.
relay_warm=${warmup_arg:-$($smoke && echo 100 || echo 8000)}
postfix_warm=$($smoke && echo 100 || echo 1000)
$with_postfix || postfix_warm=0
log "warming up ($relay_warm messages through the relay, $postfix_warm through Postfix)"
[ "$relay_warm" -gt 0 ] && measure relay "$relay_port" 4096 20 1 "$relay_warm"
[ "$postfix_warm" -gt 0 ] && measure postfix "$postfix_port" 4096 20 1 "$postfix_warm"

lost_total=0
rows=()
for c in "${cases[@]}"; do
  IFS=: read -r size sessions rcpts n domains <<<"$c"
  n=${messages_arg:-${n:-1000}} domains=${domains:-1}
  label="$(( size / 1024 ))KiB s=$sessions r=$rcpts"
  [ "$domains" -gt 1 ] && label+="/${domains}d"
  log "case $label, $n messages"
  measure sink "$sink_port" "$size" "$sessions" "$rcpts" "$n" "$domains"; h_acc=$m_accept h_del=$m_deliver
  lost_total=$(( lost_total + m_lost ))
  p_acc="-" p_del="-" p_cpu="-"
  if $with_postfix; then
    measure postfix "$postfix_port" "$size" "$sessions" "$rcpts" "$n" "$domains"; p_acc=$m_accept p_del=$m_deliver p_cpu=$m_cpu
    lost_total=$(( lost_total + m_lost ))
  fi
  measure relay "$relay_port" "$size" "$sessions" "$rcpts" "$n" "$domains"
  lost_total=$(( lost_total + m_lost ))
  ratio="-"
  [ "$p_del" != "-" ] && ratio=$(awk -v a="$m_deliver" -v b="$p_del" 'BEGIN { printf "%.2f", a / b }')
  rows+=("$(printf '%-18s %6s %7s %7s %7s %7s %7s %7s %6s %7s %6s %5s' "$label" "$n" "$h_acc" \
            "$p_acc" "$p_del" "$m_accept" "$m_deliver" "$ratio" "$p_cpu" "$m_cpu" "$m_rss" "$m_lost")")
done

latency_rows=()
if ! $smoke && ! $no_latency; then
  lat_n=2000
  log "latency: 20 sessions, 4 KiB, $lat_n messages each"
  latency sink "$sink_port" "$lat_n"; latency_rows+=("harness (sink)  $l_line")
  if $with_postfix; then latency postfix "$postfix_port" "$lat_n"; latency_rows+=("postfix         $l_line"); fi
  accept_before=$(accept_buckets)
  latency relay "$relay_port" "$lat_n"; latency_rows+=("relay           $l_line")
  accept_hist=$(paste -d' ' <(echo "$accept_before") <(accept_buckets) | awk '
    { le[NR] = $1; d[NR] = $4 - $2; total = d[NR] }   # cumulative buckets: the last is +Inf
    END { for (i = 1; i <= NR; i++) { if (!p50 && d[i] >= 0.5 * total) p50 = le[i]; if (!p99 && d[i] >= 0.99 * total) p99 = le[i] }
          printf "%d messages, p50 <= %.1f ms, p99 <= %.1f ms (bucket bounds)", total, p50 * 1000, p99 * 1000 }')
fi

stop_relay

echo
echo "Loopback, $(nproc) cores; messages/s; connections: $($reuse && echo 'reused (smtp-source -d)' || echo 'one per message')"
echo "relay $(git -C "$root" log -1 --format=%h -- . ':!bench' 2>/dev/null || echo ?), Postfix $(postconf -h mail_version 2>/dev/null), $("$java" -version 2>&1 | head -1)"
printf '%-18s %6s %7s %7s %7s %7s %7s %7s %6s %7s %6s %5s\n' case N harness pf-acc pf-e2e mta-acc mta-e2e ratio pf-cpu mta-cpu rss-MB lost
for r in "${rows[@]}"; do echo "$r"; done
if [ ${#latency_rows[@]} -gt 0 ]; then
  echo
  echo "End of DATA to 250 (SmtpLoad client, 20 sessions, 4 KiB):"
  for r in "${latency_rows[@]}"; do echo "  $r"; done
  [ -n "${accept_hist:-}" ] && echo "  relay's own mta_smtp_accept_seconds over that phase: $accept_hist"
fi
if $jfr && [ -f "$dir/relay.jfr" ]; then
  keep=true
  echo
  echo "JFR CPU samples of the relay (warm-up, every case and the latency phase):"
  "$java" "$here/JfrTop.java" "$dir/relay.jfr" 12 || true
  echo "(recording kept in $dir/relay.jfr)"
fi
if [ "$lost_total" -gt 0 ]; then
  echo "LOST: $lost_total messages or recipients did not arrive" >&2
  exit 1
fi
