# The two commands of the README: `make demo` (the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FASHION_MNIST := /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
PHOTO_PACKAGES := opencv-doc plasma-workspace-wallpapers
PYTEST_ARGS ?=

.PHONY: demo test test-fast lint format bench bench-quality data clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Fashion-MNIST comes from Debian's dataset-fashion-mnist package (idx files); sample
# photos for make-data photo-pairs from opencv-doc and plasma-workspace-wallpapers.
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
	@# Optional sample photos for `keras-gan make-data photo-pairs` (never fails the target).
	@if dpkg -s $(PHOTO_PACKAGES) >/dev/null 2>&1; then \
		echo "Sample photos ($(PHOTO_PACKAGES)): found"; \
	elif [ "$$(id -u)" = "0" ] && \
		(apt-get install -y -q --no-install-recommends $(PHOTO_PACKAGES) || \
		 (apt-get update -q && apt-get install -y -q --no-install-recommends $(PHOTO_PACKAGES))) \
		>/dev/null 2>&1; then \
		echo "Sample photos: installed $(PHOTO_PACKAGES)"; \
	else \
		echo "Note: $(PHOTO_PACKAGES) not installed ('sudo apt-get install -y $(PHOTO_PACKAGES)');" \
		     "make-data photo-pairs will use the scikit-image and scikit-learn photos only."; \
	fi

demo: $(STAMP) data
	$(BIN)/keras-gan demo --out runs/demo

test: $(STAMP) data
	$(BIN)/ruff check keras_gan tests bench
	$(BIN)/pytest -q --timeout=900 $(PYTEST_ARGS)

test-fast: $(STAMP) data
	$(BIN)/pytest -q --timeout=900 -m "not slow" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check keras_gan tests bench
	$(BIN)/ruff format --check keras_gan tests bench

format: $(STAMP)
	$(BIN)/ruff format keras_gan tests bench
	$(BIN)/ruff check --fix keras_gan tests bench

bench: $(STAMP) data
	$(BIN)/python bench/train_throughput.py --out bench/out/train_throughput.json

# About an hour on 2 CPU cores: trains every noise-to-image family on Fashion-MNIST.
bench-quality: $(STAMP) data
	$(BIN)/python bench/quality.py --steps 3000 --out bench/out/quality.json

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache
