//! Option values shared by several subcommands.

use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use titus_identity::document::DocumentKind;
use titus_identity::signing::PssSaltLength;
use titus_identity::verification::Purpose;

/// `--kind`: which document kind to read or write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum KindArg {
    /// Tell the kind from the input (verify and inspect only).
    Auto,
    /// TaskIdentityDocument, protobuf.
    Identity,
    /// TaskPodIdentityDocument, protobuf.
    Pod,
    /// TaskIdentityStringDocument, JSON.
    String,
}

impl KindArg {
    /// The fixed kind, or `None` for `auto`.
    pub(crate) const fn kind(self) -> Option<DocumentKind> {
        match self {
            Self::Auto => None,
            Self::Identity => Some(DocumentKind::Identity),
            Self::Pod => Some(DocumentKind::Pod),
            Self::String => Some(DocumentKind::String),
        }
    }
}

/// `--salt`: the RSASSA-PSS salt length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SaltArg {
    /// 20 bytes, as the deployed Titus agent signs.
    #[value(name = "20")]
    Twenty,
    /// As long as the digest.
    Digest,
}

impl From<SaltArg> for PssSaltLength {
    fn from(salt: SaltArg) -> Self {
        match salt {
            SaltArg::Twenty => Self::Twenty,
            SaltArg::Digest => Self::DigestLength,
        }
    }
}

/// `--purpose`: the extended key usage the leaf must allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PurposeArg(pub(crate) Purpose);

impl FromStr for PurposeArg {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let purpose = match text {
            "client" => Purpose::ClientAuth,
            "server" => Purpose::ServerAuth,
            "any" => Purpose::Any,
            oid if is_dotted_oid(oid) => Purpose::Oid(oid.to_owned()),
            other => {
                return Err(format!(
                    "invalid purpose {other:?}: expected client, server, any or a dotted OID"
                ))
            }
        };
        Ok(Self(purpose))
    }
}

fn is_dotted_oid(text: &str) -> bool {
    let arcs: Vec<&str> = text.split('.').collect();
    arcs.len() >= 2
        && arcs
            .iter()
            .all(|arc| !arc.is_empty() && arc.bytes().all(|b| b.is_ascii_digit()))
}

/// `--at`: a validation time as Unix seconds or an RFC 3339 date-time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TimeArg(pub(crate) SystemTime);

impl FromStr for TimeArg {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let seconds = match text.parse::<i64>() {
            Ok(seconds) => seconds,
            Err(_) => {
                titus_identity::time::parse_rfc3339(text, "--at")
                    .map_err(|_| {
                        format!("invalid time {text:?}: expected Unix seconds or RFC 3339")
                    })?
                    .0
            }
        };
        let magnitude = Duration::from_secs(seconds.unsigned_abs());
        let time = if seconds >= 0 {
            UNIX_EPOCH.checked_add(magnitude)
        } else {
            UNIX_EPOCH.checked_sub(magnitude)
        };
        time.map(Self)
            .ok_or_else(|| format!("time {text:?} is out of range"))
    }
}

/// `--max-age`: the oldest accepted document age in seconds, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MaxAge(pub(crate) Option<Duration>);

impl FromStr for MaxAge {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text == "off" {
            return Ok(Self(None));
        }
        text.parse::<u64>()
            .map(|seconds| Self(Some(Duration::from_secs(seconds))))
            .map_err(|_| format!("invalid max age {text:?}: expected seconds or off"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_parse() {
        assert_eq!("client".parse(), Ok(PurposeArg(Purpose::ClientAuth)));
        assert_eq!(
            "1.3.6.1.5.5.7.3.4".parse(),
            Ok(PurposeArg(Purpose::Oid("1.3.6.1.5.5.7.3.4".into())))
        );
        assert!("1..2".parse::<PurposeArg>().is_err());
        assert!("email".parse::<PurposeArg>().is_err());
    }

    #[test]
    fn times_parse() {
        let at: Result<TimeArg, _> = "1970-01-01T00:01:00Z".parse();
        assert_eq!(at, Ok(TimeArg(UNIX_EPOCH + Duration::from_secs(60))));
        assert_eq!(
            "60".parse(),
            Ok(TimeArg(UNIX_EPOCH + Duration::from_secs(60)))
        );
        assert!("yesterday".parse::<TimeArg>().is_err());
    }

    #[test]
    fn max_age_parses() {
        assert_eq!("off".parse(), Ok(MaxAge(None)));
        assert_eq!("5".parse(), Ok(MaxAge(Some(Duration::from_secs(5)))));
        assert!("-5".parse::<MaxAge>().is_err());
    }
}
