"""Int8 export: ReLU layers that int8 TFLite would run outside XNNPACK become equal ones it runs.

XNNPACK (LiteRT's CPU delegate) does not take an int8 RELU op that stands alone,
one the converter could not fuse into the op before it: in U-Net decoders a ReLU
follows each skip concatenation. Every such op splits the delegated graph and runs
on TFLite's builtin kernels, with conversions at each border: the colorizer's
int8 U-Net ran in 7 XNNPACK partitions and was barely faster than float32.

`rewrite_standalone_relus` finds, in a calibrated int8 model, the RELU ops that
stand alone, maps them to their Keras layers, and returns a copy of the network
where those `ReLU` layers are `LeakyDifferenceReLU` (same names, the other layers
shared, weights included), which computes the same values from LEAKY_RELU, MUL and
SUB, all delegated. Models keep training with plain ReLU.
"""

from __future__ import annotations

import keras

from keras_gan.export.selective_int8 import group_by_layer
from keras_gan.layers.leaky_difference_relu import LeakyDifferenceReLU

_RELU_OP = "RELU"


def ops_with_outputs(content: bytes) -> list[tuple[str, list[str]]]:
    """(builtin op name, output tensor names) of each op of a `.tflite` model."""
    from tensorflow.lite.python import schema_py_generated as schema
    from tensorflow.lite.tools import flatbuffer_utils

    model = flatbuffer_utils.read_model_from_bytearray(bytearray(content))
    names = {code: name for name, code in vars(schema.BuiltinOperator).items() if name.isupper()}
    graph = model.subgraphs[0]
    found = []
    for op in graph.operators:
        code = model.operatorCodes[op.opcodeIndex]
        builtin = max(code.builtinCode, code.deprecatedBuiltinCode)
        outputs = [graph.tensors[index].name for index in op.outputs]
        outputs = [n.decode("utf-8") if isinstance(n, bytes) else n for n in outputs]
        found.append((names.get(builtin, str(builtin)), outputs))
    return found


def op_output_names(content: bytes) -> list[str]:
    """The output tensor names of the ops of a `.tflite` model, each once, in op order."""
    return list(dict.fromkeys(name for _, outputs in ops_with_outputs(content) for name in outputs))


def _layer_at(network: keras.Model, path: str):
    layer = network
    for name in path.split("/"):
        layer = layer.get_layer(name)
    return layer


def _is_plain_relu(layer) -> bool:
    if isinstance(layer, keras.layers.ReLU):
        config = layer.get_config()
        return (
            config.get("max_value") is None
            and not config.get("negative_slope")
            and not config.get("threshold")
        )
    if isinstance(layer, keras.layers.Activation):
        return layer.activation is keras.activations.relu
    return False


def standalone_relu_layers(network: keras.Model, content: bytes) -> list[str]:
    """Paths (`ab_generator/up5_relu`) of the ReLU layers whose RELU op stands alone in `content`."""
    ops = ops_with_outputs(content)
    relu_tensors = {name for op, outputs in ops if op == _RELU_OP for name in outputs}
    if not relu_tensors:
        return []
    paths = []
    for path, tensors in group_by_layer(network, op_output_names(content)).items():
        if relu_tensors.intersection(tensors):
            try:
                layer = _layer_at(network, path)
            except ValueError:  # an op of no layer
                continue
            if _is_plain_relu(layer):
                paths.append(path)
    return paths


def with_delegable_relus(network: keras.Model, paths: list[str]) -> keras.Model:
    """A copy of `network` whose layers at `paths` are `LeakyDifferenceReLU`.

    The other layers are shared with `network` (weights included); nested functional
    models are copied the same way and keep their names.
    """
    targets = {id(_layer_at(network, path)) for path in paths}

    def swap(layer):
        if id(layer) in targets:
            return LeakyDifferenceReLU(name=layer.name, dtype=layer.dtype_policy)
        return layer

    return keras.models.clone_model(network, clone_function=swap, recursive=True)


def rewrite_standalone_relus(network: keras.Model, content: bytes) -> tuple[keras.Model, list[str]]:
    """`network` with its standalone-RELU layers rewritten, and their paths.

    Returns `network` itself and `[]` when `content` has no standalone RELU, or when
    the network is not functional (a subclassed model cannot be copied layer by layer).
    """
    paths = standalone_relu_layers(network, content)
    if not paths:
        return network, []
    try:
        return with_delegable_relus(network, paths), paths
    except ValueError:  # clone_model takes functional and sequential models only
        return network, []
