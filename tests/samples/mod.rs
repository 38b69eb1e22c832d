//! Identities with every kind of field the signed encoding must get right: maps whose
//! key orders differ between protobuf runtimes, nested messages, negative numbers and
//! empty strings.
#![allow(dead_code)]

use std::collections::BTreeMap;

use titus_identity::codec::{
    container_info, task_info, ContainerInfo, TaskIdentity, TaskInfo, TaskPodIdentity, Timestamp,
};

/// Returns a TaskIdentity with maps whose key orders differ between protobuf runtimes,
/// nested messages, negative enums and empty strings.
pub(crate) fn rich_identity(unix_timestamp_sec: u64) -> TaskIdentity {
    TaskIdentity {
        task: Some(sample_task_info()),
        container: Some(sample_container()),
        unix_timestamp_sec: Some(unix_timestamp_sec),
        ipv4_address: Some("192.0.2.20".to_owned()),
        ipv6_address: Some("2001:db8::20".to_owned()),
    }
}

/// Returns a TaskPodIdentity with opaque pod bytes and a nanosecond timestamp.
pub(crate) fn rich_pod_identity(seconds: i64) -> TaskPodIdentity {
    TaskPodIdentity {
        task_info: sample_task_info(),
        pod: b"{\"kind\":\"Pod\"}\x00\xff".to_vec(),
        request_timestamp: Timestamp {
            seconds,
            nanos: 987_654_321,
        },
        ipv4_address: Some("192.0.2.21".to_owned()),
        ipv6_address: None,
    }
}

fn sample_task_info() -> TaskInfo {
    TaskInfo {
        container_id: Some("titus-rust-container".to_owned()),
        task_id: Some("0f1e2d3c-4b5a-4968-8776-655443322110".to_owned()),
        host_name: Some("titusagent-2.example.test".to_owned()),
        status: Some(task_info::Status::Running as i32),
        environment_variable: vec![task_info::EnvironmentVariable {
            name: Some("EMPTY".to_owned()),
            value: Some(String::new()),
        }],
        ..TaskInfo::default()
    }
}

fn sample_container() -> ContainerInfo {
    let env = [
        "VAR10",
        "VAR100",
        "VAR2",
        "Z",
        "a",
        "\u{e9}t\u{e9}",
        "",
        "\u{1f600}",
    ]
    .iter()
    .enumerate()
    .map(|(index, key)| ((*key).to_owned(), format!("value-{index}")))
    .collect::<BTreeMap<_, _>>();

    ContainerInfo {
        image_name: Some("titusops/alpine".to_owned()),
        app_name: Some("interop".to_owned()),
        entrypoint_cmd: vec!["/bin/sh".to_owned(), "-c".to_owned(), "true".to_owned()],
        user_provided_env: env,
        titus_provided_env: BTreeMap::from([("EMPTY".to_owned(), String::new())]),
        capabilities: Some(container_info::Capabilities {
            add: vec![container_info::capabilities::Capability::NetAdmin as i32],
            drop: vec![container_info::capabilities::Capability::Chown as i32],
        }),
        oom_score_adj: Some(-1000),
        batch: Some(false),
        job_accepted_timestamp_ms: Some(1_700_000_000_123),
        ..ContainerInfo::default()
    }
}
