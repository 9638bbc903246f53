# Thin wrapper over CMake and the tools. `make demo` and `make test` set up everything they need
# on a fresh Debian 12 machine (packages when run as root, then the build).
# Python with h5py for pytest (the report and export find theirs: `redes report`, `redes export`).
PY      ?= $(or $(REDES_PYTHON),/usr/bin/python3)
BUILD   := build
JOBS    ?= 2
REPLICATES ?= 10
DEBS := cmake ninja-build g++ pkg-config git \
        libboost-graph-dev libtbb-dev libyaml-cpp-dev libhdf5-dev hdf5-tools librandom123-dev \
        libgtest-dev libbenchmark-dev libcli11-dev libspdlog-dev libfmt-dev libopenmpi-dev openmpi-bin \
        python3 python3-h5py python3-pandas python3-matplotlib python3-numpy python3-scipy python3-pytest \
        python3-xarray python3-h5netcdf libcpp-httplib-dev nlohmann-json3-dev libjs-chart.js python3-selenium \
        libeigen3-dev libdeflate-dev clang clang-format clang-tidy pybind11-dev python3-dev python3-pyflakes
# Optional: the report and workshop-app tests render in headless Chromium (with its Selenium driver) when installed.
BROWSER_DEBS := chromium chromium-driver

.PHONY: deps deps-browser lint tidy build build-redes demo decide test fuzz bench bench-sweep calibrate sanitize sanitize-asan sanitize-tsan docs screenshot clean golden-update

deps:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present"; \
	elif [ "$$(id -u)" = 0 ]; then echo "deps: installing $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "deps: missing packages; run as root:"; echo "  apt-get install -y $$missing"; exit 1; fi

# Optional: a failure here only means the browser test is skipped (it says so).
deps-browser:
	@[ "$$(dpkg-query -W -f='$${Status}\n' $(BROWSER_DEBS) 2>/dev/null | grep -c "ok installed")" = "$(words $(BROWSER_DEBS))" ] || \
	  { if [ "$$(id -u)" = 0 ]; then { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends $(BROWSER_DEBS); } || echo "deps-browser: chromium not installed; the browser test will be skipped"; \
	    else echo "deps-browser: optional; as root: apt-get install -y $(BROWSER_DEBS)"; fi; }

build: deps
	cmake --preset default >/dev/null
	cmake --build --preset default -j $(JOBS)

# Only the redes executable (no test suite, benchmarks or fuzzers): what demo, decide and calibrate run.
build-redes: deps
	cmake --preset default >/dev/null
	cmake --build --preset default -j $(JOBS) --target redes

