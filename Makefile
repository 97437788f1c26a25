# bbcov: the two commands of the README are `make demo` and `make test`.
# Both install what they need first (scripts/setup.sh, idempotent).

CARGO ?= cargo
REGION := data-samples/region
OUT := out
BBCOV := target/release/bbcov

.PHONY: setup build sample demo test bench clean wasm web test-web

setup:
	@scripts/setup.sh

build: setup
	$(CARGO) build --release -p bbcov-cli -p bbcov-samples

$(REGION)/households.gpkg: setup
	$(CARGO) run --release -q -p bbcov-samples -- --out $(REGION)

sample: $(REGION)/households.gpkg

# The main job on the bundled sample region.
demo: build sample
	$(BBCOV) demo --region $(REGION)/region.toml -o $(OUT)
	@echo "Browser map of the sample region: scripts/serve-map.sh, then open http://localhost:8765/"

# The whole test suite.
test: setup sample
	$(CARGO) test --workspace --exclude bbcov-benches
	$(CARGO) test -p bbcov-core --no-default-features
	scripts/setup-python.sh
	.venv/bin/pytest python/tests
	scripts/build-wasm.sh
	node --test wasm/tests/
	scripts/test-web.sh
	$(CARGO) test -p bbcov-benches --lib --bins
	$(CARGO) test -p bbcov-benches --benches -- --test

# WebAssembly package (wasm/pkg/web, wasm/pkg/node) and its size report.
wasm:
	scripts/build-wasm.sh

# The planners' browser map (wasm/www/dist) and its browser tests.
web: wasm
	scripts/build-web.sh

test-web: sample
	scripts/test-web.sh

bench: setup
	$(CARGO) bench -p bbcov-benches
	benches/fiber_vs_geopandas.sh 1M

clean:
	$(CARGO) clean
	rm -rf $(REGION) $(OUT) wasm/www/dist wasm/e2e/artifacts
