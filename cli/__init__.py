"""The command line of app.py (SPEC §8): every command except `serve`, none of which loads the web interface."""
