"""Run every benchmark: `python -m bench` (or `make bench`).

The scale benchmark runs here at 200 meters; its full figure (2,000 meters) is `python -m bench.scale`.
"""

from __future__ import annotations

from bench import import_speed, scale, series_speed

if __name__ == '__main__':
    import_speed.main()
    series_speed.main()
    scale.main(['--meters', '200'])
