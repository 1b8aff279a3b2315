//! See [super].
