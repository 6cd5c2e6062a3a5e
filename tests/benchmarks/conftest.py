collect_ignore_glob = ["*.py"]  # benchmark scripts, run by hand: not tests
