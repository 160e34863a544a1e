#!/usr/bin/env bash
# End-to-end test of the Karaf feature in a real Apache Karaf 4.4.10 with camel-karaf's own features
# descriptor and camel-core-osgi: misp-sentinel installed with feature:repo-add + feature:install,
# configured from etc/org.mispsentinel.cfg against the HTTPS stand-ins on loopback. Asserts, in order:
#   1. indicators arrive, with the route files inside the bundle (no routes.directory);
#   2. a changed setting (routes.directory, misp.page-size) restarts the routes, with nothing sent twice;
#   3. an edited route file in routes.directory is running soon after it is saved (no setting touched);
#   4. a broken setting leaves the component waiting with the reason in the log, and the fix starts
#      it again; the same for a route file that does not load (never bundle:restart);
#   5. feature:uninstall stops the routes and releases the state store (no open file of it left);
#   and over the whole run: every indicator accepted once, no upload sent twice.
#
# Usage: karaf/it.sh [CAMEL_KARAF_VERSION]     (default: the pom's camel.karaf.version)
#   e.g. karaf/it.sh 4.18.1   where Maven Central is reachable: Karaf fetches what it needs itself
#        karaf/it.sh 4.14.5   on the build machine, offline, with ../shared/karaf-estate/
# camel-karaf's thin wrapper bundles (camel-api, camel-support, ...) are taken from the Maven
# repository when it serves them; where it does not, they are rebuilt from the upstream Camel jars
# of the same minor with the tools in ../shared/karaf-estate/ (KARAF_ESTATE to point elsewhere), and
# Karaf runs offline on the local repository. camel-karaf 4.14.x ships httpclient5 5.4.4, below the
# bundle's import range: its descriptor gets 5.5.1 (camel-karaf 4.18.1's) instead, and says so.
# Exit status: 0 passed, or "skipped" when Apache Karaf itself cannot be had; non-zero on any failure.
# Work directory: target/karaf-it (karaf/, karaf.log copy, stand-in output). Takes a few minutes.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
KARAF_VERSION=4.4.10
pom_value() { sed -n "s:^ *<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -1; }
CK=${1:-$(pom_value camel.karaf.version)}
GROUP_ID=$(pom_value groupId)
VERSION=$(pom_value version)
ESTATE=${KARAF_ESTATE:-$REPO/../shared/karaf-estate}
WORK=$REPO/target/karaf-it
K=$WORK/karaf
LOG=$K/data/log/karaf.log
TIMEOUT=${IT_TIMEOUT_SECONDS:-300}
ATTRIBUTES=300
M2=${M2:-$HOME/.m2/repository}
START=$SECONDS

say() { echo "[karaf-it $((SECONDS - START))s] $*"; }
fail() {
  echo "[karaf-it] FAIL: $*" >&2
  if [[ -f $LOG ]]; then
    echo "[karaf-it] last lines of karaf.log:" >&2
    tail -40 "$LOG" | cut -c1-400 >&2
  fi
  exit 1
}
m2path() { local g a v t c; IFS=: read -r g a v t c <<<"$1"; t=${t:-jar}; echo "$M2/${g//.//}/$a/$v/$a-$v${c:+-$c}.$t"; }
served() { [[ -f $(m2path "$1") ]] || mvn -B -q dependency:get -Dtransitive=false -Dartifact="$1" >/dev/null 2>&1; }

# --- the estate -----------------------------------------------------------------------------------
if ! served "org.apache.karaf:apache-karaf:$KARAF_VERSION:tar.gz"; then
  echo "skipped: Apache Karaf $KARAF_VERSION cannot be had from the Maven repository"
  exit 0
fi
served "org.apache.camel.karaf:apache-camel:$CK:xml:features" \
  || fail "camel-karaf $CK's features descriptor (org.apache.camel.karaf:apache-camel:$CK:xml:features) is not served"
served "org.apache.camel.karaf:camel-core-osgi:$CK" || fail "camel-karaf $CK's camel-core-osgi is not served"

say "building the bundle and the descriptor naming camel-karaf $CK"
# offline first: after `mvn verify` (CI) every dependency is local, and each remote check costs time
mvn -B -q -o package -DskipTests -Dcamel.karaf.version="$CK" >/dev/null 2>&1 \
  || mvn -B -q package -DskipTests -Dcamel.karaf.version="$CK" >/dev/null || fail "the build failed (mvn -B package -DskipTests)"

rm -rf "$WORK" && mkdir -p "$K"
tar -xzf "$(m2path "org.apache.karaf:apache-karaf:$KARAF_VERSION:tar.gz")" -C "$K" --strip-components=1
sed -i 's/^#karaf = karaf,_g_:admingroup/karaf = karaf,_g_:admingroup/; s/^#_g_\\:admingroup/_g_\\:admingroup/' "$K/etc/users.properties"
CAMEL_FEATURES=$(m2path "org.apache.camel.karaf:apache-camel:$CK:xml:features")
CK_SYSTEM=$K/system/org/apache/camel/karaf/apache-camel/$CK
mkdir -p "$CK_SYSTEM"
cp "$CAMEL_FEATURES" "$CK_SYSTEM/apache-camel-$CK-features.xml"

if served "org.apache.camel.karaf:camel-api:$CK"; then
  say "camel-karaf $CK's bundles are served: Karaf resolves them from the Maven repository"
else
  [[ -x $ESTATE/rebuild-camel-karaf-wrappers.sh ]] \
    || fail "camel-karaf $CK's wrapper bundles are not served, and the tools that rebuild them are not in $ESTATE"
  say "camel-karaf $CK's wrapper bundles are not served: rebuilding them from upstream Camel jars ($ESTATE)"
  KF=$K/system/org/apache/karaf/features
  python3 "$ESTATE/feature-bundles.py" --root=scr --root=camel-core --root=camel-yaml-dsl --root=camel-quartz \
    --root=camel-http --root=camel-jackson --root=camel-micrometer "$CAMEL_FEATURES" \
    "$KF/standard/$KARAF_VERSION/standard-$KARAF_VERSION-features.xml" \
    "$KF/specs/$KARAF_VERSION/specs-$KARAF_VERSION-features.xml" > "$WORK/bundles.txt"
  ! grep -q MISSING "$WORK/bundles.txt" || fail "features not found: $(grep MISSING "$WORK/bundles.txt")"
  need=$(grep -v '^org.apache.camel.karaf:' "$WORK/bundles.txt" | while read -r c; do
    [[ -f $(m2path "$c") || -f $K/system/${c//://} ]] || echo "$c"; done)
  if [[ -n $need ]]; then "$ESTATE/prefetch.sh" 4 <<<"$need" >/dev/null || fail "bundles of the features are not served: $need"; fi
  # per wrapper, the first upstream jar of CK's minor the repository serves (it serves no 4.14.x
  # whole); the YAML DSL's four jars from one release. Each version asked costs a round trip.
  minor=${CK%.*}
  upstream=${CAMEL_UPSTREAM:-$minor.9 $CK $minor.4 $minor.1 $minor.0}
  upstream_yaml=${CAMEL_UPSTREAM_YAML:-$minor.4 $minor.3 $minor.1}
  wrapped=$(sed -n 's/^org.apache.camel.karaf:\([^:]*\):.*/\1/p' "$WORK/bundles.txt" | grep -vxE 'camel-core-osgi|camel-karaf-shell|camel-directvm|camel-vm')
  # the first choice of each, four at a time (a fresh repository: one by one takes most of an hour)
  for a in $wrapped camel-xml-jaxp-util; do echo "org.apache.camel:$a:${upstream%% *}"; done \
    | while read -r c; do [[ -f $(m2path "$c") ]] || echo "$c"; done | "$ESTATE/prefetch.sh" 4 >/dev/null || true
  for a in $wrapped camel-xml-jaxp-util camel-yaml-dsl-common camel-yaml-dsl-deserializers camel-dsl-support; do
    vs=$upstream; [[ $a =~ ^camel-(yaml-dsl|yaml-dsl-common|yaml-dsl-deserializers|dsl-support)$ ]] && vs=$upstream_yaml
    ok=""; for v in $vs; do served "org.apache.camel:$a:$v" && { ok=$v; break; }; done
    [[ -n $ok ]] || fail "upstream org.apache.camel:$a is served at none of: $vs"
    echo "org.apache.camel:$a:$ok"
  done > "$WORK/upstream.txt"
  grep "^org.apache.camel.karaf:" "$WORK/bundles.txt" | "$ESTATE/rebuild-camel-karaf-wrappers.sh" "$CK" "$K/system" "$WORK/upstream.txt" >/dev/null \
    || fail "rebuilding camel-karaf's wrapper bundles failed"
  # the three camel-karaf bundles with code of their own that are not served and that the product does not use
  sed -i -E '\#mvn:org.apache.camel.karaf/(camel-karaf-shell|camel-directvm|camel-vm)/#d' "$CK_SYSTEM/apache-camel-$CK-features.xml"
  # everything is in the local repository now: Karaf offline
  cfg=$K/etc/org.ops4j.pax.url.mvn.cfg
  awk 'skip { skip = /\\$/; next } /^org\.ops4j\.pax\.url\.mvn\.repositories/ { print "org.ops4j.pax.url.mvn.repositories="; skip = /\\$/; next } { print }' \
    "$cfg" > "$cfg.new" && mv "$cfg.new" "$cfg"
  echo "org.ops4j.pax.url.mvn.offline=true" >> "$cfg"
fi
if grep -qE 'client5/httpclient5/5\.[0-4]\.' "$CK_SYSTEM/apache-camel-$CK-features.xml"; then
  say "camel-karaf $CK ships httpclient5 below 5.5, which the bundle needs: the estate's descriptor gets httpclient5 5.5.1 / httpcore5 5.3.6"
  sed -i -E 's#(client5/httpclient5/)5\.[0-4]\.[0-9]+([^<]*Bundle-Version=)5\.[0-4]\.[0-9]+#\15.5.1\25.5.1#;
             s#(core5/httpcore5(-h2)?/)5\.3\.[0-5]([^<]*Bundle-Version=)5\.3\.[0-5]#\15.3.6\35.3.6#g' \
    "$CK_SYSTEM/apache-camel-$CK-features.xml"
  for c in org.apache.httpcomponents.client5:httpclient5:5.5.1 org.apache.httpcomponents.core5:httpcore5:5.3.6 \
           org.apache.httpcomponents.core5:httpcore5-h2:5.3.6; do served "$c" || fail "$c is not served"; done
fi

# the product: its bundle and descriptor where the mvn: URLs find them (not installed into ~/.m2)
d=$K/system/${GROUP_ID//.//}/misp-sentinel/$VERSION && mkdir -p "$d"
cp target/misp-sentinel-bundle.jar "$d/misp-sentinel-$VERSION-bundle.jar"
cp target/feature/feature.xml "$d/misp-sentinel-$VERSION-features.xml"

# --- stand-ins and configuration ------------------------------------------------------------------
STANDIN_PID=""
cleanup() {
  "$K/bin/stop" >/dev/null 2>&1 || true
  if [[ -n $STANDIN_PID ]]; then kill "$STANDIN_PID" 2>/dev/null || true; fi
  [[ -f $LOG ]] && cp "$LOG" "$WORK/karaf.log" || true
}
trap cleanup EXIT
java -cp target/misp-sentinel.jar org.mispsentinel.standin.StandInMain --attributes "$ATTRIBUTES" --ignore-stdin \
  --ports-file "$WORK/standin.properties" > "$WORK/standin.out" 2>&1 &
STANDIN_PID=$!

# wait_for PATTERN [COUNT] [FILE]: until FILE (karaf.log) has COUNT lines matching PATTERN
wait_for() {
  local pattern=$1 count=${2:-1} file=${3:-$LOG} deadline=$((SECONDS + TIMEOUT))
  until [[ -f $file ]] && (( $(grep -cE "$pattern" "$file" || true) >= count )); do
    (( SECONDS < deadline )) || fail "no $count line(s) matching '$pattern' in $(basename "$file") within ${TIMEOUT}s"
    sleep 1
  done
}
count() { grep -cE "$1" "$LOG" || true; }
wait_for "^STANDIN READY" 1 "$WORK/standin.out"
grep -qE "misp=https://(localhost|127\.0\.0\.1)[:/]" "$WORK/standin.out" || fail "stand-ins not on loopback"

ROUTES=$K/etc/misp-sentinel/routes
STATE=$K/data/misp-sentinel
CFG=$K/etc/org.mispsentinel.cfg
write_cfg() { # the stand-ins' settings plus the arguments, as an administrator writes the file
  { grep -v '^#' "$WORK/standin.properties"; echo "state.dir=$STATE"; echo "misp.lookback-days=0"; printf '%s\n' "$@"; } > "$CFG.new"
  mv "$CFG.new" "$CFG"
}
write_cfg

# --- Karaf ----------------------------------------------------------------------------------------
say "starting Karaf $KARAF_VERSION"
"$K/bin/start"
client() { printf '%s\n' "$@" | "$K/bin/client" -u karaf -p karaf -r 150 -d 2 -b 2>&1 | sed 's/\x1b\[[0-9;]*m//g'; }
client "system:version" > "$WORK/version.out" || fail "bin/client could not reach Karaf"
client "feature:repo-add mvn:$GROUP_ID/misp-sentinel/$VERSION/xml/features" > "$WORK/repo-add.out"
! grep -qE "Error executing command|Unable to|Could not" "$WORK/repo-add.out" || { cat "$WORK/repo-add.out"; fail "feature:repo-add failed"; }
say "feature:install misp-sentinel"
client "feature:install misp-sentinel" > "$WORK/install.out"
! grep -q "Error executing command" "$WORK/install.out" || { cut -c1-3000 "$WORK/install.out"; fail "feature:install misp-sentinel failed"; }
client "feature:list -i | grep misp-sentinel" | grep -q "Started" || fail "the feature misp-sentinel is not started"

CYCLE="cycle complete: "
say "1. indicators arrive with the route files inside the bundle"
wait_for "$CYCLE.*delivered=[1-9]"
! grep -q "misp-sentinel is waiting" "$LOG" || fail "the component waits after the first start"
first=$(grep -E "$CYCLE" "$LOG" | head -1)
delivered=$(sed -E 's/.* delivered=([0-9]+).*/\1/' <<<"$first")
say "first cycle: ${first##*$CYCLE}"

say "2. a changed setting: the route files from routes.directory, a smaller MISP page"
mkdir -p "$ROUTES" && cp routes/*.camel.yaml "$ROUTES/"
n=$(count "$CYCLE")
write_cfg "routes.directory=$ROUTES" "misp.page-size=50"
wait_for "$CYCLE" $((n + 1))
grep -E "$CYCLE" "$LOG" | tail -n +2 | grep -vqE "delivered=0\b" && fail "a cycle after the first delivered again: $(grep -E "$CYCLE" "$LOG" | tail -1)"

say "3. an edited route file, saved: running without any setting touched"
n=$(count "$CYCLE")
sed -i 's/^\(\s*\)- to: direct:sentinel-flush/\1- log: "edited route ran"\n\1- to: direct:sentinel-flush/' "$ROUTES/sync-cycle.camel.yaml"
grep -q "edited route ran" "$ROUTES/sync-cycle.camel.yaml" || fail "could not edit sync-cycle.camel.yaml (the step it edits moved)"
wait_for "edited route ran"
wait_for "$CYCLE" $((n + 1))

say "4a. a broken setting: the component waits, the fix starts it again"
w=$(count "misp-sentinel is waiting")
n=$(count "$CYCLE")
write_cfg "routes.directory=$ROUTES" "misp.page-size=many"
wait_for "misp-sentinel is waiting: .*misp.page-size" $((w + 1))
write_cfg "routes.directory=$ROUTES" "misp.page-size=50"
wait_for "$CYCLE" $((n + 1))

say "4b. a route file that does not load: the component waits, removing it starts it again"
w=$(count "misp-sentinel is waiting")
n=$(count "$CYCLE")
printf -- '- route:\n    from: [\n' > "$ROUTES/broken.camel.yaml"
wait_for "misp-sentinel is waiting: " $((w + 1))
rm "$ROUTES/broken.camel.yaml"
wait_for "$CYCLE" $((n + 1))
grep -E "$CYCLE" "$LOG" | tail -n +2 | grep -vqE "delivered=0\b" && fail "a cycle after the first delivered again"

say "health and metrics published to the estate"
client "service:list io.micrometer.core.instrument.MeterRegistry" > "$WORK/services.out"
client "service:list org.apache.camel.health.HealthCheck" >> "$WORK/services.out"
[[ $(grep -c "name = misp-sentinel" "$WORK/services.out") -ge 2 ]] || { cat "$WORK/services.out"; fail "the meter registry and the readiness check are not published as services"; }

say "5. feature:uninstall: the routes stop, the state store is released"
n=$(count "Apache Camel .* \(misp-sentinel\) shutdown")
client "feature:uninstall misp-sentinel" > "$WORK/uninstall.out"
! grep -q "Error executing command" "$WORK/uninstall.out" || { cat "$WORK/uninstall.out"; fail "feature:uninstall failed"; }
wait_for "misp-sentinel stopped; the state directory is released"
wait_for "Apache Camel .* \(misp-sentinel\) shutdown" $((n + 1))
KARAF_PID=$(cat "$K/karaf.pid" 2>/dev/null || true)
[[ -n $KARAF_PID && -d /proc/$KARAF_PID ]] || fail "cannot find Karaf's process (karaf.pid)"
open=$(ls -l "/proc/$KARAF_PID/fd" 2>/dev/null | grep -F "$STATE" || true)
[[ -z $open ]] || fail "Karaf still holds files of the state store after feature:uninstall: $open"
grep -E "ERROR" "$LOG" | grep -v "misp-sentinel is waiting" | grep -E "mispsentinel|misp-sentinel" \
  && fail "errors of misp-sentinel in karaf.log (above) beyond the expected waits"
"$K/bin/stop"

kill "$STANDIN_PID"; wait "$STANDIN_PID" || true; STANDIN_PID=""
stats=$(grep -E "^STANDIN STATS" "$WORK/standin.out") || fail "no stand-in stats"
accepted=$(grep -oE '"acceptedIndicators":[0-9]+' <<<"$stats" | cut -d: -f2)
duplicates=$(grep -oE '"duplicateUploads":[0-9]+' <<<"$stats" | cut -d: -f2)
[[ $duplicates == 0 ]] || fail "$duplicates upload(s) sent twice"
[[ $accepted == "$delivered" ]] || fail "the Sentinel stand-in accepted $accepted indicators, the first cycle delivered $delivered"
say "passed in $((SECONDS - START))s: $accepted indicators accepted once each, a setting and a route file changed in place, a broken setting and route file recovered, uninstall released the state store (camel-karaf $CK, Karaf $KARAF_VERSION)"
