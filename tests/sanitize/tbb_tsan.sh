#!/usr/bin/env bash
# Builds oneTBB (Debian's own source package, same version as libtbb-dev) with ThreadSanitizer
# into build-tsan-deps/tbb. Debian's libtbb is not instrumented, so TSan cannot see the
# synchronisation inside parallel_for and reports every hand-over between threads as a race;
# with an instrumented TBB the report is trustworthy. Takes under a minute on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build-tsan-deps
[ -f "$out/tbb/lib/cmake/TBB/TBBConfig.cmake" ] && exit 0
if ! apt-get source --print-uris onetbb >/dev/null 2>&1; then
  # Source packages come from the same archive as the binary ones: copy the machine's own
  # entry with Types: deb-src (no extra host).
  [ "$(id -u)" = 0 ] || { echo "tbb_tsan: needs deb-src entries; run as root once"; exit 1; }
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/redes-deb-src.sources
  apt-get update -qq
fi
mkdir -p "$out/src"
(cd "$out/src" && apt-get source -qq onetbb >/dev/null 2>&1)
src=$(ls -d "$out"/src/onetbb-*/ | head -n 1)
cmake -S "$src" -B "$out/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF \
  -DTBBMALLOC_BUILD=OFF -DTBB_SANITIZE=thread -DTBB_STRICT=OFF -DCMAKE_CXX_FLAGS="-Wno-error -Wno-tsan" \
  -DCMAKE_INSTALL_PREFIX="$PWD/$out/tbb" >/dev/null
cmake --build "$out/build" -j 2 >/dev/null
cmake --install "$out/build" >/dev/null
echo "tbb_tsan: instrumented oneTBB in $out/tbb"
