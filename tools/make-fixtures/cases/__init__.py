"""One module per case kind the generator writes: see make_fixtures.py for the list."""
