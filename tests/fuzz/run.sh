#!/usr/bin/env bash
# Builds the libFuzzer targets with Debian's clang (ASan+UBSan) in their own build directory,
# compiling only the sources each target needs, then runs each for FUZZ_SECONDS on a seed corpus
# made from scenarios/ and the test files. A crash leaves crash-* in build-fuzz/<target>/ and fails.
#   tests/fuzz/run.sh [seconds per target]      (make fuzz: 5 minutes each, a new search every time)
#   tests/fuzz/run.sh --fixed                   (make test: the regressions, then a fixed-seed run of a
#                                                fixed number of inputs: the same inputs on every machine)
# make test gates on the fixed run because a time-bounded random search can find something new on
# any run, which would fail CI for a finding that has nothing to do with the change under test.
set -euo pipefail
cd "$(dirname "$0")/../.."
FIXED=0
if [ "${1:-}" = --fixed ]; then FIXED=1; shift; fi
SECONDS_EACH=${1:-${FUZZ_SECONDS:-60}}
# Inputs per target in the fixed run (about 30 s each on 2 cores under ASan; fuzz_h5 about 10 s). The
# fixed run starts from an empty corpus and fixed seeds (fuzz_h5: a run file kept in tests/fuzz/seeds,
# since a fresh one has other timestamps), so every machine runs the same inputs; fuzz_h5 only nearly
# (two runs with one seed found different inputs: libhdf5's paths depend on more than the bytes).
declare -A FIXED_RUNS=([fuzz_scenario]=20000 [fuzz_edge_list]=100000 [fuzz_journal]=100000 [fuzz_h5]=5000)
OUT=build-fuzz
CXX=${FUZZ_CXX:-clang++}
command -v "$CXX" >/dev/null || { echo "fuzz: $CXX not found (apt-get install clang)"; exit 1; }
CCACHE=$(command -v ccache || true)
FLAGS=(-std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
       -I. -I/usr/include/hdf5/serial)
