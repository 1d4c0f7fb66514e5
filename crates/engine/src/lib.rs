//! unspun-engine: The unspun engine: ingest, trace and scan wired over the pipeline crates
