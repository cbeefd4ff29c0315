import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.layers.inference_clip import InferenceClip
from keras_gan.models.super_resolution import (
    build_rrdbnet,
    build_sr_discriminator,
    build_srresnet,
    upsampling_factors,
)


def _tflite_builtin(network: keras.Model) -> bytes:
    """Converts `network` (height and width dynamic) with TFLite builtin ops only."""
    converter = tf.lite.TFLiteConverter.from_keras_model(network)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    return converter.convert()


def _interpreter(flatbuffer: bytes):
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        Interpreter = tf.lite.Interpreter
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tf.lite.Interpreter's deprecation notice
        return Interpreter(model_content=flatbuffer)


def _run_tflite(flatbuffer: bytes, x: np.ndarray) -> np.ndarray:
    interpreter = _interpreter(flatbuffer)
    detail = interpreter.get_input_details()[0]
    interpreter.resize_tensor_input(detail["index"], x.shape)
    interpreter.allocate_tensors()
    interpreter.set_tensor(detail["index"], x)
    interpreter.invoke()
    return interpreter.get_tensor(interpreter.get_output_details()[0]["index"])


def _low_res(shape, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, shape).astype("float32")


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_srresnet_upscales_any_size_into_the_unit_range(scale):
    network = build_srresnet(scale, filters=8, num_blocks=1)
    assert network.input_shape == (None, None, None, 3)
    for shape in ((2, 5, 7, 3), (1, 6, 4, 3)):
        y = np.asarray(network(_low_res(shape), training=False))
        assert y.shape == (shape[0], shape[1] * scale, shape[2] * scale, 3)
        assert np.all(np.abs(y) <= 1)
    prelus = [layer for layer in network.layers if isinstance(layer, keras.layers.PReLU)]
    assert prelus and all(tuple(p.shared_axes) == (1, 2) for p in prelus)


def test_srresnet_paper_configuration_has_the_papers_layers():
    network = build_srresnet()
    conv = lambda k, i, o: k * k * i * o + o  # noqa: E731
    norm, prelu = 4 * 64, 64  # batch norm: gamma, beta, moving mean, moving variance
    block = 2 * conv(3, 64, 64) + 2 * norm + prelu
    expected = (
        conv(9, 3, 64)
        + prelu
        + 16 * block
        + conv(3, 64, 64)
        + norm
        + 2 * (conv(3, 64, 256) + prelu)
        + conv(9, 64, 3)
    )
    assert network.count_params() == expected == 1_554_883
    assert sum(isinstance(layer, keras.layers.BatchNormalization) for layer in network.layers) == 33
    plain = build_srresnet(filters=8, num_blocks=2, batch_norm=False)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in plain.layers)


def test_rrdbnet_shapes_and_the_papers_parameter_count():
    network = build_rrdbnet(4, filters=8, growth_channels=4, num_blocks=1)
    y = network(_low_res((2, 5, 6, 3)))
    assert y.shape == (2, 20, 24, 3)
    assert build_rrdbnet(2, 8, 4, 1)(_low_res((1, 3, 3, 3))).shape == (1, 6, 6, 3)
    # ESRGAN's RRDB_ESRGAN_x4 has 16,697,987 parameters with its nearest-neighbour
    # upsampling (3x3 convs 64 -> 64); the sub-pixel convs here have 64 -> 256.
    conv = lambda i, o: 9 * i * o + o  # noqa: E731
    extra = 2 * (conv(64, 256) - conv(64, 64))
    assert build_rrdbnet().count_params() == 16_697_987 + extra
    assert not any(
        isinstance(layer, keras.layers.BatchNormalization)
        for layer in build_rrdbnet(4, 8, 4, 2).layers
    )


def test_rrdbnet_output_is_linear_in_training_and_clipped_at_inference():
    network = build_rrdbnet(2, filters=8, growth_channels=4, num_blocks=1)
    head = network.get_layer("head_conv_b")
    head.bias.assign(np.full(3, 5.0, "float32"))  # push every pixel above the range
    x = _low_res((1, 4, 4, 3))
    trained = np.asarray(network(x, training=True))
    assert trained.min() > 1.0
    np.testing.assert_array_equal(np.asarray(network(x, training=False)), np.ones_like(trained))
    np.testing.assert_array_equal(network.predict(x, verbose=0), np.ones_like(trained))


def test_inference_clip_config_and_errors():
    layer = InferenceClip(-0.5, 0.25)
    x = np.array([[-2.0, 0.0, 1.0]], "float32")
    np.testing.assert_array_equal(layer(x), [[-0.5, 0.0, 0.25]])
    np.testing.assert_array_equal(layer(x, training=True), x)
    clone = InferenceClip.from_config(layer.get_config())
    assert (clone.minimum, clone.maximum) == (-0.5, 0.25)
    with pytest.raises(ValueError, match="minimum must be below maximum"):
        InferenceClip(1.0, 1.0)


