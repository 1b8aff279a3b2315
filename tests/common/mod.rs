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
