"""Speed benchmarks (`make bench`, `python -m bench`): ratios against baselines measured in the same run."""
