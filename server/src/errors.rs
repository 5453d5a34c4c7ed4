//! Errors in Node's shape (`code`, `errno`, `syscall`, `message`, and the extra
//! fields Node sets such as `address`, `port`, `path`, `hostname`), as JSON for
//! the page, which rebuilds them as `Error` objects.

use serde_json::{json, Map, Value};

/// libuv's names, negative errno values and descriptions for the OS errors the
/// companion passes on (Linux numbering).
const UV: &[(&str, i32, &str)] = &[
    ("EPERM", 1, "operation not permitted"),
    ("ENOENT", 2, "no such file or directory"),
    ("ESRCH", 3, "no such process"),
    ("EINTR", 4, "interrupted system call"),
    ("EIO", 5, "i/o error"),
    ("E2BIG", 7, "argument list too long"),
    ("EBADF", 9, "bad file descriptor"),
    ("EAGAIN", 11, "resource temporarily unavailable"),
    ("ENOMEM", 12, "not enough memory"),
    ("EACCES", 13, "permission denied"),
    ("EBUSY", 16, "resource busy or locked"),
    ("EEXIST", 17, "file already exists"),
    ("ENOTDIR", 20, "not a directory"),
    ("EISDIR", 21, "illegal operation on a directory"),
    ("EINVAL", 22, "invalid argument"),
    ("EMFILE", 24, "too many open files"),
    ("ENOSPC", 28, "no space left on device"),
    ("EPIPE", 32, "broken pipe"),
    ("ENOBUFS", 105, "no buffer space available"),
    ("EADDRINUSE", 98, "address already in use"),
    ("EADDRNOTAVAIL", 99, "address not available"),
    ("ENETDOWN", 100, "network is down"),
    ("ENETUNREACH", 101, "network is unreachable"),
    ("ECONNABORTED", 103, "software caused connection abort"),
    ("ECONNRESET", 104, "connection reset by peer"),
    ("ENOTCONN", 107, "socket is not connected"),
    ("ETIMEDOUT", 110, "connection timed out"),
    ("ECONNREFUSED", 111, "connection refused"),
    ("EHOSTUNREACH", 113, "host is unreachable"),
];

/// libuv's name, negative errno and description for an OS error number.
pub fn uv_name(raw: i32) -> (&'static str, i32, &'static str) {
    UV.iter()
        .find(|(_, n, _)| *n == raw)
        .map(|&(name, n, desc)| (name, -n, desc))
        .unwrap_or(("UNKNOWN", -4094, "unknown error"))
}

/// libuv's name, negative errno and description for a code name.
pub fn uv_code(name: &str) -> (&'static str, i32, &'static str) {
    UV.iter()
        .find(|(n, _, _)| *n == name)
        .map(|&(name, n, desc)| (name, -n, desc))
        .unwrap_or(("UNKNOWN", -4094, "unknown error"))
}

/// The libuv triple for an I/O error (timeouts without an OS number become ETIMEDOUT).
pub fn io_code(e: &std::io::Error) -> (&'static str, i32, &'static str) {
    match e.raw_os_error() {
        Some(raw) => uv_name(raw),
        None => match e.kind() {
            std::io::ErrorKind::TimedOut => uv_code("ETIMEDOUT"),
            std::io::ErrorKind::ConnectionRefused => uv_code("ECONNREFUSED"),
            std::io::ErrorKind::ConnectionReset => uv_code("ECONNRESET"),
            std::io::ErrorKind::BrokenPipe => uv_code("EPIPE"),
            std::io::ErrorKind::NotFound => uv_code("ENOENT"),
            std::io::ErrorKind::PermissionDenied => uv_code("EACCES"),
            std::io::ErrorKind::AddrInUse => uv_code("EADDRINUSE"),
            _ => ("UNKNOWN", -4094, "unknown error"),
        },
    }
}

/// An error object with `message`, `code` and any extra fields.
pub fn error(code: &str, message: String, extra: Value) -> Value {
    let mut m = Map::new();
    m.insert("message".into(), Value::String(message));
    m.insert("code".into(), Value::String(code.into()));
    if let Value::Object(extra) = extra {
        m.extend(extra);
    }
    Value::Object(m)
}

/// Node's shape for a failed `connect` to `address:port`:
/// `connect ECONNREFUSED 127.0.0.1:1`.
pub fn connect_error(e: &std::io::Error, address: &str, port: u16) -> Value {
    let (code, errno, _) = io_code(e);
    error(
        code,
        format!("connect {code} {address}:{port}"),
        json!({ "errno": errno, "syscall": "connect", "address": address, "port": port }),
    )
}

/// Node's shape for a failed name lookup: `getaddrinfo ENOTFOUND host`.
pub fn lookup_error(host: &str) -> Value {
    error(
        "ENOTFOUND",
        format!("getaddrinfo ENOTFOUND {host}"),
        json!({ "errno": -3008, "syscall": "getaddrinfo", "hostname": host }),
    )
}

/// Node's shape for a failed `listen`: `listen EADDRINUSE: address already in use :::3000`.
pub fn listen_error(code: &str, address: &str, port: u16) -> Value {
    let (code, errno, desc) = uv_code(code);
    error(
        code,
        format!("listen {code}: {desc} {address}:{port}"),
        json!({ "errno": errno, "syscall": "listen", "address": address, "port": port }),
    )
}

/// Node's shape for a failed spawn: `spawn nosuchcmd ENOENT`.
pub fn spawn_error(code: &str, file: &str, args: &[String], sync: bool) -> Value {
    let (code, errno, _) = uv_code(code);
    let syscall = if sync { "spawnSync" } else { "spawn" };
    error(
        code,
        format!("{syscall} {file} {code}"),
        json!({ "errno": errno, "syscall": format!("{syscall} {file}"), "path": file, "spawnargs": args }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_refused_has_nodes_shape() {
        let e = std::io::Error::from_raw_os_error(111);
        let v = connect_error(&e, "127.0.0.1", 1);
        assert_eq!(v["code"], "ECONNREFUSED");
        assert_eq!(v["errno"], -111);
        assert_eq!(v["message"], "connect ECONNREFUSED 127.0.0.1:1");
    }

    #[test]
    fn unknown_errno_is_unknown() {
        assert_eq!(uv_name(9999).0, "UNKNOWN");
        assert_eq!(
            listen_error("EADDRINUSE", "::", 80)["message"],
            "listen EADDRINUSE: address already in use :::80"
        );
    }
}
