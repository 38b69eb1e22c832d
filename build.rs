//! Generates the Rust types for `proto/` with prost-build. The `.proto` files are parsed by
//! protox, a pure-Rust compiler, so building needs no system `protoc`.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = [
        "proto/netflix/titus/agent.proto",
        "proto/netflix/titus/titus_vpc_api.proto",
    ];
    for file in &files {
        println!("cargo:rerun-if-changed={file}");
    }

    let descriptors = protox::compile(files, ["proto"])?;

    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let mut config = prost_build::Config::new();
    config
        .btree_map(["."])
        .include_file("titus_proto.rs")
        .out_dir(&out_dir);
    config.compile_fds(descriptors)?;
    Ok(())
}
