"""The figures of one engine's run of `bench.scale`, printed beside their baselines and the goals."""

from __future__ import annotations

from dataclasses import dataclass, field

# The plain script's peak per value (it holds the text, every line and every row): 390 B at 2,000,000 values.
PLAIN_BYTES_PER_ROW = 400
# Before the set-based roll-ups (the figures that asked for them): milliseconds per meter-day of a rebuild.
REBUILD_BEFORE_MS = {'sqlite': 0.29, 'postgresql': 0.71}


@dataclass
class Figures:
    kind: str
    meters: int
    days: int
    import_rows: int = 0
    plain_import: tuple[float, float, int, float] = (0.0, 0.0, 0, 0.0)  # wall s, CPU s, peak KiB, CPU s of the work
    plain_skipped: bool = False  # too big a file for the plain script in this machine's memory
    bulk_import: tuple[float, float, int, float] = (0.0, 0.0, 0, 0.0)
    day_rows: int = 0
    day_import: tuple[float, float, int, float] = (0.0, 0.0, 0, 0.0)
    xml_import: tuple[float, float, int, float] = (0.0, 0.0, 0, 0.0)  # the same day as XML 80020
    feed_import: tuple[float, float, int, float] = (0.0, 0.0, 0, 0.0)  # the next day as Green Button
    rows: int = 0
    generate_seconds: float = 0.0
    rebuild: float = 0.0
    plain_rebuild: float = 0.0
    charts: dict[str, tuple[float, float]] = field(default_factory=dict)
    sizes: dict[str, float] = field(default_factory=dict)


def report(f: Figures) -> None:
    print(f'scale on {f.kind}: {f.meters:,} meters × {f.days} days of half hours ({f.rows:,} interval rows)')
    _import_lines(f)
    meter_days = f.meters * f.days
    per = f.rebuild / meter_days * 1000
    before = REBUILD_BEFORE_MS[f.kind]
    print(
        f'  rebuild of every roll-up     {f.rebuild:8.1f} s = {per:.4f} ms per meter-day '
        f'(meter by meter: {before} ms, on another day) | plain GROUP BY of days {f.plain_rebuild:.1f} s, '
        f'ratio {f.rebuild / f.plain_rebuild:.1f}× the plain time'
    )
    for name, (ours, plain) in f.charts.items():
        verdict = 'ok' if ours < 5 else 'ABOVE 5 ms'
        print(f'  chart p95 {name:26s} {ours:7.2f} ms ({verdict}) | raw-row GROUP BY {plain:8.2f} ms')
    s = f.sizes
    print(
        f'  bytes per interval row       {s["intervals"] + s["rollups"]:6.1f} B (intervals {s["intervals"]:.1f} + '
        f'roll-ups {s["rollups"]:.1f}) | plain table {s["plain"]:.1f} B'
    )


def import_report(f: Figures) -> None:
    """The import lines alone (`--imports-only`)."""
    print(f'scale on {f.kind}: imports into a database of {f.meters:,} meters')
    _import_lines(f)


def _import_lines(f: Figures) -> None:
    plain_wall, plain_cpu, plain_peak, plain_work = f.plain_import
    wall, cpu, peak, work = f.bulk_import
    ours = (
        f'  import of {f.import_rows:,} values   {wall:6.1f} s wall, {cpu:6.1f} s CPU, peak {peak / 1024:6.0f} MiB '
        f'({peak * 1024 / f.import_rows:.0f} B per row)'
    )
    if f.plain_skipped:
        estimate = f.import_rows * PLAIN_BYTES_PER_ROW / 2**30
        print(f'{ours} | plain skipped (it would need about {estimate:.1f} GiB, half the free memory or more)')
    else:
        print(f'{ours} | plain {plain_wall:.1f} s wall, {plain_cpu:.1f} s CPU, peak {plain_peak / 1024:.0f} MiB')
        print(
            f'    ratios plain/Kabinet: speed {plain_cpu / cpu:.2f} CPU, {plain_wall / wall:.2f} wall; '
            f'memory {peak / plain_peak:.2f}× the plain peak (goal ≤ 2×)'
        )
        print(
            f'    the import itself, start-up left out: {work:.1f} s CPU | plain {plain_work:.1f} s CPU; '
            f'speed {plain_work / work:.2f} (goal ≥ 0.8)'
        )
    day_wall, day_cpu, day_peak, _ = f.day_import
    print(
        f'  nightly file ({f.day_rows:,} values, one day of every meter) {day_wall:.1f} s wall, {day_cpu:.1f} s CPU, '
        f'peak {day_peak / 1024:.0f} MiB'
    )
    xml_wall, xml_cpu, xml_peak, _ = f.xml_import
    print(
        f'  the same day as XML 80020 ({f.day_rows:,} values) {xml_wall:.1f} s wall, {xml_cpu:.1f} s CPU, '
        f'peak {xml_peak / 1024:.0f} MiB'
    )
    feed_wall, feed_cpu, feed_peak, _ = f.feed_import
    print(
        f'  the next day as Green Button ({f.day_rows:,} values) {feed_wall:.1f} s wall, {feed_cpu:.1f} s CPU, '
        f'peak {feed_peak / 1024:.0f} MiB'
    )
