//! The page's messages, typed: every JSON text frame of a session and the body of
//! `POST /api/spawn-sync` is parsed here and nowhere else (see PROTOCOL.md).
//!
//! Fields whose shapes Node itself accepts loosely (a port as a number or a
//! string, a signal as a name or a number, headers as pairs or an object, an
//! environment with non-string values) stay [`Value`]s here and are read by the
//! channel that owns them, with Node's errors; everything else is typed.

use serde::Deserialize;
use serde_json::{json, Map, Value};

/// A message from the page (`{ "t": TYPE, "id": CHANNEL, ... }`).
#[derive(Debug, Deserialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum PageMessage {
    /// Start a child process on channel `id`.
    Spawn {
        /// The page's channel id.
        id: u32,
        /// What to run.
        #[serde(flatten)]
        spec: SpawnMsg,
    },
    /// Listen on a port.
    Listen {
        /// The page's channel id.
        id: u32,
        /// Where and what.
        #[serde(flatten)]
        opts: ListenMsg,
    },
    /// Outbound TCP.
    Connect {
        /// The page's channel id.
        id: u32,
        /// Where.
        #[serde(flatten)]
        opts: ConnectMsg,
    },
    /// Outbound HTTP(S).
    Request {
        /// The page's channel id.
        id: u32,
        /// The request head.
        #[serde(flatten)]
        opts: RequestMsg,
    },
    /// End of the page's side of a channel.
    End {
        /// The channel.
        id: u32,
    },
    /// Tear a channel down now.
    Destroy {
        /// The channel.
        id: u32,
    },
    /// Stop listening (`server.close()`).
    Unlisten {
        /// The listen channel.
        id: u32,
    },
    /// Signal a process.
    Kill {
        /// The spawn channel.
        id: u32,
        /// A name (`"SIGTERM"`) or number; absent: SIGTERM.
        #[serde(default)]
        signal: Option<Value>,
    },
    /// The page's response head for an incoming request.
    Respond {
        /// The request channel.
        id: u32,
        /// Status, headers, and optionally the whole body.
        #[serde(flatten)]
        head: RespondMsg,
    },
}

/// The fields of `spawn` (and of a spawn-sync body).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpawnMsg {
    /// The program.
    pub file: String,
    /// Its arguments.
    #[serde(default)]
    pub args: Option<Vec<String>>,
    /// `true` for `/bin/sh`, or the shell's path.
    #[serde(default)]
    pub shell: Option<Value>,
    /// Folder, relative to the workdir.
    #[serde(default)]
    pub cwd: Option<String>,
    /// The whole environment (values other than strings are stringified).
    #[serde(default)]
    pub env: Option<Map<String, Value>>,
    /// Milliseconds before `killSignal`.
    #[serde(default)]
    pub timeout: Option<Value>,
    /// The signal `timeout` sends.
    #[serde(default)]
    pub kill_signal: Option<Value>,
}

/// The body of `POST /api/spawn-sync`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpawnSyncMsg {
    /// What to run.
    #[serde(flatten)]
    pub spec: SpawnMsg,
    /// stdin, base64.
    #[serde(default)]
    pub input: Option<String>,
    /// Bytes of stdout (and of stderr) kept; past it, ENOBUFS.
    #[serde(default)]
    pub max_buffer: Option<Value>,
}

/// The fields of `listen`.
#[derive(Debug, Clone, Deserialize)]
pub struct ListenMsg {
    /// `net`, `http` or `https` (default `net`).
    #[serde(default)]
    pub kind: Option<String>,
    /// The port (0 or absent: any).
    #[serde(default)]
    pub port: Option<Value>,
    /// Listeners naming the same group share the port.
    #[serde(default)]
    pub group: Option<Value>,
    /// https: the key, PEM.
    #[serde(default)]
    pub key: Option<String>,
    /// https: the certificate chain, PEM.
    #[serde(default)]
    pub cert: Option<String>,
}

impl ListenMsg {
    /// The group as a string (a number is written out).
    pub fn group(&self) -> Option<String> {
        match &self.group {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        }
    }
}

/// The fields of `connect`.
#[derive(Debug, Clone, Deserialize)]
pub struct ConnectMsg {
    /// Host name or address (default `localhost`).
    #[serde(default)]
    pub host: Option<String>,
    /// The port.
    #[serde(default)]
    pub port: Option<Value>,
    /// Connect timeout in ms.
    #[serde(default)]
    pub timeout: Option<Value>,
}

/// The fields of `request`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestMsg {
    /// `http:` (default) or `https:`.
    #[serde(default)]
    pub protocol: Option<String>,
    /// Host name or address (preferred over `host`).
    #[serde(default)]
    pub hostname: Option<String>,
    /// Host name or address.
    #[serde(default)]
    pub host: Option<String>,
    /// The port (number or numeric string).
    #[serde(default)]
    pub port: Option<Value>,
    /// The method (default GET).
    #[serde(default)]
    pub method: Option<String>,
    /// Path and query (default `/`).
    #[serde(default)]
    pub path: Option<String>,
    /// `[[name, value], ...]` or `{ name: value | [values] }`.
    #[serde(default)]
    pub headers: Option<Value>,
    /// Connect timeout in ms.
    #[serde(default)]
    pub timeout: Option<Value>,
    /// https: verify the certificate (default true).
    #[serde(default)]
    pub reject_unauthorized: Option<bool>,
    /// https: the SNI name.
    #[serde(default)]
    pub servername: Option<String>,
}

