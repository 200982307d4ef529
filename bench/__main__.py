"""Run every benchmark: `python -m bench` (or `make bench`)."""

from __future__ import annotations

from bench import import_speed, many_clients, series_speed, user_search

if __name__ == '__main__':
    import_speed.main()
    series_speed.main()
    user_search.main()
    many_clients.main([])  # 200 clients at once, against a bare NiceGUI page
