#!/usr/bin/env bash
# Relay benchmark: builds what it needs, then runs dev.relay.bench.RelayBenchmark (see docs/benchmarks.md).
# Usage: bench/run.sh [--direct-only] [--warmup S] [--duration S] [--connections N] [--rss-connections N]
#                     [--chunks N] [--gateway-jvm-opts "OPTS"] [--out PATH] ...
set -euo pipefail
cd "$(dirname "$0")/.."

needs_jar=true
for arg in "$@"; do
  # --direct-only starts no gateway; --gateway-main starts a stand-in from the test classes instead of the jar
  if [[ "$arg" == "--direct-only" || "$arg" == "--gateway-main" ]]; then needs_jar=false; fi
done

if [[ "$needs_jar" == false ]]; then
  ./mvnw -B -q test-compile
else
  # package compiles the test classes too (-DskipTests only skips running them)
  ./mvnw -B -q package -DskipTests
fi
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt

exec java -Xms256m -Xmx1g -Duser.timezone=UTC -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  dev.relay.bench.RelayBenchmark "$@"
