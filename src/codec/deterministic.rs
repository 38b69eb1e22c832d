//! Deterministic encoding that matches protobuf-go's `MarshalOptions{Deterministic: true}`.
//!
//! prost already writes fields in field-number order, writes every present proto2 field
//! (even zero or empty) and iterates `BTreeMap` keys in UTF-8 byte order. It differs from
//! protobuf-go in one place: prost omits a map entry's key or value when it equals the
//! default, and protobuf-go always writes both. `ContainerInfo` is the only message with
//! maps, so it is written field by field here and every other message goes through prost.

use std::collections::BTreeMap;

use prost::encoding::{self, encode_key, encode_varint, WireType};
use prost::Message;

use super::{ContainerInfo, TaskIdentity, TaskPodIdentity};

/// Encodes a `TaskIdentity` deterministically: the bytes a Titus agent signs.
pub fn encode_task_identity(identity: &TaskIdentity) -> Vec<u8> {
    let mut out = Vec::new();

    if let Some(task) = &identity.task {
        encoding::message::encode(1, task, &mut out);
    }
    if let Some(container) = &identity.container {
        let body = encode_container_info(container);
        put_length_delimited(2, &body, &mut out);
    }
    if let Some(timestamp) = &identity.unix_timestamp_sec {
        encoding::uint64::encode(3, timestamp, &mut out);
    }
    put_string(4, identity.ipv4_address.as_ref(), &mut out);
    put_string(5, identity.ipv6_address.as_ref(), &mut out);
    out
}

/// Encodes a `TaskPodIdentity` deterministically. It has no maps, so prost's field-number
/// order is already protobuf-go's deterministic output.
pub fn encode_task_pod_identity(identity: &TaskPodIdentity) -> Vec<u8> {
    identity.encode_to_vec()
}

/// Writes `ContainerInfo` fields in field-number order, with map entries as protobuf-go
/// writes them.
fn encode_container_info(c: &ContainerInfo) -> Vec<u8> {
    let mut out = Vec::new();
    let buf = &mut out;

    put_string(1, c.image_name.as_ref(), buf);
    put_string(2, c.command.as_ref(), buf);
    put_string(3, c.container_ports.as_ref(), buf);
    put_string(4, c.version.as_ref(), buf);
    encoding::message::encode_repeated(5, &c.environment_variable, buf);
    put_string(6, c.job_id.as_ref(), buf);
    put_string(7, c.log_upload_regexp.as_ref(), buf);
    put_uint32(8, c.max_health_failures, buf);
    encoding::string::encode_repeated(9, &c.health_check_cmd, buf);
    put_int32(10, c.snapshot_policy, buf);
    encoding::string::encode_repeated(11, &c.entrypoint_cmd, buf);
    put_string(13, c.entrypoint_str.as_ref(), buf);
    put_string(14, c.app_name.as_ref(), buf);
    put_string(15, c.job_group_stack.as_ref(), buf);
    put_string(16, c.job_group_detail.as_ref(), buf);
    put_string(17, c.iam_profile.as_ref(), buf);
    put_message(18, c.network_config_info.as_ref(), buf);
    put_string(19, c.job_group_sequence.as_ref(), buf);
    put_uint32(20, c.num_gpus, buf);
    encoding::message::encode_repeated(21, &c.efs_config_info, buf);
    put_message(22, c.capabilities.as_ref(), buf);
    put_message(23, c.metatron_creds.as_ref(), buf);
    put_string_map(24, &c.user_provided_env, buf);
    put_string_map(25, &c.titus_provided_env, buf);
    put_string(26, c.image_digest.as_ref(), buf);
    put_bool(27, c.allow_network_bursting, buf);
    put_uint32(28, c.kill_wait_seconds, buf);
    put_bool(29, c.ignore_launch_guard, buf);
    put_bool(30, c.allow_nested_containers, buf);
    put_string(31, c.fully_qualified_image.as_ref(), buf);
    put_bool(32, c.allow_cpu_bursting, buf);
    put_bool(33, c.batch, buf);
    encoding::message::encode_repeated(34, &c.s3_log_locations, buf);
    put_int32(35, c.oom_score_adj, buf);
    put_int32(36, c.image_pull_policy, buf);
    put_string_map(37, &c.passthrough_attributes, buf);
    put_message(38, c.process.as_ref(), buf);
    put_message(39, c.run_state.as_ref(), buf);
    put_uint32(40, c.shm_size_mb, buf);
    put_message(41, c.signed_address_allocation.as_ref(), buf);
    if let Some(value) = &c.job_accepted_timestamp_ms {
        encoding::uint64::encode(42, value, buf);
    }
    out
}

