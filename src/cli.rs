//! Command-line parsing and dispatch. Results go to stdout as JSON; failures go to stderr
//! as one line, with exit code 1 for a rejected document or chain and 2 for usage,
//! input/output and configuration errors.

mod chain;
mod demo;
mod inspect;
mod io;
mod options;
mod report;
mod sign;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub(crate) use options::{KindArg, MaxAge, PurposeArg, SaltArg, TimeArg};

/// Sign and verify Titus task identity documents.
#[derive(Debug, Parser)]
#[command(name = "titus-identity", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a throwaway PKI, sign a sample identity in all three document kinds with an
    /// RSA and an EC agent key, and verify each document.
    Demo {
        /// Also write the PKI, sample inputs and documents to this directory.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Sign a TaskIdentity (or TaskPodIdentity) given as JSON.
    Sign(sign::SignArgs),
    /// Verify a document and print the identity it carries.
    Verify(verify::VerifyArgs),
    /// Decode a document without verifying it.
    Inspect(inspect::InspectArgs),
    /// Validate a certificate chain to trust anchors.
    Chain(chain::ChainArgs),
}

/// A failure, by the exit code it maps to.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The document or chain was checked and rejected: exit code 1.
    Rejected(String),
    /// Bad usage, unreadable input or bad configuration: exit code 2.
    Usage(String),
}

impl Failure {
    pub(crate) fn rejected(error: impl std::fmt::Display) -> Self {
        Self::Rejected(error.to_string())
    }

    pub(crate) fn usage(error: impl std::fmt::Display) -> Self {
        Self::Usage(error.to_string())
    }
}

/// Parses the command line, runs the command and returns its exit code.
pub(crate) fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { 2 } else { 0 };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };

    let result = match cli.command {
        Command::Demo { dir } => demo::run(dir.as_deref()),
        Command::Sign(args) => sign::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Chain(args) => chain::run(&args),
    };

    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Rejected(reason)) => {
            eprintln!("titus-identity: rejected: {reason}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(reason)) => {
            eprintln!("titus-identity: error: {reason}");
            ExitCode::from(2)
        }
    }
}
