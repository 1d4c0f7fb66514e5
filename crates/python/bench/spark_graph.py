"""The Spark job on one corpus, measured: wall time per stage, peak memory
of the whole process tree (driver JVM and Python workers, sampled from
/proc every 0.2 s) and shuffle bytes per stage (from Spark's REST API).
Prints one JSON object. Run by scripts/spark-graph-bench.sh.

    python spark_graph.py CORPUS.jsonl OUT_DIR [--models DIR] [--cap N] [--master local[2]]
"""

import argparse
import json
import os
import threading
import time
import urllib.request

from pyspark.sql import SparkSession

import unspun.spark


def tree_rss(root: int) -> int:
    """Proportional resident bytes (PSS: a page shared by n processes counts
    1/n in each) of `root` and every descendant: the driver, its JVM and
    the Python workers the JVM forks from one daemon."""
    children = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(pid))
        except (OSError, IndexError, ValueError):
            pass
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
    return total


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("corpus")
    p.add_argument("out")
    p.add_argument("--models")
    p.add_argument("--cap", type=int, default=unspun.spark.DEFAULT_BUCKET_CAP)
    p.add_argument("--master", default="local[2]")
    p.add_argument("--driver-memory", default="8g")
    a = p.parse_args()
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss(os.getpid()))
            time.sleep(0.2)

    threading.Thread(target=sample, daemon=True).start()
    spark = (
        SparkSession.builder.master(a.master)
        .config("spark.driver.memory", a.driver_memory)
        .config("spark.sql.shuffle.partitions", "16")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    t = time.perf_counter()
    s = unspun.spark.run(spark, [a.corpus], a.out, models=a.models, bucket_cap=a.cap, log=lambda m: None)
    wall = time.perf_counter() - t
    app = spark.sparkContext.applicationId
    url = spark.sparkContext.uiWebUrl
    stages = json.load(urllib.request.urlopen(f"{url}/api/v1/applications/{app}/stages"))
    jobs = json.load(urllib.request.urlopen(f"{url}/api/v1/applications/{app}/jobs"))
    stage_job = {}
    for j in jobs:
        for sid in j.get("stageIds", []):
            stage_job[sid] = j.get("description") or ""
    shuffle = {}
    for st in stages:
        name = stage_job.get(st["stageId"], "").replace("unspun.spark ", "") or "other"
        shuffle[name] = shuffle.get(name, 0) + st["shuffleWriteBytes"]
    stop.set()
    print(json.dumps({
        "summary": s.to_dict(), "wall_seconds": round(wall, 1), "peak_pss_bytes": peak[0],
        "shuffle_write_bytes": shuffle, "cap": a.cap, "master": a.master,
    }))
    spark.stop()


if __name__ == "__main__":
    main()
