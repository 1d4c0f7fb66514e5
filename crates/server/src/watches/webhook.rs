//! Webhook delivery by the Standard Webhooks scheme
//! (<https://www.standardwebhooks.com/>).
//!
//! Each delivery is a POST of JSON `{"type", "timestamp", "data"}` with
//! three headers:
//!
//! - `webhook-id`: the delivery's id, the same on every retry, so that a
//!   receiver drops what it has already handled;
//! - `webhook-timestamp`: unix seconds of this attempt;
//! - `webhook-signature`: `v1,` and the base64 HMAC-SHA256 of
//!   `{id}.{timestamp}.{body}` under the watch's secret (`whsec_` and the
//!   base64 key), which the receiver recomputes.
//!
//! A 2xx answer delivers; anything else (another status, no answer within
//! the timeout) is logged and tried again after the next wait of the
//! retry schedule, and given up after the last. Every attempt is kept in
//! the store as the delivery log, and a delivery can be sent again.

use std::net::{IpAddr, ToSocketAddrs};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use unspun_store::{AttemptOutcome, Delivery, Store, StoreError};

use super::rules::WatchSpec;

/// The prefix of a Standard Webhooks secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new random secret (`whsec_` and 24 random bytes in base64).
pub fn new_secret() -> String {
    let mut key = [0u8; 24];
    getrandom::fill(&mut key).expect("the system's random source works");
    format!("{SECRET_PREFIX}{}", STANDARD.encode(key))
}

/// The `webhook-signature` value of `body` sent as `id` at `timestamp`
/// under `secret`; `None` when the secret is not a Standard Webhooks one.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix(SECRET_PREFIX)?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// The body of a delivery: the event type, when, and the alert's data.
pub fn body(kind: &str, data: &Value) -> String {
    json!({
        "type": kind,
        "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": data,
    })
    .to_string()
}

/// Whether `ip` is on the server's own side: loopback, private,
/// link-local, unspecified, shared (CGNAT) or unique-local.
fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                // 100.64.0.0/10, shared address space.
                || (v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link local
        }
    }
}

