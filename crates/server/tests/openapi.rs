//! The committed OpenAPI document (`docs/openapi.json`) is the one the code
//! generates: a change to the API must come with its description.

use std::path::PathBuf;

#[test]
fn the_committed_openapi_document_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let generated = unspun_server::openapi_json();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} differs from the document the code generates; regenerate it with\n  \
         UPDATE_OPENAPI=1 cargo test -p unspun-server --test openapi\nand commit it",
        path.display()
    );
    let v: serde_json::Value = serde_json::from_str(&generated).unwrap();
    assert_eq!(v["openapi"], "3.1.0");
    for p in [
        "/v1/articles",
        "/v1/articles/{id}",
        "/v1/articles/{id}/trace",
        "/v1/traces",
        "/healthz",
    ] {
        assert!(v["paths"][p].is_object(), "{p} is not described");
    }
}
