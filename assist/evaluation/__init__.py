"""The evaluation harness: suites over datasets (eval/ in a checkout), results, the report, the CI gate and dataset
validation. The code lives here so `assist eval` works after install."""
