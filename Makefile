# The two commands of the README. Everything else is CMake's job.
#   make demo   build, then run the CLI on the bundled sample data (validate, convert,
#               stats, import, info, filter), ending with its report
#   make test   every test: unit tests (gcc, zlib's deflate), the same under
#               ASan+UBSan (clang, libdeflate: both deflate backends covered), the
#               bindings' reading on threads under TSan,
#               public headers alone as C99 and C++, an installed-library consumer
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SAMPLE := examples/data/feedback-sample.csv
FEEDBACK := build/cli/feedback

.PHONY: demo test

demo:
	@sh scripts/install-deps.sh
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build build -j $(JOBS)
	@mkdir -p build/demo
	@echo "== feedback validate $(SAMPLE)"
	$(FEEDBACK) validate $(SAMPLE)
	@echo "== feedback convert $(SAMPLE) build/demo/feedback-sample.jsonl"
	$(FEEDBACK) convert $(SAMPLE) build/demo/feedback-sample.jsonl
	@echo "== feedback stats build/demo/feedback-sample.jsonl"
	$(FEEDBACK) stats build/demo/feedback-sample.jsonl
	@rm -f build/demo/feedback-sample.fblog # import appends: start afresh each time
	@echo "== feedback import $(SAMPLE) -o build/demo/feedback-sample.fblog"
	$(FEEDBACK) import $(SAMPLE) -o build/demo/feedback-sample.fblog
	@echo "== feedback info build/demo/feedback-sample.fblog"
	$(FEEDBACK) info build/demo/feedback-sample.fblog
	@echo "== feedback filter $(SAMPLE) -o build/demo/relevant.csv --rejected build/demo/rejected.csv"
	$(FEEDBACK) filter $(SAMPLE) -o build/demo/relevant.csv --rejected build/demo/rejected.csv
	@echo "== feedback report build/demo/feedback-sample.fblog --by channel --period year --compare previous --min-n 20"
	$(FEEDBACK) report build/demo/feedback-sample.fblog --by channel --period year --compare previous --min-n 20

test:
	@sh scripts/install-deps.sh
	cmake -S . -B build -DFB_WERROR=ON
	cmake --build build -j $(JOBS)
	cd build && ctest --output-on-failure -j $(JOBS)
	cmake -S . -B build/asan -DFB_WERROR=ON -DFB_SANITIZE=ON -DFB_WITH_LIBDEFLATE=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug
	cmake --build build/asan -j $(JOBS)
	cd build/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)
	cmake -S . -B build/tsan -DFB_WERROR=ON -DFB_SANITIZE_THREAD=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug -DFB_BUILD_CLI=OFF -DFB_BUILD_PYTHON=OFF -DFB_BUILD_LUA=OFF
	cmake --build build/tsan -j $(JOBS) --target test_fbb
	cd build/tsan && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -R '^test_fbb$$'
