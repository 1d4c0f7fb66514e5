//! unspun-fingerprint: Fingerprints of articles: distinctive index terms and MinHash band keys
