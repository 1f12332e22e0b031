#!/usr/bin/env bash
# Instructions per pass over the corpus benchmark (convert's BenchmarkCorpus,
# Converter rows, both directions), counted by cachegrind: the difference
# between a run of 250 and one of 50 iterations, divided by 200, so that the
# set-up cancels. Counts repeat to about 0.3% where timed runs on a shared
# host vary by 5% or more: the way to A/B a small change to the engine.
#
#   bash bench/instructions.sh                 # the work tree
#   bash bench/instructions.sh OLD.test NEW.test   # test binaries (go test -c)
#
# Needs valgrind (apt-get install valgrind). Fewer instructions is not always
# less time (a byte loop can beat a vector search in time and lose in
# instructions): confirm a change with timed runs before keeping it.
set -euo pipefail
cd "$(dirname "$0")/../convert"
bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
  go test -c -o /tmp/apmigrate-convert.test .
  bins=(/tmp/apmigrate-convert.test)
fi
count() {
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$1" \
    -test.run '^$' -test.bench "^BenchmarkCorpus/$2/Converter\$" -test.cpu 1 -test.benchtime "$3x" 2>&1 |
    awk '/I *refs/ {gsub(",", "", $4); print $4}'
}
for b in "${bins[@]}"; do
  for d in beta-v1.0 v1.0-beta; do
    lo=$(count "$b" "$d" 50)
    hi=$(count "$b" "$d" 250)
    echo "$b $d $(( (hi - lo) / 200 )) instructions a pass"
  done
done
