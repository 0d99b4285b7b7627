#!/usr/bin/env python3
"""run_exported.py -- runs scripts glia exported (glia export --to brian2|nest) in one Python process.

Written for glia's peer tests (test/peers/export-*.test.ts). Usage:
    python run_exported.py JOBS.json RESULTS.json
JOBS.json is a list of {"script", "data", "out", "steps", "seed", "poisson"?, "threads"?, "device"?}; each script is imported
as a module and its simulate() called, which writes glia's output files into "out". RESULTS.json receives, per
job, the summary simulate() returned, or {"error": text} when the run failed (the test reports it).
"""
import gc
import importlib.util
import json
import sys
import traceback
import warnings

warnings.filterwarnings("ignore")


def run(job, n):
    spec = importlib.util.spec_from_file_location("exported_%d" % n, job["script"])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    kwargs = {}
    if "poisson" in job:
        kwargs["poisson"] = job["poisson"]
    if "threads" in job:
        kwargs["threads"] = job["threads"]
    if "device" in job:
        kwargs["device"] = job["device"]
    return mod.simulate(job["data"], job["out"], job["steps"], job["seed"], **kwargs)


def main():
    jobs = json.load(open(sys.argv[1]))
    results = []
    for n, job in enumerate(jobs):
        try:
            results.append(run(job, n))
        except Exception:  # reported per job: one failing script does not hide the others
            results.append({"error": traceback.format_exc()[-3000:]})
        gc.collect()
    with open(sys.argv[2], "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
