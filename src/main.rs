//! The `titus-identity` command-line tool.
#![forbid(unsafe_code)]

fn main() {}
