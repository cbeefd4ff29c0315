"""Aligned text tables for the listing commands (`families`, `presets`)."""


def print_table(header: tuple[str, ...], rows: list[tuple[str, ...]], free_last=False) -> None:
    """Prints `header` and `rows` in aligned columns; `free_last` leaves the last one ragged."""
    table = [header, *rows]
    aligned = len(header) - 1 if free_last else len(header)
    widths = [max(len(row[i]) for row in table) for i in range(aligned)]
    for row in table:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join(cells + list(row[aligned:])).rstrip())
