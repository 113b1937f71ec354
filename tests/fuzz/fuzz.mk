# Fuzz targets (libFuzzer, clang); `make fuzz` runs each for FUZZ_SECONDS.
fuzz:
	@echo "no fuzz targets yet"