mkdir -p "$OUT/obj"
compile() {  # source -> object (incremental)
  local src=$1 obj="$OUT/obj/$(echo "$1" | tr / _).o"
  if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find sim -name '*.hpp' -newer "$obj" -print -quit)" ]; then
    $CCACHE "$CXX" "${FLAGS[@]}" -c "$src" -o "$obj"
  fi
  echo "$obj"
}
declare -A SOURCES=(
  # The loader parses interventions too (scenario_from_tree builds them once, at load).
  [fuzz_scenario]="sim/scenario/yaml_tree.cpp sim/scenario/reader.cpp sim/core/errors.cpp sim/scenario/scenario.cpp $(echo sim/interventions/*.cpp) sim/decision/distribution.cpp"
  [fuzz_edge_list]="sim/network/edge_list.cpp sim/core/errors.cpp"
  [fuzz_journal]="sim/sweep/journal.cpp sim/sweep/run_record.cpp sim/core/errors.cpp"
  [fuzz_h5]="sim/output/h5.cpp sim/output/safe_output.cpp sim/scenario/yaml_tree.cpp sim/scenario/reader.cpp sim/core/errors.cpp"
)
LIBS=(-L/usr/lib/x86_64-linux-gnu/hdf5/serial -lhdf5_hl -lhdf5 -lyaml-cpp -ltbb -ldeflate)
# Seeds: the scenarios and test YAML for the loader, test CSVs for the edge lists, redes HDF5
# files from tests/data for the reader; the journal starts from nothing (its format is tiny).
seed() {
  local t=$1 dir="$OUT/$t/seeds"
  rm -rf "$dir"; mkdir -p "$dir"
  case $t in
    fuzz_scenario) find scenarios tests -name '*.yaml' -size -64k -exec cp -t "$dir" --backup=numbered {} + ;;
    fuzz_edge_list) find tests -name '*.csv' -size -64k -exec cp -t "$dir" --backup=numbered {} + ; printf '0,1\n1,2\n' > "$dir/min.csv" ;;
    fuzz_h5) cp tests/fuzz/seeds/fuzz_h5/* "$dir/"  # a run file of the tiny test scenario, kept
             if [ $FIXED = 0 ] && [ -x build/redes ]; then  # and, for open searches, a fresh one
               build/redes run tests/data/sweep_tiny_scenario.yaml --replicates 1 --threads 1 -o "$dir/run-now.h5" >/dev/null 2>&1 || true
             fi
             printf '\x89HDF\r\n\x1a\n' > "$dir/magic.h5" ;;
    fuzz_journal) printf '\0\0\0\0\0\0\0\0' > "$dir/empty" ;;
  esac
}
status=0
for t in fuzz_scenario fuzz_edge_list fuzz_journal fuzz_h5; do
  objs=()
  for s in ${SOURCES[$t]} tests/fuzz/$t.cpp; do objs+=("$(compile "$s")"); done
  mkdir -p "$OUT/$t/corpus"
  "$CXX" "${FLAGS[@]}" -fsanitize=fuzzer "${objs[@]}" "${LIBS[@]}" -o "$OUT/$t/$t"
  seed "$t"
  if [ $FIXED = 1 ] && [ "${FIXED_RUNS[$t]}" = 0 ]; then echo "fuzz: $t, regression inputs only";
  elif [ $FIXED = 1 ]; then echo "fuzz: $t, ${FIXED_RUNS[$t]} inputs from seed 1"; else echo "fuzz: $t for ${SECONDS_EACH}s"; fi
  # libhdf5 itself leaks on some malformed files (allocations inside the library, not reachable
  # from redes); leak checking stays on for the other targets.
  leaks=$([ $t = fuzz_h5 ] && echo 0 || echo 1)
  # Regression inputs (crashes found earlier, now fixed) run first, then the bounded search.
  if [ -d "tests/fuzz/regressions/$t" ]; then ASAN_OPTIONS=detect_leaks=$leaks "$OUT/$t/$t" tests/fuzz/regressions/$t/* >/dev/null 2>&1 || { echo "fuzz: $t regression input crashes"; status=1; }; fi
  rm -f "$OUT/$t"/crash-* "$OUT/$t"/leak-* "$OUT/$t"/oom-* "$OUT/$t"/timeout-*
  # -timeout: an input slower than 30 s is a finding (timeout-*), not a hang; the outer timeout
  # bounds the whole target even if libFuzzer stops checking its clock. Memory: ASan's own hard
  # limit (1 GiB) saves the input as crash-*; libFuzzer's -rss_limit_mb hung under ASan instead
  # (a 2 GB input was lost that way until the outer timeout).
  if [ $FIXED = 1 ]; then
    [ "${FIXED_RUNS[$t]}" = 0 ] && continue
    bound=(-seed=1 -runs="${FIXED_RUNS[$t]}"); limit=300
    corpus=fixed-corpus; rm -rf "$OUT/$t/$corpus"; mkdir -p "$OUT/$t/$corpus"  # not what earlier searches kept
  else
    bound=(-max_total_time="$SECONDS_EACH"); limit=$((SECONDS_EACH + 90)); corpus=corpus
  fi
  (cd "$OUT/$t" && ASAN_OPTIONS=detect_leaks=$leaks:hard_rss_limit_mb=1024 timeout --kill-after=10 $limit ./$t \
     "${bound[@]}" -timeout=30 -max_len=$([ $t = fuzz_h5 ] && echo 1048576 || echo 65536) -rss_limit_mb=0 \
     -print_final_stats=0 $corpus seeds 2>&1 | tail -3) || { echo "fuzz: $t failed or outlasted its bound"; status=1; }
  if ls "$OUT/$t"/crash-* "$OUT/$t"/leak-* "$OUT/$t"/oom-* "$OUT/$t"/timeout-* >/dev/null 2>&1; then
    echo "fuzz: $t found inputs that crash: $(ls "$OUT/$t"/crash-* "$OUT/$t"/leak-* "$OUT/$t"/oom-* "$OUT/$t"/timeout-* 2>/dev/null | tr '\n' ' ')"; status=1
  fi
done
exit $status
