//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Path of a file under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Run the pipeline on a fixture with default options.
pub fn extract(rel: &str) -> carers_extract::Report {
    carers_extract::extract_path(&fixture(rel), &carers_extract::Options::default())
        .expect("fixture extracts")
}

/// The `carers-extract` binary built for this test run.
pub fn bin() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("carers-extract").expect("binary is built")
}

/// Validate `value` against one shape of `schemas/report.schema.json` (`report`, `batch`,
/// `ndjsonDocument`, `ndjsonAction`, `ndjsonError`, `explanation`), and against the whole
/// schema (which accepts any of them).
pub fn assert_valid(def: &str, value: &serde_json::Value) {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/report.schema.json"),
    )
    .expect("schema");
    let whole: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let mut one = whole.clone();
    let obj = one.as_object_mut().unwrap();
    obj.remove("anyOf");
    obj.insert(
        "$ref".into(),
        serde_json::Value::String(format!("#/$defs/{def}")),
    );
    for (name, schema) in [("the whole schema", &whole), (def, &one)] {
        let validator = jsonschema::validator_for(schema).expect("schema compiles");
        let errors: Vec<String> = validator
            .iter_errors(value)
            .take(10)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "not valid against {name}: {errors:#?}");
    }
}
