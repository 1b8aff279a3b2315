//! The `carers-extract` command line. All logic lives in the library.
fn main() {}
