"""The Spark job's fingerprint stage through mapInArrow, on one core: the
articles stage written first (not timed), then the fingerprint stage run
`runs` times into Spark's no-op sink; prints the best as JSON. Run by
scripts/spark-bench.sh beside `fingerprint-bench` (the same Rust function
without Spark)."""

import json
import os
import sys
import tempfile
import time

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import unspun.spark
from unspun.spark import _map

jsonl, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
spark = (
    SparkSession.builder.master("local[1]")
    .config("spark.ui.enabled", "false")
    .config("spark.driver.memory", "4g")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")
out = tempfile.mkdtemp(prefix="unspun-fp-bench-")
s = unspun.spark.run(spark, [jsonl], out, until="articles", log=lambda m: None)
art = spark.read.parquet(os.path.join(out, "articles")).where(F.col("error").isNull()).select("key", "record")
art = art.cache()
n = art.count()
ddl = "key long, terms array<string>, tfs array<int>, length int, bands array<long>"
from pyspark.sql.pandas.types import to_arrow_schema
from pyspark.sql.types import _parse_datatype_string

schema = to_arrow_schema(_parse_datatype_string(ddl))
best = float("inf")
for _ in range(runs):
    t = time.perf_counter()
    art.mapInArrow(_map("fingerprint", None, None, schema), ddl).write.format("noop").mode("overwrite").save()
    best = min(best, time.perf_counter() - t)
print(json.dumps({"articles": n, "seconds": round(best, 3), "per_second": round(n / best, 1)}))
spark.stop()
