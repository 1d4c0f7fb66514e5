//! unspun-store: The Store seam and its embedded backend: SQLite (WAL) system of record plus a tantivy BM25 retrieval index
