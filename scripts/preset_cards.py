"""Model cards for the presets that ship with weights: Markdown from the training record."""

from __future__ import annotations

import json
from pathlib import Path


def photo_table(photos: Path, split: str) -> list[dict]:
    """The photos of one split with their origin and licence, from the set's manifest."""
    manifest = json.loads((photos / "manifest.json").read_text())
    return [
        {"id": p["id"], "source": p["source"], "licence": p["licence"]}
        for p in manifest["photos"]
        if p["split"] == split
    ]


def _table(rows: list[dict]) -> str:
    if not rows:
        return "(none)\n"
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(row[k]) for k in keys) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_model_card(path: Path, card: dict) -> None:
    """Writes `card` (see scripts/train_mobile_presets.py) as a Markdown model card."""
    metrics = {k: v for k, v in card["metrics"].items() if not isinstance(v, list)}
    training = {k: v for k, v in card["training"].items() if k != "losses"}
    text = f"""# {card["preset"]} ({card["family"]})

{card["task"]}.

Load it offline with `kg.models.{card["family"]}.from_preset("{card["preset"]}")`, or run it on
a file with `keras-gan predict {card["preset"]} --input photo.jpg --out out.png`.

## Configuration
```json
{json.dumps(card["config"], indent=2)}
```
Generator: {card["weights"]["generator_params"]:,} parameters; weights file
`{card["weights"]["file"]}`, {card["weights"]["bytes"] / 1e6:.1f} MB, sha256
`{card["weights"]["sha256"]}`.

## Training
{_table([training])}
Final training losses: `{json.dumps(card["training"]["losses"])}`.

Reproduce: `{card["reproduce"]}` (after `keras-gan make-data photos --out runs/photos`).

## Measured quality (held-out photos, never trained on)
{_table([metrics])}
{card.get("notes", "")}

## Data and licences
The weights were trained on the photos below only. Each photo keeps its licence; the
weights are released under the project's licence (Apache-2.0).

Training photos:

{_table(card["training_photos"])}
Held-out photos (measurement only):

{_table(card["held_out"])}
## Limitations
A small model trained for minutes on a CPU, on a few dozen photos: it shows the family
works end to end and beats the baseline above; it is not a state-of-the-art model.
"""
    path.write_text(text)
