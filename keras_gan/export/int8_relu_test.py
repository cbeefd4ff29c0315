import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.export.int8_relu import (
    rewrite_standalone_relus,
    standalone_relu_layers,
    with_delegable_relus,
)
from keras_gan.export.parity import tflite_op_summary
from keras_gan.export.tflite import load_interpreter
from keras_gan.layers.leaky_difference_relu import LeakyDifferenceReLU

pytest.importorskip("ai_edge_litert")
L = keras.layers
SHAPE = (1, 16, 16, 3)


def _network():
    """A decoder block nested in an outer model: one ReLU fuses into its conv, one cannot."""
    images = keras.Input(SHAPE[1:])
    fused = L.ReLU(name="conv_relu")(L.Conv2D(8, 3, padding="same", name="conv_a")(images))
    branch = L.Conv2D(8, 3, padding="same", name="conv_b")(fused)
    merged = L.ReLU(name="skip_relu")(L.Concatenate(name="skip")([fused, branch]))
    block = keras.Model(images, L.Conv2D(3, 3, padding="same", name="conv_c")(merged), name="block")
    outer_in = keras.Input(SHAPE[1:])
    return keras.Model(outer_in, L.Activation("tanh", name="out")(block(outer_in)), name="outer")


def _int8(network) -> bytes:
    function = tf.function(lambda x: network(x)).get_concrete_function(tf.TensorSpec(SHAPE))
    converter = tf.lite.TFLiteConverter.from_concrete_functions([function])
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    rng = np.random.default_rng(0)
    converter.representative_dataset = lambda: (
        [rng.uniform(-1, 1, SHAPE).astype("float32")] for _ in range(8)
    )
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    return converter.convert()


def _xnnpack_partitions(content: bytes) -> int:
    return tflite_op_summary(load_interpreter(content=content))["delegate_partitions"]


@pytest.fixture(scope="module")
def network():
    return _network()


def test_finds_only_the_relu_that_stands_alone(network):
    assert standalone_relu_layers(network, _int8(network)) == ["block/skip_relu"]


def test_rewrite_computes_the_same_and_keeps_names_and_weights(network):
    rewritten = with_delegable_relus(network, ["block/skip_relu"])
    block = rewritten.get_layer("block")
    assert isinstance(block.get_layer("skip_relu"), LeakyDifferenceReLU)
    assert type(block.get_layer("conv_relu")) is L.ReLU
    assert block.get_layer("conv_b") is network.get_layer("block").get_layer("conv_b")
    x = np.random.default_rng(1).uniform(-1, 1, SHAPE).astype("float32")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(rewritten(x)), keras.ops.convert_to_numpy(network(x)), atol=1e-6
    )


def test_rewritten_int8_graph_runs_in_one_xnnpack_partition(network):
    before = _int8(network)
    rewritten, paths = rewrite_standalone_relus(network, before)
    after = _int8(rewritten)
    assert paths == ["block/skip_relu"]
    assert _xnnpack_partitions(before) > 1  # the standalone int8 RELU splits the graph
    assert _xnnpack_partitions(after) == 1
    assert standalone_relu_layers(rewritten, after) == []


def test_nothing_to_rewrite_returns_the_network_itself():
    images = keras.Input(SHAPE[1:])
    plain = keras.Model(images, L.ReLU()(L.Conv2D(3, 3, padding="same")(images)))
    assert rewrite_standalone_relus(plain, _int8(plain)) == (plain, [])
