"""What the NEU benches (bench/huang.sh, bench/cyclegan.sh) share when they print their tables."""
import json
import os
import statistics


def summary(out, name):
    """The summary.json of run NAME in the bench's folder OUT, or None while it has not finished."""
    p = f"{out}/{name}/summary.json"
    return json.load(open(p)) if os.path.exists(p) else None


def stat(values):
    """Mean +- standard deviation of the finished runs' fractions, in percent, with their count."""
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{100 * statistics.mean(values):.2f} +- {100 * sd:.2f} (n={len(values)})"
