"""`keras-gan families`: every registered family, its task kind and what it is judged by."""

import argparse
import json

from keras_gan.cli.tables import print_table


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "families",
        help="list the registered families (name, task, class, held-out metric)",
        description="List every family `keras-gan train` accepts, from the registry.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(run=run)


def family_rows() -> list[dict]:
    """One dict per registered family, sorted by name."""
    from keras_gan.registry import list_families

    return [
        {
            "name": info.name,
            "task": info.task,
            "class": info.cls.__name__,
            "evaluation": info.cls.evaluation_kind,
            "held_out_metric": info.cls.held_out_metric or None,
            "presets": len(info.cls.presets),
            "description": info.description,
        }
        for info in list_families()
    ]


def run(args: argparse.Namespace) -> int:
    rows = family_rows()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    header = ("family", "task", "class", "evaluation", "presets", "description")
    print_table(
        header,
        [
            (r["name"], r["task"], r["class"], r["evaluation"], str(r["presets"]), r["description"])
            for r in rows
        ],
        free_last=True,
    )
    return 0
