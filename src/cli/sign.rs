//! `sign`: sign a TaskIdentity or TaskPodIdentity given as JSON.

use std::path::PathBuf;

use clap::Args;
use titus_identity::codec::{self, DecodeLimits, TaskIdentity, TaskPodIdentity};
use titus_identity::document::json;
use titus_identity::signing::{stamp_now, stamp_pod_now, Credentials, Signer, SignerOptions};
use titus_identity::{DecodeError, SignatureAlgorithm};

use super::{io, Failure, KindArg, SaltArg};

#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    /// PEM file with the agent's certificate chain, leaf first.
    #[arg(long, value_name = "CHAIN.pem")]
    cert: PathBuf,
    /// PEM file with the leaf certificate's private key (PKCS#8, PKCS#1 or SEC1).
    #[arg(long, value_name = "KEY.pem")]
    key: PathBuf,
    /// Document kind to write: identity and pod are protobuf, string is JSON.
    #[arg(long, value_enum, default_value = "identity")]
    kind: KindArg,
    /// Signature algorithm, such as SHA512withRSAandMGF1 [default: SHA-512 for the key type].
    #[arg(long, value_name = "NAME")]
    algorithm: Option<String>,
    /// RSASSA-PSS salt length: 20 bytes (as the Titus agent) or the digest length.
    #[arg(long, value_enum, default_value = "20")]
    salt: SaltArg,
    /// Write the document here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The identity as JSON, or `-` for standard input.
    #[arg(value_name = "INPUT.json|-")]
    input: Option<PathBuf>,
}

pub(crate) fn run(args: &SignArgs) -> Result<(), Failure> {
    let signer = load_signer(args)?;
    let limits = DecodeLimits::default();
    let input =
        io::read_input(args.input.as_deref(), limits.max_document_bytes).map_err(|failure| {
            match failure {
                Failure::Rejected(reason) => Failure::Usage(reason),
                usage => usage,
            }
        })?;

    let document = match args.kind {
        KindArg::Auto => {
            return Err(Failure::usage(
                "--kind auto is for reading; sign needs identity, pod or string",
            ))
        }
        KindArg::Identity => sign_identity(&signer, &input, &limits)?,
        KindArg::Pod => sign_pod(&signer, &input, &limits)?,
        KindArg::String => sign_string(&signer, &input, &limits)?,
    };
    io::write_output(args.out.as_deref(), &document)
}

fn load_signer(args: &SignArgs) -> Result<Signer, Failure> {
    let credentials = Credentials::from_files(&args.cert, &args.key).map_err(Failure::usage)?;
    let mut options = SignerOptions::new().with_pss_salt_length(args.salt.into());
    if let Some(name) = &args.algorithm {
        let algorithm = SignatureAlgorithm::from_name(name).map_err(Failure::usage)?;
        options = options.with_algorithm(algorithm);
    }
    Signer::new(credentials, options).map_err(Failure::usage)
}

fn read_identity(input: &[u8], limits: &DecodeLimits) -> Result<TaskIdentity, Failure> {
    let mut identity = json::task_identity_from_json(input, limits).map_err(Failure::usage)?;
    if identity.unix_timestamp_sec.is_none() {
        stamp_now(&mut identity).map_err(Failure::usage)?;
    }
    Ok(identity)
}

fn sign_identity(signer: &Signer, input: &[u8], limits: &DecodeLimits) -> Result<Vec<u8>, Failure> {
    let identity = read_identity(input, limits)?;
    let document = signer.sign_identity(&identity).map_err(Failure::usage)?;
    Ok(codec::encode_identity_document(&document))
}

fn sign_string(signer: &Signer, input: &[u8], limits: &DecodeLimits) -> Result<Vec<u8>, Failure> {
    let identity = read_identity(input, limits)?;
    let document = signer
        .sign_identity_string(&identity)
        .map_err(Failure::usage)?;
    let mut text = json::string_document_to_json(&document);
    text.push('\n');
    Ok(text.into_bytes())
}

fn sign_pod(signer: &Signer, input: &[u8], limits: &DecodeLimits) -> Result<Vec<u8>, Failure> {
    let identity = read_pod(input, limits)?;
    let document = signer
        .sign_pod_identity(&identity)
        .map_err(Failure::usage)?;
    Ok(codec::encode_pod_document(&document))
}

/// Reads a TaskPodIdentity, stamping the current time when `requestTimestamp` is absent.
fn read_pod(input: &[u8], limits: &DecodeLimits) -> Result<TaskPodIdentity, Failure> {
    match json::task_pod_identity_from_json(input, limits) {
        Ok(identity) => Ok(identity),
        Err(DecodeError::MissingJsonField { path }) if path == "requestTimestamp" => {
            let with_time = insert_placeholder_timestamp(input)
                .ok_or_else(|| Failure::usage("input is not a JSON object"))?;
            let mut identity =
                json::task_pod_identity_from_json(&with_time, limits).map_err(Failure::usage)?;
            stamp_pod_now(&mut identity).map_err(Failure::usage)?;
            Ok(identity)
        }
        Err(error) => Err(Failure::usage(error)),
    }
}

/// Adds `"requestTimestamp":{}` as the first member of the top-level object, for the
/// stamp that replaces it.
fn insert_placeholder_timestamp(input: &[u8]) -> Option<Vec<u8>> {
    let open = input.iter().position(|byte| !byte.is_ascii_whitespace())?;
    if input.get(open) != Some(&b'{') {
        return None;
    }
    let rest = input.get(open + 1..)?;
    let empty = rest.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'}');
    let member: &[u8] = if empty {
        b"\"requestTimestamp\":{}"
    } else {
        b"\"requestTimestamp\":{},"
    };
    Some([&input[..=open], member, rest].concat())
}