/// The fields of `respond`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RespondMsg {
    /// The status code (default 200).
    #[serde(default)]
    pub status: Option<Value>,
    /// The reason phrase, when not the usual one.
    #[serde(default)]
    pub status_message: Option<String>,
    /// `[[name, value], ...]` (pairs that are not two strings are skipped).
    #[serde(default)]
    pub headers: Option<Value>,
    /// The whole response is in this message.
    #[serde(default)]
    pub end: Option<bool>,
    /// With `end`: the body, UTF-8.
    #[serde(default)]
    pub data: Option<String>,
}

/// A positive whole number of milliseconds from a loosely typed field.
pub fn millis(v: Option<&Value>) -> Option<std::time::Duration> {
    v.and_then(Value::as_u64)
        .filter(|&t| t > 0)
        .map(std::time::Duration::from_millis)
}

/// Why a text frame could not be read: the channel to answer on (0 when the
/// frame names none) and the error for the page.
#[derive(Debug)]
pub struct Malformed {
    /// The channel the message named, if any.
    pub id: u32,
    /// Whether the message would have opened that channel (then it gets `close` too).
    pub opens: bool,
    /// An `ERR_FERRODE_PROTOCOL` error.
    pub error: Value,
}

fn protocol_error(msg: String) -> Value {
    crate::errors::error("ERR_FERRODE_PROTOCOL", msg, json!({}))
}

/// Parses one text frame of a session.
pub fn parse(text: &str) -> Result<PageMessage, Malformed> {
    let v: Value = serde_json::from_str(text).map_err(|e| Malformed {
        id: 0,
        opens: false,
        error: protocol_error(format!("bad JSON: {e}")),
    })?;
    let Some(t) = v.get("t").and_then(Value::as_str).map(str::to_owned) else {
        return Err(Malformed {
            id: 0,
            opens: false,
            error: protocol_error("message without \"t\"".into()),
        });
    };
    let Some(id) = v
        .get("id")
        .and_then(Value::as_u64)
        .and_then(|i| u32::try_from(i).ok())
    else {
        return Err(Malformed {
            id: 0,
            opens: false,
            error: protocol_error("message without a valid \"id\"".into()),
        });
    };
    let opens = matches!(t.as_str(), "spawn" | "listen" | "connect" | "request");
    serde_json::from_value(v).map_err(|e| {
        let known = opens
            || matches!(
                t.as_str(),
                "end" | "destroy" | "unlisten" | "kill" | "respond"
            );
        let msg = if known {
            format!("bad {t:?} message: {e}")
        } else {
            format!("unknown message type {t:?}")
        };
        Malformed {
            id,
            opens,
            error: protocol_error(msg),
        }
    })
}

/// Parses the body of `POST /api/spawn-sync`.
pub fn parse_spawn_sync(v: Value) -> Result<SpawnSyncMsg, Value> {
    serde_json::from_value(v).map_err(|e| protocol_error(format!("bad spawn-sync body: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_parse_into_their_types() {
        match parse(r#"{"t":"spawn","id":3,"file":"ls","args":["-l"],"killSignal":"SIGKILL"}"#) {
            Ok(PageMessage::Spawn { id: 3, spec }) => {
                assert_eq!(spec.file, "ls");
                assert_eq!(spec.args, Some(vec!["-l".to_owned()]));
                assert_eq!(spec.kill_signal, Some(json!("SIGKILL")));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse(r#"{"t":"kill","id":1}"#),
            Ok(PageMessage::Kill {
                id: 1,
                signal: None
            })
        ));
        match parse(
            r#"{"t":"respond","id":9,"status":201,"headers":[["a","b"]],"end":true,"data":"x"}"#,
        ) {
            Ok(PageMessage::Respond { id: 9, head }) => {
                assert_eq!(head.status, Some(json!(201)));
                assert_eq!(head.headers, Some(json!([["a", "b"]])));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_messages_name_their_channel() {
        let e = parse(r#"{"t":"spawn","id":4,"file":7}"#).unwrap_err();
        assert_eq!((e.id, e.opens), (4, true));
        assert_eq!(e.error["code"], "ERR_FERRODE_PROTOCOL");
        let e = parse(r#"{"t":"nope","id":5}"#).unwrap_err();
        assert_eq!(e.id, 5);
        assert!(e.error["message"]
            .as_str()
            .unwrap()
            .contains("unknown message type"));
        assert_eq!(parse("{").unwrap_err().id, 0);
        assert_eq!(parse(r#"{"t":"end"}"#).unwrap_err().id, 0);
    }
}
