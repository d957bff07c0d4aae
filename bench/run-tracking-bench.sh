#!/usr/bin/env bash
# Runs the tracking-server benchmark suite (SQLite and PostgreSQL, client on loopback) and writes
# the results as markdown. A few minutes in all. Benchmarks, not tests: `mvn test` never runs them.
#
#   bench/run-tracking-bench.sh                       # the whole suite, both backends
#   bench/run-tracking-bench.sh --backend sqlite      # any TrackingBench option passes through
#   bench/run-tracking-bench.sh --quick               # a smoke run (small budgets, 1000 runs)
#   bench/run-tracking-bench.sh -help                 # the options
#
# Needs: a JDK 17+, Maven (to build), and for PostgreSQL a server on 127.0.0.1:5432 with database
# `test`, user postgres, trust auth (the bench creates a schema bench_<random> and drops it after).
# Results: printed, and written to bench/target/tracking-bench-results.md (override with
# --markdown FILE). The server under test runs as its own JVM: java -Xmx256m -jar app/target/mlops-core.jar.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
server_jar="$root/app/target/mlops-core.jar"
bench_jar="$root/bench/target/tracking-bench.jar"

stale() {
  local jar="$1"
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root/common" "$root/tracking" "$root/app" "$root/bench" -path '*/target' -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit 2>/dev/null)" ]
}

if stale "$server_jar" || stale "$bench_jar"; then
  command -v mvn >/dev/null || { echo "run-tracking-bench: Maven (mvn) is needed to build the jars." >&2; exit 1; }
  echo "run-tracking-bench: building the server and bench jars..." >&2
  # The server jar and the bench jar only (-pl app,bench -am: common, tracking, app, bench), so a
  # module that does not build right now elsewhere in the tree does not stop the benchmark.
  (cd "$root" && mvn -q -B -DskipTests -pl app,bench -am package) >&2
fi

args=("$@")
has_markdown=false
for a in "${args[@]+"${args[@]}"}"; do
  case "$a" in --markdown|--markdown=*|-markdown|-markdown=*) has_markdown=true ;; esac
done
if ! $has_markdown; then
  args+=(--markdown "$root/bench/target/tracking-bench-results.md")
fi

# The load generator gets its own heap; the server under test is started by it with -Xmx256m.
exec java -Xmx512m -jar "$bench_jar" --jar "$server_jar" "${args[@]}"
