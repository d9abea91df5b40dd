#!/usr/bin/env bash
# Real Claude Code through relay: installs pinned Claude Code versions from npm (once, into a cache folder), builds
# the gateway jar, then runs dev.relay.bench.RealClaudeCodeCheck (src/test/java), which starts relay with its own
# embedded Redis and PostgreSQL on free ports and a fake Anthropic upstream, runs `claude -p "say hi"` of every
# version through a plain key and through keys restricted to Claude Code, and prints one PASS/FAIL line each.
# Exit code 0 = all passed, 1 = something failed, 2 = bad arguments. Not part of ./mvnw test.
#
# Usage: scripts/real-claude-code.sh [--no-build] [VERSION ...]
#   VERSION   exact @anthropic-ai/claude-code versions (default: 2.1.197 2.1.332)
#   --no-build  use the jar and test classes already in target/
# Environment: RELAY_CLAUDE_CODE_CACHE (default ~/.cache/relay/claude-code) holds one npm prefix per version.
set -euo pipefail
cd "$(dirname "$0")/.."

build=true
versions=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    -*) echo "unknown option $arg" >&2; exit 2 ;;
    *) versions+=("$arg") ;;
  esac
done
if [[ ${#versions[@]} -eq 0 ]]; then versions=(2.1.197 2.1.332); fi

cache="${RELAY_CLAUDE_CODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/relay/claude-code}"
probe_home="$(mktemp -d)"
trap 'rm -rf "$probe_home"' EXIT
clis=()
for version in "${versions[@]}"; do
  if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    echo "not an exact version: $version" >&2; exit 2
  fi
  prefix="$cache/$version"
  if [[ ! -x "$prefix/bin/claude" ]]; then
    echo "installing @anthropic-ai/claude-code@$version into $prefix"
    mkdir -p "$prefix"
    npm install --global --prefix "$prefix" --no-audit --no-fund "@anthropic-ai/claude-code@$version" \
      > "$prefix.install.log" 2>&1 || { echo "npm install failed, see $prefix.install.log" >&2; exit 1; }
  fi
  # the npm package may have moved on; make sure the binary is the pinned one
  installed="$(HOME="$probe_home" DISABLE_AUTOUPDATER=1 "$prefix/bin/claude" --version | awk '{print $1}')"
  if [[ "$installed" != "$version" ]]; then
    echo "$prefix/bin/claude is $installed, not $version" >&2; exit 1
  fi
  clis+=(--claude "$version=$prefix/bin/claude")
done

if [[ "$build" == true ]]; then
  # package compiles the test classes too (-DskipTests only skips running them)
  ./mvnw -B -q package -DskipTests
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
fi

rm -rf "$probe_home"
trap - EXIT
exec java -Xmx512m -Duser.timezone=UTC -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  dev.relay.bench.RealClaudeCodeCheck "${clis[@]}"
