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

/// Write a minimal Word package at `path` whose document body is `body` (WordprocessingML
/// paragraphs and tables).
pub fn write_docx(path: &Path, body: &str) {
    use std::io::Write;
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let file = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(file);
    let o = zip::write::SimpleFileOptions::default();
    z.start_file("[Content_Types].xml", o).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    z.start_file("_rels/.rels", o).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#).unwrap();
    z.start_file("word/document.xml", o).unwrap();
    z.write_all(document.as_bytes()).unwrap();
    z.finish().unwrap();
}
