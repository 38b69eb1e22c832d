//! The `titus-identity` command-line tool: sign, verify and inspect Titus task identity
//! documents, and validate certificate chains.
#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
