//! unspun-report: Text and JSON rendering of traces
