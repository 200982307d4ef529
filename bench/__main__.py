"""Run every benchmark: `python -m bench` (or `make bench`).

The scale benchmark runs here at 200 meters; its full figure (2,000 meters) is `python -m bench.scale`.
"""

from __future__ import annotations

from bench import import_speed, many_clients, scale, series_speed, user_search

if __name__ == '__main__':
    import_speed.main()
    series_speed.main()
    user_search.main()
    many_clients.main([])  # 200 clients at once, against a bare NiceGUI page
    scale.main(['--meters', '200'])
