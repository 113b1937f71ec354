# promlib.sh: a real Prometheus (Debian's package) for tests, sourced by
# tests/prometheus.test and the lab's metrics scenario (host part). It
# scrapes one target every second and evaluates the shipped alerting rules
# (contrib/prometheus/trapmon-rules.yml) every second. Needs prometheus,
# python3, curl and jq; the caller checks they are installed.

# prom_free_ports N: N free TCP ports on 127.0.0.1, as the kernel hands
# them out, so parallel tests never collide on them.
prom_free_ports() {
	python3 -c 'import socket, sys
s = [socket.socket() for _ in range(int(sys.argv[1]))]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])' "$1"
}

# prom_start WORKDIR SRCDIR TARGET PORT: Prometheus on 127.0.0.1:PORT
# scraping TARGET (host:port), ready when it returns 0. Sets PROM_PID.
prom_start() {
	PROM_URL=http://127.0.0.1:$4
	cat > "$1/prometheus.yml" <<EOC
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $2/contrib/prometheus/trapmon-rules.yml
scrape_configs:
  - job_name: trapmon
    static_configs:
      - targets: ['$3']
EOC
	prometheus --config.file="$1/prometheus.yml" --storage.tsdb.path="$1/data" \
		--web.listen-address=127.0.0.1:$4 > "$1/prom.log" 2>&1 &
	PROM_PID=$!
	# Prometheus opens its database first; under load that takes a while.
	for _i in $(seq 120); do
		curl -sf "$PROM_URL/-/ready" > /dev/null && return 0
		sleep 0.5
	done
	return 1
}

# prom_api PATH: GET /api/v1/PATH.
prom_api() { curl -s "$PROM_URL/api/v1/$1"; }

# prom_query EXPR: the first result's value, once there is one (up to 30 s).
prom_query() {
	local v
	for _i in $(seq 60); do
		v=$(curl -s "$PROM_URL/api/v1/query" --data-urlencode "query=$1" |
		    jq -r '.data.result[0].value[1] // empty' 2>/dev/null)
		[ -n "$v" ] && { echo "$v"; return 0; }
		sleep 0.5
	done
	return 1
}

# prom_alerts NAME STATE JQ-CONDITION: how many alerts NAME are in STATE
# with the condition true, once there are MIN (default 1; up to 15 s).
prom_alerts() {
	local c=0
	for _i in $(seq 30); do
		c=$(prom_api alerts | jq --arg a "$1" --arg s "$2" \
			"[.data.alerts[] | select(.labels.alertname == \$a and .state == \$s and ($3))] | length")
		[ "${c:-0}" -ge "${4:-1}" ] && break
		sleep 0.5
	done
	echo "${c:-0}"
}

prom_stop() { [ -n "${PROM_PID:-}" ] && kill "$PROM_PID" 2>/dev/null; wait "$PROM_PID" 2>/dev/null; PROM_PID=; }
