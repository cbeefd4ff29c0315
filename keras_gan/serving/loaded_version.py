"""`LoadedVersion`: one loaded SavedModel version and the one call path into it.

Besides the signatures it knows what planning a request needs: the facts the export
wrote (`assets.extra/keras_gan_serving.json`: scale, whether the network may run in
tiles), and its working memory per input pixel or per row, measured at load time by
`measure_memory`. `estimate_bytes` turns both into a request's memory need, and `run`
serves images larger than a tile tile by tile when the network is tile-safe, so the
need of such a model is bounded at any input size.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import numpy as np
import tensorflow as tf

from keras_gan.serving.memory import measure_peak_rise
from keras_gan.serving.tensors import signature_specs
from keras_gan.serving.tiles import DEFAULT_MARGIN, DEFAULT_TILE, run_in_tiles

logger = logging.getLogger("keras_gan.serving")

SERVING_FACTS = Path("assets.extra") / "keras_gan_serving.json"
PROBE_ROWS = 4
"""Rows of the probe call of models without image inputs (noise models)."""
MIN_WORKING_BYTES_PER_PIXEL = 64
"""A floor for the measured figure: the probe may reuse memory an earlier call freed."""


def read_signature_defs(path: str | Path, tag: str = "serve"):
    """The `SignatureDef` map of the `tag` meta graph of `path/saved_model.pb`."""
    from tensorflow.core.protobuf import saved_model_pb2

    saved_model = saved_model_pb2.SavedModel()
    saved_model.ParseFromString((Path(path) / "saved_model.pb").read_bytes())
    for meta_graph in saved_model.meta_graphs:
        if tag in meta_graph.meta_info_def.tags:
            return {
                name: definition
                for name, definition in meta_graph.signature_def.items()
                if not name.startswith("__")
            }
    raise ValueError(f"{path} has no meta graph tagged {tag!r}.")


def read_serving_facts(path: Path) -> dict:
    """The export's facts about the network ({} for SavedModels written elsewhere)."""
    facts_path = Path(path) / SERVING_FACTS
    if not facts_path.is_file():
        return {}
    try:
        facts = json.loads(facts_path.read_text())
    except (OSError, ValueError) as error:
        logger.warning("Ignoring %s: %s", facts_path, error)
        return {}
    return facts if isinstance(facts, dict) else {}


def _declared_pixels(encoded) -> int:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(encoded)) as image:
            width, height = image.size
    except Exception:  # check_inputs has already refused unreadable images
        return 0
    return width * height


def image_input(spec) -> str | None:
    """The name of a signature's 4-D image input [N, H, W, C], if it has one."""
    for name, tensor in spec.inputs.items():
        if tensor.shape is not None and len(tensor.shape) == 4 and tensor.dtype != tf.string:
            return name
    return None


