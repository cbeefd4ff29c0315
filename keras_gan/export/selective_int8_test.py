import keras
import pytest

from keras_gan.export.selective_int8 import group_by_layer, match_layers, select_float_layers

GROUPS = {"a": ["net_1/a_1/x"], "b": ["net_1/b_1/y", "net_1/b_1/z"], "c": ["net_1/c_1/w"]}


def _fake(costs):
    """quantize/evaluate where each int8 layer costs `costs[layer]` dB off 50 dB."""
    owner = {t: layer for layer, tensors in GROUPS.items() for t in tensors}

    def quantize(denylisted):
        return ",".join(sorted({owner[t] for t in denylisted})).encode()

    def evaluate(model):
        floats = set(filter(None, model.decode().split(",")))
        return 50.0 - sum(cost for layer, cost in costs.items() if layer not in floats)

    return quantize, evaluate


def test_full_int8_is_kept_when_it_meets_the_target():
    model, report = select_float_layers(*_fake({"a": 5, "b": 5, "c": 5}), GROUPS, 30.0)
    assert model == b"" and report["float_layers"] == [] and report["psnr_db"] == 35.0
    assert report["reason"].endswith("no layer kept in float") and len(report["steps"]) == 1


def test_search_keeps_the_costly_layers_and_puts_back_the_rest():
    # b, then a, must go float to reach 35 dB; c's cost is small enough.
    model, report = select_float_layers(*_fake({"a": 15, "b": 16, "c": 4}), GROUPS, 35.0)
    assert report["full_int8_psnr_db"] == 15.0
    assert report["float_layers"] == ["b", "a"] and model == b"a,b"
    assert report["float_tensors"] == GROUPS["b"] + GROUPS["a"]
    assert report["psnr_db"] == 46.0 and report["searched"] == ["b", "a"]
    assert [s["layer"] for s in report["sensitivity"]] == ["b", "a", "c"]
    assert "keeping b, a in float reaches 46.00 dB" in report["reason"]


def test_searched_layers_that_do_not_matter_go_back_to_int8():
    # Sensitivity puts c first, but only b needs float: c is put back to int8.
    costs = {"a": 1, "b": 19.5, "c": 1}
    quantize, evaluate = _fake(costs)

    def biased(model):  # c looks worse alone than it is in the full model
        floats = set(filter(None, model.decode().split(",")))
        return evaluate(model) - (30 if floats == {"a", "b"} else 0)

    model, report = select_float_layers(quantize, biased, GROUPS, 30.0)
    assert report["float_layers"] == ["b"] and model == b"b", report["steps"]


def test_declared_layers_stay_float_even_when_int8_would_do():
    model, report = select_float_layers(*_fake({"a": 1, "b": 1, "c": 1}), GROUPS, 30.0, ["c"])
    assert report["float_layers"] == ["c"] and model == b"c"
    assert report["declared"] == ["c"] and report["searched"] == []


def test_unreachable_target_ships_the_declared_model_and_says_so():
    model, report = select_float_layers(*_fake({"a": 30, "b": 1, "c": 1}), GROUPS, 60.0, ["b"])
    assert model == b"b" and report["float_layers"] == ["b"] and report["psnr_db"] == 19.0
    assert (
        "no float fallback reaches the target (best: 50.00 dB with 3 layer(s)" in report["reason"]
    )


def test_layers_are_found_by_name_scope_and_nested_models_expand():
    inner_in = keras.Input((4,))
    inner = keras.Model(inner_in, keras.layers.Dense(2, name="dense")(inner_in), name="body")
    x = keras.Input((4,))
    net = keras.Model(x, keras.layers.Dense(3, name="head")(inner(x)), name="net")
    groups = group_by_layer(
        net,
        [
            "net_1/body_1/dense_1/MatMul;net_1/body_1/dense_1/BiasAdd",
            "net_1/head_1/MatMul",
            "Out:0",
        ],
    )
    assert groups == {
        "body/dense": ["net_1/body_1/dense_1/MatMul;net_1/body_1/dense_1/BiasAdd"],
        "head": ["net_1/head_1/MatMul"],
        "Out:0": ["Out:0"],
    }
    assert match_layers(groups, ["dense", "head"]) == ["body/dense", "head"]
    assert match_layers(groups, ["body"]) == ["body/dense"]
    with pytest.raises(ValueError, match=r"named 'tail'.*'body/dense'"):
        match_layers(groups, ["tail"])