@pytest.mark.parametrize(
    "build, ops",
    [
        (
            lambda: build_srresnet(4, filters=8, num_blocks=1),
            {"ADD", "CONV_2D", "DEPTH_TO_SPACE", "PRELU", "TANH"},
        ),
        (
            lambda: build_rrdbnet(4, filters=8, growth_channels=4, num_blocks=1),
            # The clip to [-1, 1] is fused into the last CONV_2D (RELU_N1_TO_1).
            {"ADD", "CONCATENATION", "CONV_2D", "DEPTH_TO_SPACE", "LEAKY_RELU", "MUL"},
        ),
        (
            lambda: build_srresnet(4, filters=8, num_blocks=1, global_skip="bilinear"),
            # SHAPE, SLICE and MUL compute the resize's size from the dynamic input.
            {
                "ADD",
                "CONV_2D",
                "DEPTH_TO_SPACE",
                "MUL",
                "PRELU",
                "RESIZE_BILINEAR",
                "SHAPE",
                "SLICE",
            },
        ),
        (
            lambda: build_srresnet(4, filters=8, num_blocks=1, activation="leaky_relu"),
            {"ADD", "CONV_2D", "DEPTH_TO_SPACE", "LEAKY_RELU", "TANH"},
        ),
    ],
    ids=["srresnet", "rrdbnet", "srresnet-bilinear-skip", "srresnet-leaky-relu"],
)
def test_generators_convert_to_tflite_builtins_with_dynamic_sides(build, ops):
    network = build()
    flatbuffer = _tflite_builtin(network)
    assert {op["op_name"] for op in _interpreter(flatbuffer)._get_ops_details()} == ops
    for shape in ((1, 5, 7, 3), (1, 8, 8, 3)):
        x = _low_res(shape, seed=shape[1])
        np.testing.assert_allclose(
            _run_tflite(flatbuffer, x), network(x, training=False), atol=1e-4
        )
    assert _interpreter(flatbuffer).get_input_details()[0]["shape_signature"].tolist() == [
        -1,
        -1,
        -1,
        3,
    ]


def test_the_tflite_rrdbnet_clips_its_output():
    network = build_rrdbnet(2, filters=8, growth_channels=4, num_blocks=1)
    network.get_layer("head_conv_b").bias.assign(np.full(3, 5.0, "float32"))
    result = _run_tflite(_tflite_builtin(network), _low_res((1, 4, 5, 3)))
    np.testing.assert_array_equal(result, np.ones((1, 8, 10, 3), "float32"))


@pytest.mark.parametrize(
    "build",
    [
        lambda skip: build_srresnet(4, filters=8, num_blocks=1, global_skip=skip),
        lambda skip: build_rrdbnet(4, filters=8, growth_channels=4, num_blocks=1, global_skip=skip),
    ],
    ids=["srresnet", "rrdbnet"],
)
def test_a_global_skip_network_starts_as_the_resize_and_learns_a_correction(build):
    x = _low_res((2, 5, 6, 3))
    for skip in ("bilinear", "nearest"):
        network = build(skip)
        resized = tf.image.resize(x, (20, 24), method=skip)
        np.testing.assert_allclose(network(x, training=False), resized, atol=1e-6)
        head = [layer for layer in network.layers if isinstance(layer, keras.layers.Conv2D)][-1]
        head.bias.assign(np.full(3, 0.5, "float32"))
        np.testing.assert_allclose(network(x, training=True), resized + 0.5, atol=1e-5)
        np.testing.assert_allclose(
            network(x, training=False), np.minimum(resized + 0.5, 1.0), atol=1e-5
        )
    with pytest.raises(ValueError, match="global_skip must be None, 'nearest' or 'bilinear'"):
        build("bicubic")


def test_discriminator_judges_any_crop_size():
    network = build_sr_discriminator(filters=4, num_stages=3, dense_units=8)
    for side in (16, 24, 37):
        assert network(_low_res((2, side, side, 3))).shape == (2, 1)
    norms = [
        layer for layer in network.layers if isinstance(layer, keras.layers.BatchNormalization)
    ]
    assert len(norms) == 2 * 3 - 1  # every conv but the first
    widths = [layer.filters for layer in network.layers if isinstance(layer, keras.layers.Conv2D)]
    assert widths == [4, 4, 8, 8, 16, 16]
    assert build_sr_discriminator(4, 5, dense_units=8).get_layer("stage4_down").filters == 32


def test_bad_arguments_are_named():
    assert upsampling_factors(8) == [2, 2, 2] and upsampling_factors(3) == [3]
    for bad in (1, 5, 6, 16, 2.0):
        with pytest.raises(ValueError, match=f"scale must be 2, 3, 4 or 8. Received: scale={bad}"):
            build_srresnet(bad, 8, 1)
    with pytest.raises(ValueError, match="num_blocks must be an int >= 0"):
        build_rrdbnet(4, 8, 4, -1)
    with pytest.raises(ValueError, match="activation must be one of"):
        build_srresnet(4, 8, 1, activation="gelu")
    with pytest.raises(ValueError, match="growth_channels must be a positive int"):
        build_rrdbnet(4, 8, 0, 1)
    with pytest.raises(ValueError, match=r"residual_scale must be in \(0, 1\]"):
        build_rrdbnet(4, 8, 4, 1, residual_scale=0.0)
    with pytest.raises(ValueError, match="num_stages must be a positive int"):
        build_sr_discriminator(8, 0)