# The main job: the whole-country baseline as calibrated to the records (with the 2020 pandemic),
# then prevention compared on a 1:10 sample of it with common random numbers, then one HTML report.
demo: build-redes
	mkdir -p out
	./$(BUILD)/redes run scenarios/paraguay/calibrated.yaml --replicates 2 -o out/baseline.h5
	./$(BUILD)/redes compare scenarios/paraguay/calibrated-sample.yaml scenarios/paraguay/interventions/*.yaml \
	  --replicates $(REPLICATES) -o out/compare.h5
	./$(BUILD)/redes report out/ -o out/report.html

# The decision section (README "Decisions under uncertainty"): draws of the posterior (when
# `make calibrate` has written out/calibration.h5) and of intervention effects and costs, x
# replicates per arm, on the 1:10 sample; then the section as HTML.
DRAWS ?= 20
decide: build-redes
	mkdir -p out
	./$(BUILD)/redes compare scenarios/paraguay/calibrated-sample.yaml scenarios/paraguay/interventions/*.yaml \
	  --draws $(DRAWS) --replicates 2 $$(test -f out/calibration.h5 && echo --posterior out/calibration.h5) \
	  -o out/decision.h5
	./$(BUILD)/redes report out/decision.h5 --decision -o out/decision.html

# The fuzzers run last (about 4 minutes with their build): every regression input, then a
# fixed-seed run of a fixed number of inputs per target (the same on every machine; `make fuzz`
# searches anew); any crash, leak, out-of-memory or slow input fails the test.
test: build deps-browser lint
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	REDES_BIN=$(CURDIR)/$(BUILD)/redes $(PY) -m pytest -q --durations=15 tests/python
	bash tests/fuzz/run.sh --fixed

# Static checks that run in make test (seconds): pyflakes over every tracked Python file (unused
# imports and names, undefined names), and clang-format (.clang-format) leaving every C++ file as it is.
lint: deps
	pyflakes3 $$(git ls-files '*.py' 2>/dev/null || find analysis sim/python tests -name '*.py')
	clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.hpp' '*.h' 2>/dev/null || find sim tests -name '*.[ch]pp')

# clang-tidy (.clang-tidy: bugprone, performance, selected modernize) over every source file of sim/,
# warnings as errors. Not in make test: its 6 minutes on 2 cores would push CI past its 30-minute budget.
tidy: build
	run-clang-tidy -p $(BUILD) -j $(JOBS) -quiet '$(CURDIR)/sim/.*\.cpp$$'

# libFuzzer (clang, ASan+UBSan) on the scenario loader, edge lists, journals and HDF5 reading;
# inputs that once failed (tests/fuzz/regressions) are replayed first.
FUZZ_SECONDS ?= 300
fuzz: build
	bash tests/fuzz/run.sh $(FUZZ_SECONDS)

# Google Benchmark micro-benchmarks; build, load and one simulated year at 100 k, 1 M and 6.1 M persons
# (2 threads); the speed-up of 2 threads over 1 at 1 M, median of 12 pairs of runs; the 1:10 Paraguay
# five-year run with its population loaded; then the sweep. Two builds side by side: tests/bench/compare_builds.py A B -- ARGS.
bench: build bench-sweep
	./$(BUILD)/bench_engine --benchmark_min_time=0.5
	./$(BUILD)/scale_run
	./$(BUILD)/scale_run --pairs 12 1000000
	mkdir -p out
	./$(BUILD)/redes population scenarios/paraguay/calibrated-sample.yaml -o out/bench-sample-population.h5
	./$(BUILD)/redes run scenarios/paraguay/calibrated-sample.yaml --population out/bench-sample-population.h5 \
	  --replicates 1 -o out/bench-sample.h5

# 1,000 workshop runs from scratch: runs per minute and the share of time outside simulation.
bench-sweep: build
	rm -f out/bench-sweep.h5 out/bench-sweep.h5.journal
	./$(BUILD)/redes sweep tests/bench/workshop-1000.yaml -o out/bench-sweep.h5

# Fits the Paraguay baseline's recruitment, victim profile and recording to the recorded tables and
# writes scenarios/paraguay/calibrated.yaml (13-22 minutes on 2 cores; README, "Calibration").
calibrate: build-redes
	./$(BUILD)/redes calibrate scenarios/paraguay/calibration.yaml -o out/calibration.h5 \
	  --write-scenario scenarios/paraguay/calibrated.yaml

# ASan+UBSan over the whole suite, TSan over the parallel engine tests (with an instrumented oneTBB).
sanitize: sanitize-asan sanitize-tsan

sanitize-asan: deps
	cmake --preset asan >/dev/null && cmake --build --preset asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

sanitize-tsan: deps
	bash tests/sanitize/tbb_tsan.sh
	cmake --preset tsan >/dev/null && cmake --build --preset tsan -j $(JOBS)
	TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/tests/sanitize/tsan.supp" ./build-tsan/tests/redes_tests \
	  --gtest_filter='DeterminismEngine.*:PopulationDeterminism.*:NetworkDeterminism.*:InterventionZero.EveryType*:SweepRunner.*:VictimAges.*:H5Test.OneDimensional*:WorldFile.*:TaskRunner.*:Study.ArmsContinuing*'

# Rewrites the golden regression files (tests/golden) on purpose: review the diff and commit it on its own,
# saying why the numbers changed.
golden-update: build
	$(PY) tests/golden/golden.py update --redes $(BUILD)/redes

clean:
	rm -rf $(BUILD) build-asan build-tsan build-tsan-deps build-fuzz

# Tables generated from the code: every scenario key (scenarios/README.md) and every dataset of a
# run file (sim/output/output_format.md); tests fail when either is out of date.
docs: build
	{ sed '/^| key | type | range | default | meaning |$$/q' scenarios/README.md; echo '|---|---|---|---|---|'; \
	  ./$(BUILD)/redes list keys tests/data/all_keys.yaml --markdown; } > scenarios/README.md.tmp && mv scenarios/README.md.tmp scenarios/README.md
	{ sed '/^<!-- run-datasets: generated by make docs -->$$/q' sim/output/output_format.md; ./$(BUILD)/redes list outputs --markdown; \
	  sed -n '/^<!-- end run-datasets -->$$/,$$p' sim/output/output_format.md; } > sim/output/output_format.md.tmp && \
	  mv sim/output/output_format.md.tmp sim/output/output_format.md

# The README's report and workshop-app screenshots, produced by the code from the workshop pack.
screenshot: build
	rm -rf out/shot && mkdir -p out/shot
	./$(BUILD)/redes run scenarios/workshop/small.yaml --replicates 8 -o out/shot/run.h5
	./$(BUILD)/redes compare scenarios/workshop/small.yaml scenarios/workshop/literacy.yaml \
	  scenarios/workshop/moderation.yaml scenarios/workshop/reporting.yaml --replicates 10 -o out/shot/compare.h5
	./$(BUILD)/redes report out/shot -o out/shot/report.html
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
	  --disable-sync --no-first-run --user-data-dir=out/shot/chromium --hide-scrollbars --window-size=1100,1500 \
	  --screenshot=analysis/report-screenshot.png file://$(CURDIR)/out/shot/report.html
	REDES_BIN=$(CURDIR)/$(BUILD)/redes $(PY) tests/python/serve_screenshot.py sim/serve/app-screenshot.png
