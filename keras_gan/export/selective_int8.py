"""Full-integer TFLite with float fallback: keep in float the layers int8 breaks.

Some layers do not survive int8: a colour conversion whose intermediate tensors
span very different ranges, or a concatenation whose single int8 scale must cover
inputs of unequal range. Such layers are kept in float (builtin float kernels,
dequantized inputs), chosen as:

1. the layers the caller or the model declares (`int8_float_layers`), always;
2. if the PSNR target is still missed, a search: each remaining layer's
   sensitivity is the PSNR of a model where only that layer is int8; layers are
   added from the most sensitive until the PSNR reaches the target, then each one
   that turns out not to be needed is put back to int8.

PSNR here is the lowest per-sample PSNR on the check samples: any subset of them
(the parity report's inputs are the first few) then scores at least as high.

Calibration runs once; each candidate is requantized from the calibrated model
with TFLite's `QuantizationDebugger` (`denylisted_nodes`,
`get_nondebug_quantized_model`). When no selection reaches the target, the fully
int8 model (with only the declared layers in float) is kept and the report says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import keras

SENSITIVITY_REPORTED = 5


def layer_paths(network: keras.Model, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The leaf layers of `network` as paths of names (nested models expanded)."""
    paths = []
    for layer in network.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, keras.Model) and layer.layers:
            paths.extend(layer_paths(layer, (*prefix, layer.name)))
        else:
            paths.append((*prefix, layer.name))
    return paths


def group_by_layer(network: keras.Model, tensor_names: Sequence[str]) -> dict[str, list[str]]:
    """Op output tensors grouped by the Keras layer whose name scope made them.

    A tensor is named after its op's name scopes (`colorizer_1/rgb_1/mul`); it
    belongs to the leaf layer whose path appears in it. Tensors of no layer (an
    op fused into the signature's output) form one group each, named by the tensor.
    """
    patterns = [
        (
            "/".join(path),
            re.compile("(^|/)" + "/".join(rf"{re.escape(n)}(_\d+)?" for n in path) + "/"),
        )
        for path in layer_paths(network)
    ]
    groups: dict[str, list[str]] = {}
    for tensor in tensor_names:
        head = tensor.split(";")[0]
        owner = next((name for name, pattern in patterns if pattern.search(head)), head)
        groups.setdefault(owner, []).append(tensor)
    return groups


def match_layers(groups: dict[str, list[str]], names: Sequence[str]) -> list[str]:
    """The groups named by `names` (a leaf name, a path, or a nested model's name)."""
    matched = []
    for name in names:
        hits = [
            group
            for group in groups
            if group == name or group.endswith(f"/{name}") or group.startswith(f"{name}/")
        ]
        if not hits:
            raise ValueError(
                f"No quantized op of the network belongs to a layer named {name!r}. Layers with "
                f"quantized ops: {sorted(groups)}. Received: float_layers={list(names)!r}"
            )
        matched.extend(hit for hit in hits if hit not in matched)
    return matched


def select_float_layers(
    quantize: Callable[[list[str]], bytes],
    evaluate: Callable[[bytes], float],
    groups: dict[str, list[str]],
    target_db: float,
    declared: Sequence[str] = (),
) -> tuple[bytes, dict]:
    """The int8 model to ship and a report of what was kept in float and why.

    Args:
        quantize: denylisted tensor names -> a quantized `.tflite` model.
        evaluate: a model -> its lowest per-sample PSNR (dB) against the Keras network.
        groups: tensor names per layer (`group_by_layer`).
        target_db: the PSNR the int8 model must reach.
        declared: layers always kept in float (see `match_layers`); the search adds
            to them when they are not enough. When nothing reaches the target, the
            model with only the declared layers in float is returned.
    """
    declared_groups = match_layers(groups, declared)
    steps = []

    def attempt(layers: list[str]) -> tuple[bytes, float]:
        model = quantize([t for layer in layers for t in groups[layer]])
        value = evaluate(model)
        steps.append({"float_layers": list(layers), "psnr_db": value})
        return model, value

    full_model, full_db = attempt([])
    chosen = list(declared_groups)
    base_model, base_db = attempt(chosen) if chosen else (full_model, full_db)
    model, value = base_model, base_db
    sensitivity = []
    if value < target_db:
        # PSNR with only one layer int8: the lower, the more that layer costs.
        for layer in groups:
            if layer not in chosen:
                only = quantize([t for other in groups if other != layer for t in groups[other]])
                sensitivity.append({"layer": layer, "psnr_db_only_this_int8": evaluate(only)})
        sensitivity.sort(key=lambda entry: entry["psnr_db_only_this_int8"])
        for entry in sensitivity:
            if value >= target_db:
                break
            chosen = [*chosen, entry["layer"]]
            model, value = attempt(chosen)
        if value >= target_db:
            # Put back to int8 the searched layers that turned out not to matter.
            for layer in reversed(chosen[len(declared_groups) : -1]):
                fewer = [other for other in chosen if other != layer]
                smaller, fewer_db = attempt(fewer)
                if fewer_db >= target_db:
                    chosen, model, value = fewer, smaller, fewer_db
    if value < target_db:  # unreachable: ship what was asked for
        best = max(steps, key=lambda step: step["psnr_db"])
        chosen, model, value = list(declared_groups), base_model, base_db
        outcome = (
            f"no float fallback reaches the target (best: {best['psnr_db']:.2f} dB with "
            f"{len(best['float_layers'])} layer(s) float)"
        )
    elif chosen:
        outcome = f"keeping {', '.join(chosen)} in float reaches {value:.2f} dB"
    else:
        outcome = "no layer kept in float"
    return model, {
        "target_psnr_db": target_db,
        "full_int8_psnr_db": full_db,
        "declared": list(declared),
        "searched": [layer for layer in chosen if layer not in declared_groups],
        "float_layers": chosen,
        "float_tensors": [t for layer in chosen for t in groups[layer]],
        "psnr_db": value,
        "reason": f"full int8 reaches {full_db:.2f} dB (worst sample), target {target_db:g} dB: "
        + outcome,
        "steps": steps,
        "sensitivity": sensitivity[:SENSITIVITY_REPORTED],
    }
