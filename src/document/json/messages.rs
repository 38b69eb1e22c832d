//! The JSON form of each schema message, member by member in declaration order.
//!
//! Keys are the proto field names exactly as the schema spells them, which is also what
//! protoc-gen-go puts in its `json` struct tags.

use super::reader::{self, ObjectReader};
use super::value::JsonValue;
use super::writer::ObjectWriter;
use crate::codec::container_info::{
    capabilities, efs_config_info, Capabilities, EfsConfigInfo, EnvironmentVariable,
    ImagePullPolicy, MetatronCreds, NetworkConfigInfo, Process, S3LogLocation, SnapshotPolicy,
};
use crate::codec::{
    task_info, AddressAllocation, AddressLocation, CertificateSignature,
    CertificateStringSignature, ContainerInfo, RunningContainerInfo, SignedAddressAllocation,
    TaskIdentity, TaskIdentityDocument, TaskIdentityStringDocument, TaskInfo, TaskPodIdentity,
    TaskPodIdentityDocument, Timestamp,
};
use crate::error::DecodeError;

type Result<T> = std::result::Result<T, DecodeError>;

macro_rules! enum_reader {
    ($name:ident, $ty:ty) => {
        fn $name(value: &JsonValue, path: &str) -> Result<i32> {
            reader::enumeration(value, path, |name| {
                <$ty>::from_str_name(name).map(|v| v as i32)
            })
        }
    };
}

enum_reader!(task_status, task_info::Status);
enum_reader!(snapshot_policy, SnapshotPolicy);
enum_reader!(image_pull_policy, ImagePullPolicy);
enum_reader!(mount_perms, efs_config_info::MountPerms);
enum_reader!(capability, capabilities::Capability);
enum_reader!(
    signature_algorithm,
    crate::codec::proto::messages::SignatureAlgorithm
);

pub(crate) fn write_task_identity(out: &mut String, m: &TaskIdentity) {
    let mut o = ObjectWriter::new(out);
    o.message("task", m.task.as_ref(), write_task_info);
    o.message("container", m.container.as_ref(), write_container_info);
    o.number("unixTimestampSec", m.unix_timestamp_sec);
    o.opt_string("ipv4Address", m.ipv4_address.as_ref());
    o.opt_string("ipv6Address", m.ipv6_address.as_ref());
    o.finish();
}

pub(crate) fn read_task_identity(value: &JsonValue, path: &str) -> Result<TaskIdentity> {
    let mut r = ObjectReader::new(value, path)?;
    let m = TaskIdentity {
        task: r.optional("task", read_task_info)?,
        container: r.optional("container", read_container_info)?,
        unix_timestamp_sec: r.optional("unixTimestampSec", reader::uint64)?,
        ipv4_address: r.optional("ipv4Address", reader::string)?,
        ipv6_address: r.optional("ipv6Address", reader::string)?,
    };
    r.finish()?;
    Ok(m)
}

pub(crate) fn write_task_pod_identity(out: &mut String, m: &TaskPodIdentity) {
    let mut o = ObjectWriter::new(out);
    o.message("taskInfo", Some(&m.task_info), write_task_info);
    o.bytes("pod", &m.pod);
    o.message(
        "requestTimestamp",
        Some(&m.request_timestamp),
        write_timestamp,
    );
    o.opt_string("ipv4Address", m.ipv4_address.as_ref());
    o.opt_string("ipv6Address", m.ipv6_address.as_ref());
    o.finish();
}