/// Refuses a webhook URL whose host is, or resolves to, an address on the
/// server's own side (loopback, private, link-local: a cloud's metadata
/// service), unless `allow_private`. A host that does not resolve is
/// refused too. Checked when a watch is made and again before each send
/// (a name can be pointed elsewhere after the check).
pub fn check_destination(url: &str, allow_private: bool) -> Result<(), String> {
    let uri: axum::http::Uri = url
        .parse()
        .map_err(|e| format!("{url:?} is not a URL: {e}"))?;
    let host = uri
        .host()
        .ok_or_else(|| format!("{url:?} has no host"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = uri
        .port_u16()
        .unwrap_or(if uri.scheme_str() == Some("https") {
            443
        } else {
            80
        });
    let addrs: Vec<IpAddr> = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|e| format!("the host {host:?} does not resolve: {e}"))?
        .map(|a| a.ip())
        .collect();
    if addrs.is_empty() {
        return Err(format!("the host {host:?} does not resolve"));
    }
    if !allow_private {
        if let Some(ip) = addrs.iter().find(|ip| is_internal(**ip)) {
            return Err(format!(
                "the host {host:?} is a loopback, private or link-local address ({ip}); \
                 a server that should post to its own network is started with --allow-private-webhooks"
            ));
        }
    }
    Ok(())
}

/// How deliveries are sent.
#[derive(Clone, Debug)]
pub struct DeliveryPolicy {
    /// The waits before each retry; after the last, a delivery fails.
    pub retries: Vec<Duration>,
    /// How long one attempt may take.
    pub timeout: Duration,
    /// Allow receivers on loopback, private and link-local addresses.
    pub allow_private: bool,
    /// Deliveries sent at once (to different receivers), and at most
    /// `per_host` of them to one host in a round, so that one slow
    /// receiver does not hold up the others.
    pub parallel: usize,
    /// At most this many deliveries to one host per round.
    pub per_host: usize,
}

impl Default for DeliveryPolicy {
    /// Retries after 5 s, 5 min, 30 min, 2 h, 5 h and 10 h (the schedule
    /// Standard Webhooks suggests), 10 s per attempt.
    fn default() -> DeliveryPolicy {
        DeliveryPolicy {
            retries: [5, 300, 1800, 7200, 18000, 36000]
                .into_iter()
                .map(Duration::from_secs)
                .collect(),
            timeout: Duration::from_secs(10),
            allow_private: false,
            parallel: 8,
            per_host: 4,
        }
    }
}

/// The host a delivery goes to, for spreading the work (empty when its
/// watch is gone: it fails on its own).
fn host_of(store: &dyn Store, d: &Delivery) -> String {
    store
        .watch(d.watch)
        .ok()
        .flatten()
        .and_then(|w| serde_json::from_str::<WatchSpec>(&w.spec).ok())
        .and_then(|s| s.webhook)
        .and_then(|h| h.url.parse::<axum::http::Uri>().ok())
        .and_then(|u| u.host().map(str::to_string))
        .unwrap_or_default()
}

/// Sends the deliveries due now, once each, and logs the attempts: at most
/// `per_host` to one host and `parallel` at a time. Returns how many were
/// attempted.
pub fn deliver_due(store: &dyn Store, policy: &DeliveryPolicy) -> Result<usize, StoreError> {
    let now = chrono::Utc::now().timestamp();
    let due = store.due_deliveries(now, 256)?;
    let mut per_host: std::collections::HashMap<String, usize> = Default::default();
    let round: Vec<Delivery> = due
        .into_iter()
        .filter(|d| {
            let n = per_host.entry(host_of(store, d)).or_default();
            *n += 1;
            *n <= policy.per_host.max(1)
        })
        .take(policy.parallel.max(1) * 4)
        .collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(policy.timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    for chunk in round.chunks(policy.parallel.max(1)) {
        std::thread::scope(|scope| {
            for d in chunk {
                let agent = &agent;
                scope.spawn(move || deliver_one(store, policy, agent, d));
            }
        });
    }
    Ok(round.len())
}

/// One attempt at `d`, logged.
fn deliver_one(store: &dyn Store, policy: &DeliveryPolicy, agent: &ureq::Agent, d: &Delivery) {
    let outcome = match attempt(store, agent, d, policy.allow_private) {
        Ok(status) if (200..300).contains(&status) => AttemptOutcome {
            status: Some(status),
            accepted: true,
            ..AttemptOutcome::default()
        },
        Ok(status) => retry_or_fail(policy, d, Some(status), format!("answered {status}")),
        Err(e) => retry_or_fail(policy, d, None, e),
    };
    if !outcome.accepted {
        tracing::warn!(delivery = %d.id, watch = d.watch, error = ?outcome.error, "webhook delivery failed");
    }
    // A delivery whose attempt cannot be logged now is tried again later.
    if let Err(e) = store.record_attempt(d, &outcome) {
        tracing::error!(delivery = %d.id, error = %e, "webhook delivery: cannot log the attempt");
    }
}

fn retry_or_fail(
    policy: &DeliveryPolicy,
    d: &Delivery,
    status: Option<u16>,
    error: String,
) -> AttemptOutcome {
    // The schedule of this round: a redelivery starts it again.
    let retry_at = policy
        .retries
        .get(d.attempts.saturating_sub(d.round_start) as usize)
        .map(|wait| chrono::Utc::now().timestamp() + wait.as_secs().max(1) as i64);
    AttemptOutcome {
        status,
        error: Some(error),
        accepted: false,
        retry_at,
    }
}

/// One POST of `d`; the receiver's status, or why there was none.
fn attempt(
    store: &dyn Store,
    agent: &ureq::Agent,
    d: &Delivery,
    allow_private: bool,
) -> Result<u16, String> {
    let watch = store
        .watch(d.watch)
        .map_err(|e| e.to_string())?
        .ok_or("the watch was deleted")?;
    let spec: WatchSpec = serde_json::from_str(&watch.spec).map_err(|e| e.to_string())?;
    let url = spec.webhook.ok_or("the watch has no webhook")?.url;
    check_destination(&url, allow_private)?;
    let secret = watch.secret.ok_or("the watch has no secret")?;
    let data: Value = serde_json::from_str(&d.payload).map_err(|e| e.to_string())?;
    let kind = if d.match_seq.is_some() {
        "watch.match"
    } else {
        "watch.test"
    };
    let body = body(kind, &data);
    let timestamp = chrono::Utc::now().timestamp();
    let signature =
        sign(&secret, &d.id, timestamp, &body).ok_or("the watch's secret is malformed")?;
    let response = agent
        .post(&url)
        .header("content-type", "application/json")
        .header("webhook-id", &d.id)
        .header("webhook-timestamp", &timestamp.to_string())
        .header("webhook-signature", &signature)
        .send(body.as_bytes())
        .map_err(|e| e.to_string())?;
    Ok(response.status().as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification's reference
    /// libraries: this secret, id, timestamp and body sign to this value.
    #[test]
    fn signature_matches_the_reference_example() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let ts = 1614265330;
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, id, ts, body).unwrap(),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        assert!(sign("not-a-secret", id, ts, body).is_none());
    }

    #[test]
    fn webhooks_to_the_servers_own_network_are_refused() {
        for url in [
            "http://127.0.0.1:9000/hook",
            "http://localhost/hook",
            "http://10.1.2.3/x",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]:8080/",
            "http://[fd00::1]/",
            "http://[::ffff:192.168.1.1]/",
        ] {
            let err = check_destination(url, false).unwrap_err();
            assert!(err.contains("--allow-private-webhooks"), "{url}: {err}");
            assert!(check_destination(url, true).is_ok(), "{url}");
        }
        assert!(check_destination("http://93.184.215.14/hook", false).is_ok());
        assert!(check_destination("not a url", false).is_err());
    }

    #[test]
    fn secrets_are_random_and_well_formed() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert!(sign(&a, "msg_1", 1, "{}").is_some());
    }
}