fn put_string(tag: u32, value: Option<&String>, buf: &mut Vec<u8>) {
    if let Some(value) = value {
        encoding::string::encode(tag, value, buf);
    }
}

fn put_uint32(tag: u32, value: Option<u32>, buf: &mut Vec<u8>) {
    if let Some(value) = value {
        encoding::uint32::encode(tag, &value, buf);
    }
}

/// Writes an `int32` or enum field. Negative values take ten bytes, as in every protobuf
/// implementation.
fn put_int32(tag: u32, value: Option<i32>, buf: &mut Vec<u8>) {
    if let Some(value) = value {
        encoding::int32::encode(tag, &value, buf);
    }
}

fn put_bool(tag: u32, value: Option<bool>, buf: &mut Vec<u8>) {
    if let Some(value) = value {
        encoding::bool::encode(tag, &value, buf);
    }
}

fn put_message<M: Message>(tag: u32, value: Option<&M>, buf: &mut Vec<u8>) {
    if let Some(value) = value {
        encoding::message::encode(tag, value, buf);
    }
}

fn put_length_delimited(tag: u32, body: &[u8], buf: &mut Vec<u8>) {
    encode_key(tag, WireType::LengthDelimited, buf);
    encode_varint(body.len() as u64, buf);
    buf.extend_from_slice(body);
}

/// Writes a `map<string, string>` as protobuf-go does: one entry message per key in
/// UTF-8 byte order, each with both its key (field 1) and value (field 2), even when
/// empty.
fn put_string_map(tag: u32, map: &BTreeMap<String, String>, buf: &mut Vec<u8>) {
    for (key, value) in map {
        let len = encoding::string::encoded_len(1, key) + encoding::string::encoded_len(2, value);
        encode_key(tag, WireType::LengthDelimited, buf);
        encode_varint(len as u64, buf);
        encoding::string::encode(1, key, buf);
        encoding::string::encode(2, value, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{task_info, TaskInfo};

    #[test]
    fn zero_status_is_written() {
        let task = TaskInfo {
            status: Some(task_info::Status::Running as i32),
            ..TaskInfo::default()
        };
        let identity = TaskIdentity {
            task: Some(task),
            ..TaskIdentity::default()
        };
        assert_eq!(
            encode_task_identity(&identity),
            vec![0x0a, 0x02, 0x28, 0x00]
        );
    }

    #[test]
    fn empty_map_key_and_value_are_written() {
        let mut container = ContainerInfo::default();
        container
            .user_provided_env
            .insert(String::new(), String::new());
        let bytes = encode_container_info(&container);
        assert_eq!(bytes, vec![0xc2, 0x01, 0x04, 0x0a, 0x00, 0x12, 0x00]);
    }

    #[test]
    fn map_keys_sort_by_bytes() {
        let mut container = ContainerInfo::default();
        for key in ["VAR100", "VAR10", "VAR1", "VAR2"] {
            container
                .titus_provided_env
                .insert(key.to_owned(), "x".to_owned());
        }
        let bytes = encode_container_info(&container);
        let text = String::from_utf8_lossy(&bytes);
        let order: Vec<usize> = ["VAR1\u{12}", "VAR10\u{12}", "VAR100\u{12}", "VAR2\u{12}"]
            .iter()
            .filter_map(|key| text.find(key))
            .collect();
        assert_eq!(order.len(), 4);
        assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{order:?}");
    }

    #[test]
    fn matches_prost_without_maps() {
        let container = ContainerInfo {
            image_name: Some("image".to_owned()),
            version: Some(String::new()),
            health_check_cmd: vec!["a".to_owned(), String::new()],
            oom_score_adj: Some(-1000),
            batch: Some(false),
            job_accepted_timestamp_ms: Some(u64::MAX),
            ..ContainerInfo::default()
        };
        assert_eq!(encode_container_info(&container), container.encode_to_vec());
    }
}
