#!/usr/bin/env bash
# Reproduces the measurements of the "Fast and small" targets on this
# machine: the Go benchmarks of convert (single core), then the bench/compare
# harness (single core, 1 against 2 workers, the machine's ceiling for a file
# rewrite, peak memory streaming a 1 GiB NDJSON file through the CLI, CPU
# profiles of the conversion loop), which prints the results as Markdown
# with PASS or FAIL per target.
#
#   bash bench/compare.sh            # the full run, about 20 minutes
#   bash bench/compare.sh --quick    # smaller and shorter, about 1 minute
#   bash bench/compare.sh -- -only single -rounds 5   # flags for bench/compare
#
# Everything generated goes to bench/out (not committed): gobench.txt,
# results.md, cpu.pprof and cpu-v1.0-beta.pprof, the built binaries.
# Run it on an otherwise idle machine: the report flags every measurement
# during which other processes took more than a quarter of a core.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

quick=
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --) shift; args+=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) args+=("$1") ;;
  esac
  shift
done

mkdir -p bench/out
if [ ! -x /usr/bin/time ]; then
  echo "note: /usr/bin/time is missing (apt-get install time); peak memory comes from the wait4 rusage instead" >&2
fi

go build -o bench/out/compare ./bench/compare
bench/out/compare -waitonly ${args[@]+"${args[@]}"}

echo "== go test -bench (GOMAXPROCS=1)" >&2
if [ -n "$quick" ]; then
  bt=(-benchtime 200ms -count 1)
else
  bt=(-benchtime 1s -count 3)
fi
go test ./convert -run '^$' -bench '^Benchmark(Convert|Corpus|NDJSON|Stream|BaselineEncodingJSON|BaselineJSONValid|BaselineGjsonValid|ValidatingPass)$' -benchmem -cpu 1 "${bt[@]}" 2>&1 | tee bench/out/gobench.txt >&2 ||
  echo "go test -bench failed (see above); going on with bench/compare" >&2

echo "== bench/compare" >&2
flags=(-cpuprofile bench/out/cpu.pprof -out bench/out/results.md)
if [ -n "$quick" ]; then
  flags+=(-quick)
fi
bench/out/compare "${flags[@]}" ${args[@]+"${args[@]}"}
echo >&2
echo "report: bench/out/results.md; Go benchmarks: bench/out/gobench.txt; profiles: bench/out/cpu*.pprof" >&2
