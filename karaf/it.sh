#!/usr/bin/env bash
# End-to-end test of the Karaf feature: Apache Karaf 4.4 with camel-karaf, misp-sentinel installed
# with feature:repo-add/feature:install, configured from etc/org.mispsentinel.cfg against the HTTPS
# stand-ins on loopback. Asserts that indicators arrive, that a changed setting and an edited route
# are picked up without restarting Karaf, and that uninstalling stops the pipeline.
#
# Needs a Maven repository serving camel-karaf; without one it says so and exits 0 (not a pass).
# Usage: karaf/it.sh   (from anywhere; works in target/karaf-it)
set -euo pipefail

cd "$(dirname "$0")/.."
KARAF_VERSION=4.4.10
pom_value() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -1; }
CAMEL_KARAF_VERSION=$(pom_value camel.karaf.version)
GROUP_ID=$(pom_value groupId)
VERSION=$(pom_value version)
WORK=target/karaf-it
TIMEOUT=${IT_TIMEOUT_SECONDS:-180}

# What can be checked without camel-karaf: Karaf itself resolves, the descriptor was built.
mvn -B -q dependency:get -Dtransitive=false -Dartifact="org.apache.karaf:apache-karaf:${KARAF_VERSION}:tar.gz" \
  >/dev/null || { echo "FAIL: Apache Karaf ${KARAF_VERSION} does not resolve" >&2; exit 1; }
if ! mvn -B -q dependency:get -Dtransitive=false \
        -Dartifact="org.apache.camel.karaf:apache-camel:${CAMEL_KARAF_VERSION}:xml:features" >/dev/null 2>&1; then
  echo "skipped: camel-karaf is not available from the Maven repository"
  exit 0
fi

fail() { echo "FAIL: $*" >&2; exit 1; }

# wait_for FILE PATTERN [COUNT]: until FILE has COUNT lines matching PATTERN, or the timeout
wait_for() {
  local file=$1 pattern=$2 count=${3:-1} deadline=$((SECONDS + TIMEOUT))
  while (( SECONDS < deadline )); do
    if [[ -f $file ]] && (( $(grep -cE "$pattern" "$file" || true) >= count )); then return 0; fi
    sleep 1
  done
  fail "no $count line(s) matching '$pattern' in $file within ${TIMEOUT}s"
}

# Karaf resolves mvn: URLs from the local repository: the bundle and the descriptor go there.
mvn -B -q install -DskipTests

rm -rf "$WORK" && mkdir -p "$WORK"
mvn -B -q dependency:copy -Dartifact="org.apache.karaf:apache-karaf:${KARAF_VERSION}:tar.gz" -DoutputDirectory="$WORK"
tar -xzf "$WORK/apache-karaf-${KARAF_VERSION}.tar.gz" -C "$WORK"
KARAF=$(cd "$WORK/apache-karaf-${KARAF_VERSION}" && pwd)

STANDIN_PID=""
cleanup() {
  "$KARAF/bin/stop" >/dev/null 2>&1 || true
  if [[ -n $STANDIN_PID ]]; then kill "$STANDIN_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

java -cp target/misp-sentinel.jar org.mispsentinel.standin.StandInMain --attributes 300 --ignore-stdin \
  --ports-file "$WORK/standin.properties" > "$WORK/standin.out" 2>&1 &
STANDIN_PID=$!
wait_for "$WORK/standin.out" "^STANDIN READY"
grep -qE "misp=https://(localhost|127\.0\.0\.1)" "$WORK/standin.out" || fail "stand-ins not on loopback"

# The route files an engineer edits, and the configuration Config Admin reads.
mkdir -p "$KARAF/etc/misp-sentinel/routes"
cp routes/*.camel.yaml "$KARAF/etc/misp-sentinel/routes/"
CFG="$KARAF/etc/org.mispsentinel.cfg"
{
  cat "$WORK/standin.properties"
  echo "routes.directory=$KARAF/etc/misp-sentinel/routes"
  echo "state.dir=$KARAF/data/misp-sentinel"
  echo "misp.lookback-days=0"
} > "$CFG"

"$KARAF/bin/start"
client() { "$KARAF/bin/client" -r 30 -d 2 "$@"; }
client "feature:repo-add mvn:${GROUP_ID}/misp-sentinel/${VERSION}/xml/features"
client "feature:install misp-sentinel"
LOG="$KARAF/data/log/karaf.log"

# the start-up cycle
wait_for "$LOG" "cycle complete: .* delivered=[1-9]"

# a changed setting: Config Admin reports it, the routes restart and run their start-up cycle
sed -i 's/^misp.page-size=.*//' "$CFG" && echo "misp.page-size=50" >> "$CFG"
wait_for "$LOG" "cycle complete: " 2

# an edited route: a log line of our own in the cycle, picked up with the next configuration update
sed -i 's/^\(\s*\)- to: direct:sentinel-flush/\1- log: "edited route ran"\n\1- to: direct:sentinel-flush/' \
  "$KARAF/etc/misp-sentinel/routes/sync-cycle.camel.yaml"
echo "routes.revision=2" >> "$CFG"
wait_for "$LOG" "edited route ran"

client "feature:uninstall misp-sentinel"
wait_for "$LOG" "Apache Camel .* \(misp-sentinel\) shutdown"
"$KARAF/bin/stop"

kill "$STANDIN_PID"; wait "$STANDIN_PID" || true; STANDIN_PID=""
grep -E "^STANDIN STATS" "$WORK/standin.out" || fail "no stand-in stats"
echo "passed: indicators arrived, a setting and a route changed in place, the feature stopped"