class LoadedVersion:
    """One loaded SavedModel version: its signatures, specs and a thread-safe `run`.

    Args:
        name: the served model name.
        version: the version number.
        path: the version folder.
        tile: input side of the tiles a tile-safe network runs in.
        tile_margin: input pixels of context each tile reads past the part it keeps.
    """

    def __init__(
        self,
        name: str,
        version: int,
        path: Path,
        tile: int = DEFAULT_TILE,
        tile_margin: int = DEFAULT_MARGIN,
    ):
        self.name = name
        self.version = version
        self.path = Path(path)
        self.signature_defs = read_signature_defs(path)
        self.specs = signature_specs(self.signature_defs)
        self.facts = read_serving_facts(self.path)
        self.scale = int(self.facts.get("scale", 1))
        self.tile_safe = bool(self.facts.get("tile_safe", False))
        budget = self.facts.get("memory_budget_mb")  # `export savedmodel --memory-budget-mb`
        valid = isinstance(budget, int) and not isinstance(budget, bool) and budget > 0
        self.memory_budget_bytes: int | None = budget * 2**20 if valid else None
        self.tile = tile
        self.tile_margin = tile_margin
        self.working_bytes_per_pixel: int | None = None
        self.working_bytes_per_row: int | None = None
        self._loaded = tf.saved_model.load(str(path), tags=["serve"])
        self._functions = {name: self._loaded.signatures[name] for name in self.specs}

    def _call(self, signature: str, inputs: dict) -> dict:
        function = self._functions[signature]
        outputs = function(**{key: tf.convert_to_tensor(value) for key, value in inputs.items()})
        return {key: np.asarray(value) for key, value in outputs.items()}

    def tiled(self, signature: str, inputs: dict) -> bool:
        """Whether `run` serves these inputs tile by tile."""
        key = image_input(self.specs[signature])
        if not self.tile_safe or key is None or key not in inputs:
            return False
        height, width = inputs[key].shape[1:3]
        return height > self.tile or width > self.tile

    def run(self, signature: str, inputs: dict) -> dict:
        """Runs `signature` on NumPy `inputs`; returns `{output: array}`."""
        if not self.tiled(signature, inputs):
            return self._call(signature, inputs)
        key = image_input(self.specs[signature])
        return run_in_tiles(
            lambda piece: self._call(signature, piece),
            inputs,
            key,
            self.scale,
            self.tile,
            self.tile_margin,
        )

    # Memory ---------------------------------------------------------------------------

    def measure_memory(self, signature: str = "serving_default", side: int | None = None) -> None:
        """Measures the working memory of one call of `signature` (at load, before serving)."""
        spec = self.specs.get(signature) or next(iter(self.specs.values()))
        key = image_input(spec)
        inputs = {}
        for name, tensor in spec.inputs.items():
            shape = list(tensor.shape or ())
            if name == key:
                probe = side or (self.tile if self.tile_safe else 128)
                shape = [1, *(size or probe for size in shape[1:])]
            elif shape:
                shape = [PROBE_ROWS if key is None else 1, *(size or 1 for size in shape[1:])]
            dtype = tensor.dtype.as_numpy_dtype
            inputs[name] = np.zeros(shape, dtype) if tensor.dtype != tf.string else None
        if any(value is None for value in inputs.values()):
            return  # encoded-image signatures: not probed
        # A small call first, so that building the graph's kernels is not counted.
        small = {
            name: value[:1, :16, :16] if name == key else value[:1]
            for name, value in inputs.items()
        }
        self._call(spec.name, small)
        rise = measure_peak_rise(lambda: self._call(spec.name, inputs))
        if rise is None:
            return
        if key is not None:
            height, width = inputs[key].shape[1:3]
            self.working_bytes_per_pixel = max(
                MIN_WORKING_BYTES_PER_PIXEL, rise // (height * width)
            )
        else:
            self.working_bytes_per_row = max(1, rise // PROBE_ROWS)
        logger.info(
            "%s version %d: working memory %s per %s",
            self.name,
            self.version,
            self.working_bytes_per_pixel or self.working_bytes_per_row,
            "input pixel" if key is not None else "row",
        )

    def estimate_bytes(self, signature: str, inputs: dict, rows: int) -> int:
        """The memory a request needs: its buffers and the working memory of its largest call."""
        spec = self.specs[signature]
        buffers = sum(int(getattr(value, "nbytes", 0)) for value in inputs.values())
        key = image_input(spec)
        if key is not None and key in inputs:
            batch, height, width, channels = inputs[key].shape
            outputs = batch * height * width * self.scale**2 * 3 * 4  # float32 worst case
            if self.tiled(signature, inputs):
                call_pixels = self.tile * self.tile
            else:
                call_pixels = batch * height * width
            working = (self.working_bytes_per_pixel or MIN_WORKING_BYTES_PER_PIXEL) * call_pixels
            return buffers + outputs + working
        encoded = [value for name, value in inputs.items() if name.endswith("image_bytes")]
        if encoded:  # decoded inside the graph, whole: count the pixels the headers declare
            pixels = sum(_declared_pixels(item) for value in encoded for item in value.reshape(-1))
            per_pixel = self.working_bytes_per_pixel or MIN_WORKING_BYTES_PER_PIXEL
            return buffers + pixels * (per_pixel + 4 * (1 + self.scale**2))
        per_row = self.working_bytes_per_row or 0
        return buffers + per_row * rows

    def warm_up(self) -> int:
        """Replays `assets.extra/tf_serving_warmup_requests` once; returns the record count."""
        from keras_gan.export.warmup import read_warmup_requests, warmup_path

        path = warmup_path(self.path)
        if not path.is_file():
            return 0
        requests = read_warmup_requests(path)
        for _, signature, inputs in requests:
            self.run(signature, inputs)
        return len(requests)