pub(crate) fn read_task_pod_identity(value: &JsonValue, path: &str) -> Result<TaskPodIdentity> {
    let mut r = ObjectReader::new(value, path)?;
    let m = TaskPodIdentity {
        task_info: r.required("taskInfo", read_task_info)?,
        // Go's encoding/json omits an empty `[]byte`, so an absent pod reads as empty.
        pod: r.or_default("pod", reader::bytes)?,
        request_timestamp: r.required("requestTimestamp", read_timestamp)?,
        ipv4_address: r.optional("ipv4Address", reader::string)?,
        ipv6_address: r.optional("ipv6Address", reader::string)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_task_info(out: &mut String, m: &TaskInfo) {
    let mut o = ObjectWriter::new(out);
    o.opt_string("containerId", m.container_id.as_ref());
    o.opt_string("taskId", m.task_id.as_ref());
    o.opt_string("hostName", m.host_name.as_ref());
    o.opt_string("slaveId", m.slave_id.as_ref());
    o.number("status", m.status);
    o.opt_string("message", m.message.as_ref());
    o.repeated_message(
        "environmentVariable",
        &m.environment_variable,
        write_task_env,
    );
    o.finish();
}

fn read_task_info(value: &JsonValue, path: &str) -> Result<TaskInfo> {
    let mut r = ObjectReader::new(value, path)?;
    let m = TaskInfo {
        container_id: r.optional("containerId", reader::string)?,
        task_id: r.optional("taskId", reader::string)?,
        host_name: r.optional("hostName", reader::string)?,
        slave_id: r.optional("slaveId", reader::string)?,
        status: r.optional("status", task_status)?,
        message: r.optional("message", reader::string)?,
        environment_variable: r.repeated("environmentVariable", read_task_env)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_task_env(out: &mut String, m: &task_info::EnvironmentVariable) {
    let mut o = ObjectWriter::new(out);
    o.opt_string("name", m.name.as_ref());
    o.opt_string("value", m.value.as_ref());
    o.finish();
}

fn read_task_env(value: &JsonValue, path: &str) -> Result<task_info::EnvironmentVariable> {
    let mut r = ObjectReader::new(value, path)?;
    let m = task_info::EnvironmentVariable {
        name: r.optional("name", reader::string)?,
        value: r.optional("value", reader::string)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_container_info(out: &mut String, m: &ContainerInfo) {
    let mut o = ObjectWriter::new(out);
    o.opt_string("imageName", m.image_name.as_ref());
    o.opt_string("command", m.command.as_ref());
    o.opt_string("containerPorts", m.container_ports.as_ref());
    o.opt_string("version", m.version.as_ref());
    o.repeated_message(
        "environmentVariable",
        &m.environment_variable,
        write_container_env,
    );
    o.opt_string("jobId", m.job_id.as_ref());
    o.opt_string("logUploadRegexp", m.log_upload_regexp.as_ref());
    o.number("maxHealthFailures", m.max_health_failures);
    o.repeated_string("healthCheckCmd", &m.health_check_cmd);
    o.number("snapshotPolicy", m.snapshot_policy);
    o.repeated_string("entrypointCmd", &m.entrypoint_cmd);
    o.opt_string("entrypointStr", m.entrypoint_str.as_ref());
    o.opt_string("appName", m.app_name.as_ref());
    o.opt_string("jobGroupStack", m.job_group_stack.as_ref());
    o.opt_string("jobGroupDetail", m.job_group_detail.as_ref());
    o.opt_string("iamProfile", m.iam_profile.as_ref());
    o.message(
        "networkConfigInfo",
        m.network_config_info.as_ref(),
        write_network_config,
    );
    o.opt_string("jobGroupSequence", m.job_group_sequence.as_ref());
    o.number("numGpus", m.num_gpus);
    o.repeated_message("efsConfigInfo", &m.efs_config_info, write_efs_config);
    o.message("capabilities", m.capabilities.as_ref(), write_capabilities);
    o.message(
        "metatronCreds",
        m.metatron_creds.as_ref(),
        write_metatron_creds,
    );
    o.string_map("userProvidedEnv", &m.user_provided_env);
    o.string_map("titusProvidedEnv", &m.titus_provided_env);
    o.opt_string("imageDigest", m.image_digest.as_ref());
    o.bool("allowNetworkBursting", m.allow_network_bursting);
    o.number("killWaitSeconds", m.kill_wait_seconds);
    o.bool("ignoreLaunchGuard", m.ignore_launch_guard);
    o.bool("allowNestedContainers", m.allow_nested_containers);
    o.opt_string("fullyQualifiedImage", m.fully_qualified_image.as_ref());
    o.bool("allowCpuBursting", m.allow_cpu_bursting);
    o.bool("batch", m.batch);
    o.repeated_message("s3LogLocations", &m.s3_log_locations, write_s3_log_location);
    o.number("oomScoreAdj", m.oom_score_adj);
    o.number("imagePullPolicy", m.image_pull_policy);
    o.string_map("passthroughAttributes", &m.passthrough_attributes);
    o.message("process", m.process.as_ref(), write_process);
    o.message("runState", m.run_state.as_ref(), write_running_container);
    o.number("shmSizeMB", m.shm_size_mb);
    let allocation = m.signed_address_allocation.as_ref();
    o.message(
        "signedAddressAllocation",
        allocation,
        write_signed_allocation,
    );
    o.number("jobAcceptedTimestampMs", m.job_accepted_timestamp_ms);
    o.finish();
}

fn read_container_info(value: &JsonValue, path: &str) -> Result<ContainerInfo> {
    let mut r = ObjectReader::new(value, path)?;
    let m = ContainerInfo {
        image_name: r.optional("imageName", reader::string)?,
        command: r.optional("command", reader::string)?,
        container_ports: r.optional("containerPorts", reader::string)?,
        version: r.optional("version", reader::string)?,
        environment_variable: r.repeated("environmentVariable", read_container_env)?,
        job_id: r.optional("jobId", reader::string)?,
        log_upload_regexp: r.optional("logUploadRegexp", reader::string)?,
        max_health_failures: r.optional("maxHealthFailures", reader::uint32)?,
        health_check_cmd: r.repeated("healthCheckCmd", reader::string)?,
        snapshot_policy: r.optional("snapshotPolicy", snapshot_policy)?,
        entrypoint_cmd: r.repeated("entrypointCmd", reader::string)?,
        entrypoint_str: r.optional("entrypointStr", reader::string)?,
        app_name: r.optional("appName", reader::string)?,
        job_group_stack: r.optional("jobGroupStack", reader::string)?,
        job_group_detail: r.optional("jobGroupDetail", reader::string)?,
        iam_profile: r.optional("iamProfile", reader::string)?,
        network_config_info: r.optional("networkConfigInfo", read_network_config)?,
        job_group_sequence: r.optional("jobGroupSequence", reader::string)?,
        num_gpus: r.optional("numGpus", reader::uint32)?,
        efs_config_info: r.repeated("efsConfigInfo", read_efs_config)?,
        capabilities: r.optional("capabilities", read_capabilities)?,
        metatron_creds: r.optional("metatronCreds", read_metatron_creds)?,
        user_provided_env: r.string_map("userProvidedEnv")?,
        titus_provided_env: r.string_map("titusProvidedEnv")?,
        image_digest: r.optional("imageDigest", reader::string)?,
        allow_network_bursting: r.optional("allowNetworkBursting", reader::boolean)?,
        kill_wait_seconds: r.optional("killWaitSeconds", reader::uint32)?,
        ignore_launch_guard: r.optional("ignoreLaunchGuard", reader::boolean)?,
        allow_nested_containers: r.optional("allowNestedContainers", reader::boolean)?,
        fully_qualified_image: r.optional("fullyQualifiedImage", reader::string)?,
        allow_cpu_bursting: r.optional("allowCpuBursting", reader::boolean)?,
        batch: r.optional("batch", reader::boolean)?,
        s3_log_locations: r.repeated("s3LogLocations", read_s3_log_location)?,
        oom_score_adj: r.optional("oomScoreAdj", reader::int32)?,
        image_pull_policy: r.optional("imagePullPolicy", image_pull_policy)?,
        passthrough_attributes: r.string_map("passthroughAttributes")?,
        process: r.optional("process", read_process)?,
        run_state: r.optional("runState", read_running_container)?,
        shm_size_mb: r.optional("shmSizeMB", reader::uint32)?,
        signed_address_allocation: r.optional("signedAddressAllocation", read_signed_allocation)?,
        job_accepted_timestamp_ms: r.optional("jobAcceptedTimestampMs", reader::uint64)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_container_env(out: &mut String, m: &EnvironmentVariable) {
    let mut o = ObjectWriter::new(out);
    o.opt_string("name", m.name.as_ref());
    o.opt_string("value", m.value.as_ref());
    o.finish();
}

fn read_container_env(value: &JsonValue, path: &str) -> Result<EnvironmentVariable> {
    let mut r = ObjectReader::new(value, path)?;
    let m = EnvironmentVariable {
        name: r.optional("name", reader::string)?,
        value: r.optional("value", reader::string)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_network_config(out: &mut String, m: &NetworkConfigInfo) {
    let mut o = ObjectWriter::new(out);
    o.string("eniLablel", &m.eni_lablel);
    o.opt_string("eniLabel", m.eni_label.as_ref());
    o.repeated_string("securityGroups", &m.security_groups);
    o.number("bandwidthLimitMbps", m.bandwidth_limit_mbps);
    o.finish();
}

fn read_network_config(value: &JsonValue, path: &str) -> Result<NetworkConfigInfo> {
    let mut r = ObjectReader::new(value, path)?;
    let m = NetworkConfigInfo {
        eni_lablel: r.required("eniLablel", reader::string)?,
        eni_label: r.optional("eniLabel", reader::string)?,
        security_groups: r.repeated("securityGroups", reader::string)?,
        bandwidth_limit_mbps: r.optional("bandwidthLimitMbps", reader::uint32)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_efs_config(out: &mut String, m: &EfsConfigInfo) {
    let mut o = ObjectWriter::new(out);
    o.string("efsFsId", &m.efs_fs_id);
    o.string("mountPoint", &m.mount_point);
    o.number("mntPerms", m.mnt_perms);
    o.opt_string(
        "efsFsRelativeMntPoint",
        m.efs_fs_relative_mnt_point.as_ref(),
    );
    o.finish();
}

fn read_efs_config(value: &JsonValue, path: &str) -> Result<EfsConfigInfo> {
    let mut r = ObjectReader::new(value, path)?;
    let m = EfsConfigInfo {
        efs_fs_id: r.required("efsFsId", reader::string)?,
        mount_point: r.required("mountPoint", reader::string)?,
        mnt_perms: r.optional("mntPerms", mount_perms)?,
        efs_fs_relative_mnt_point: r.optional("efsFsRelativeMntPoint", reader::string)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_capabilities(out: &mut String, m: &Capabilities) {
    let mut o = ObjectWriter::new(out);
    o.repeated_number("add", &m.add);
    o.repeated_number("drop", &m.drop);
    o.finish();
}

fn read_capabilities(value: &JsonValue, path: &str) -> Result<Capabilities> {
    let mut r = ObjectReader::new(value, path)?;
    let m = Capabilities {
        add: r.repeated("add", capability)?,
        drop: r.repeated("drop", capability)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_metatron_creds(out: &mut String, m: &MetatronCreds) {
    let mut o = ObjectWriter::new(out);
    o.string("appMetadata", &m.app_metadata);
    o.string("metadataSig", &m.metadata_sig);
    o.finish();
}

fn read_metatron_creds(value: &JsonValue, path: &str) -> Result<MetatronCreds> {
    let mut r = ObjectReader::new(value, path)?;
    let m = MetatronCreds {
        app_metadata: r.required("appMetadata", reader::string)?,
        metadata_sig: r.required("metadataSig", reader::string)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_s3_log_location(out: &mut String, m: &S3LogLocation) {
    let mut o = ObjectWriter::new(out);
    o.string("bucket", &m.bucket);
    o.string("prefix", &m.prefix);
    o.finish();
}

fn read_s3_log_location(value: &JsonValue, path: &str) -> Result<S3LogLocation> {
    let mut r = ObjectReader::new(value, path)?;
    let m = S3LogLocation {
        bucket: r.required("bucket", reader::string)?,
        prefix: r.required("prefix", reader::string)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_process(out: &mut String, m: &Process) {
    let mut o = ObjectWriter::new(out);
    o.repeated_string("entrypoint", &m.entrypoint);
    o.repeated_string("command", &m.command);
    o.finish();
}

fn read_process(value: &JsonValue, path: &str) -> Result<Process> {
    let mut r = ObjectReader::new(value, path)?;
    let m = Process {
        entrypoint: r.repeated("entrypoint", reader::string)?,
        command: r.repeated("command", reader::string)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_running_container(out: &mut String, m: &RunningContainerInfo) {
    let mut o = ObjectWriter::new(out);
    o.opt_string("hostName", m.host_name.as_ref());
    o.opt_string("taskId", m.task_id.as_ref());
    o.number("launchTimeUnixSec", m.launch_time_unix_sec);
    o.finish();
}

fn read_running_container(value: &JsonValue, path: &str) -> Result<RunningContainerInfo> {
    let mut r = ObjectReader::new(value, path)?;
    let m = RunningContainerInfo {
        host_name: r.optional("hostName", reader::string)?,
        task_id: r.optional("taskId", reader::string)?,
        launch_time_unix_sec: r.optional("launchTimeUnixSec", reader::uint64)?,
    };
    r.finish()?;
    Ok(m)
}

/// `SignedAddressAllocation` is proto3: Go omits zero values, and absent means zero.
fn write_signed_allocation(out: &mut String, m: &SignedAddressAllocation) {
    let mut o = ObjectWriter::new(out);
    o.message(
        "addressAllocation",
        m.address_allocation.as_ref(),
        write_allocation,
    );
    o.bytes("signedAddressAllocation", &m.signed_address_allocation);
    o.bytes("authoritativePublicKey", &m.authoritative_public_key);
    o.bytes("hostPublicKey", &m.host_public_key);
    o.bytes("hostPublicKeySignature", &m.host_public_key_signature);
    o.bytes("message", &m.message);
    o.bytes("messageSignature", &m.message_signature);
    o.finish();
}

fn read_signed_allocation(value: &JsonValue, path: &str) -> Result<SignedAddressAllocation> {
    let mut r = ObjectReader::new(value, path)?;
    let m = SignedAddressAllocation {
        address_allocation: r.optional("addressAllocation", read_allocation)?,
        signed_address_allocation: r.or_default("signedAddressAllocation", reader::bytes)?,
        authoritative_public_key: r.or_default("authoritativePublicKey", reader::bytes)?,
        host_public_key: r.or_default("hostPublicKey", reader::bytes)?,
        host_public_key_signature: r.or_default("hostPublicKeySignature", reader::bytes)?,
        message: r.or_default("message", reader::bytes)?,
        message_signature: r.or_default("messageSignature", reader::bytes)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_allocation(out: &mut String, m: &AddressAllocation) {
    let mut o = ObjectWriter::new(out);
    o.message(
        "addressLocation",
        m.address_location.as_ref(),
        write_location,
    );
    o.nonempty_string("uuid", &m.uuid);
    o.nonempty_string("address", &m.address);
    o.nonempty_string("ipv6Address", &m.ipv6_address);
    o.finish();
}

fn read_allocation(value: &JsonValue, path: &str) -> Result<AddressAllocation> {
    let mut r = ObjectReader::new(value, path)?;
    let m = AddressAllocation {
        address_location: r.optional("addressLocation", read_location)?,
        uuid: r.or_default("uuid", reader::string)?,
        address: r.or_default("address", reader::string)?,
        ipv6_address: r.or_default("ipv6Address", reader::string)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_location(out: &mut String, m: &AddressLocation) {
    let mut o = ObjectWriter::new(out);
    o.nonempty_string("region", &m.region);
    o.nonempty_string("availabilityZone", &m.availability_zone);
    o.nonempty_string("subnetId", &m.subnet_id);
    o.finish();
}

fn read_location(value: &JsonValue, path: &str) -> Result<AddressLocation> {
    let mut r = ObjectReader::new(value, path)?;
    let m = AddressLocation {
        region: r.or_default("region", reader::string)?,
        availability_zone: r.or_default("availabilityZone", reader::string)?,
        subnet_id: r.or_default("subnetId", reader::string)?,
    };
    r.finish()?;
    Ok(m)
}

/// Writes a Timestamp as Go's `encoding/json` writes `timestamppb.Timestamp`: an object
/// whose zero members are omitted.
fn write_timestamp(out: &mut String, m: &Timestamp) {
    let mut o = ObjectWriter::new(out);
    o.nonzero_number("seconds", m.seconds);
    o.nonzero_number("nanos", i64::from(m.nanos));
    o.finish();
}

/// Reads a Timestamp from the Go object shape or from a protobuf JSON RFC 3339 string.
fn read_timestamp(value: &JsonValue, path: &str) -> Result<Timestamp> {
    if let JsonValue::String(text) = value {
        let (seconds, nanos) = crate::time::parse_rfc3339(text, path)?;
        return Ok(Timestamp { seconds, nanos });
    }
    let mut r = ObjectReader::new(value, path)?;
    let m = Timestamp {
        seconds: r.or_default("seconds", reader::int64)?,
        nanos: r.or_default("nanos", reader::int32)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_signature(out: &mut String, m: &CertificateSignature) {
    let mut o = ObjectWriter::new(out);
    o.bytes("signature", m.signature.as_deref().unwrap_or_default());
    o.number("algorithm", m.algorithm);
    o.repeated_bytes("certChain", &m.cert_chain);
    o.finish();
}

fn read_signature(value: &JsonValue, path: &str) -> Result<CertificateSignature> {
    let mut r = ObjectReader::new(value, path)?;
    let m = CertificateSignature {
        signature: r.optional("signature", reader::bytes)?,
        algorithm: r.optional("algorithm", signature_algorithm)?,
        cert_chain: r.repeated("certChain", reader::bytes)?,
    };
    r.finish()?;
    Ok(m)
}

fn write_string_signature(out: &mut String, m: &CertificateStringSignature) {
    let mut o = ObjectWriter::new(out);
    o.opt_string("signature", m.signature.as_ref());
    o.number("algorithm", m.algorithm);
    o.repeated_string("certChain", &m.cert_chain);
    o.finish();
}

fn read_string_signature(value: &JsonValue, path: &str) -> Result<CertificateStringSignature> {
    let mut r = ObjectReader::new(value, path)?;
    let m = CertificateStringSignature {
        signature: r.optional("signature", reader::base64_text)?,
        algorithm: r.optional("algorithm", signature_algorithm)?,
        cert_chain: r.repeated("certChain", reader::base64_text)?,
    };
    r.finish()?;
    Ok(m)
}

pub(crate) fn write_identity_document(out: &mut String, m: &TaskIdentityDocument) {
    let mut o = ObjectWriter::new(out);
    o.bytes("identity", m.identity.as_deref().unwrap_or_default());
    o.message("signature", m.signature.as_ref(), write_signature);
    o.finish();
}

pub(crate) fn read_identity_document(
    value: &JsonValue,
    path: &str,
) -> Result<TaskIdentityDocument> {
    let mut r = ObjectReader::new(value, path)?;
    let m = TaskIdentityDocument {
        identity: r.optional("identity", reader::bytes)?,
        signature: r.optional("signature", read_signature)?,
    };
    r.finish()?;
    Ok(m)
}

pub(crate) fn write_pod_document(out: &mut String, m: &TaskPodIdentityDocument) {
    let mut o = ObjectWriter::new(out);
    o.bytes("podIdentity", m.pod_identity.as_deref().unwrap_or_default());
    o.message("signature", m.signature.as_ref(), write_signature);
    o.finish();
}

pub(crate) fn read_pod_document(value: &JsonValue, path: &str) -> Result<TaskPodIdentityDocument> {
    let mut r = ObjectReader::new(value, path)?;
    let m = TaskPodIdentityDocument {
        pod_identity: r.optional("podIdentity", reader::bytes)?,
        signature: r.optional("signature", read_signature)?,
    };
    r.finish()?;
    Ok(m)
}

pub(crate) fn write_string_document(out: &mut String, m: &TaskIdentityStringDocument) {
    let mut o = ObjectWriter::new(out);
    o.message("identity", m.identity.as_ref(), write_task_identity);
    o.message("signature", m.signature.as_ref(), write_string_signature);
    o.finish();
}

pub(crate) fn read_string_document(
    value: &JsonValue,
    path: &str,
) -> Result<TaskIdentityStringDocument> {
    let mut r = ObjectReader::new(value, path)?;
    let m = TaskIdentityStringDocument {
        identity: r.optional("identity", read_task_identity)?,
        signature: r.optional("signature", read_string_signature)?,
    };
    r.finish()?;
    Ok(m)
}
