//! The agent side: load the agent's certificate chain and key, sign a task identity, and
//! write the document.
//!
//! ```text
//! cargo run --example agent_sign -- CHAIN.pem KEY.pem OUT.pb
//! ```
//!
//! Run `titus-identity demo --dir DIR` first for a chain and key to try it with.

use std::process::ExitCode;

use titus_identity::codec::{self, task_info, TaskIdentity, TaskInfo};
use titus_identity::signing::{stamp_now, Credentials, Signer, SignerOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [chain, key, out] = args.as_slice() else {
        eprintln!("usage: agent_sign CHAIN.pem KEY.pem OUT.pb");
        return ExitCode::from(2);
    };
    match sign(chain, key, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("agent_sign: {error}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn sign(chain: &str, key: &str, out: &str) -> Result<(), Box<dyn std::error::Error>> {
    // RSA keys sign SHA512withRSAandMGF1 with a 20-byte salt, EC keys SHA512withECDSA,
    // as the deployed Titus agent does.
    let credentials = Credentials::from_files(chain, key)?;
    let signer = Signer::new(credentials, SignerOptions::new())?;

    let mut identity = TaskIdentity {
        task: Some(TaskInfo {
            task_id: Some("example-task".to_owned()),
            status: Some(task_info::Status::Running as i32),
            ..TaskInfo::default()
        }),
        ipv4_address: Some("192.0.2.10".to_owned()),
        ..TaskIdentity::default()
    };
    stamp_now(&mut identity)?;

    let document = signer.sign_identity(&identity)?;
    std::fs::write(out, codec::encode_identity_document(&document))?;
    println!("signed {out} with {}", signer.algorithm());
    Ok(())
}
