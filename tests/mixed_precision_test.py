"""Mixed precision: float16 with loss scaling and bfloat16 both train (own process: the policy is global)."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent / "scripts" / "mixed_precision_fit.py"


@pytest.mark.slow
@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_mixed_precision_trains(policy):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), policy], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("REPORT "))
    report = json.loads(line[len("REPORT ") :])
    for family, facts in report.items():
        assert facts["loss_scaled"] == (policy == "mixed_float16"), family
        assert facts["compute_dtype"] == policy.split("_")[1], facts
        assert facts["output_dtype"] == "float32", facts
        assert facts["moved"] > 0 and facts["samples_finite"], facts
        for name, values in facts["losses"].items():
            assert all(math.isfinite(v) for v in values), (family, name, values)
