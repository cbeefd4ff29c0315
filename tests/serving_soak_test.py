"""A short soak of `keras-gan serve` (bench/soak.py on tiny models): under good, bad and large
requests and version reloads, no good request fails, every attack gets its code, nothing dies."""

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.slow
def test_soak_keeps_serving_and_answers_every_attack_with_its_code(tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        import soak
    finally:
        sys.path.remove(str(BENCH))
    report = soak.main(
        ["--tiny", "--seconds", "15", "--large", "300", "--reload-every", "5",
         "--budget-mb", "256", "--out", str(tmp_path / "soak.json")]
    )  # fmt: skip
    assert report["good_failures"] == 0, report["first_good_failures"]
    assert report["unexpected_codes"] == 0, report["first_unexpected"]
    assert report["server_deaths"] == 0 and report["server_alive_at_end"]
    assert report["server_exit_code_on_sigterm"] == 0
    kinds = report["requests_per_kind"]
    assert report["good_requests"] > 50 and kinds["version_reload"] >= 2
    assert all(kinds.get(kind, 0) >= 1 for kind in soak.EXPECTED)
    assert kinds["large_upscaler"] >= 1 and (tmp_path / "soak.json").is_file()
