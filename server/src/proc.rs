//! Child processes for the page: `spawn` over the session (streamed stdio,
//! signals, exit code and signal) and `spawnSync` over HTTP (for a page
//! worker's synchronous XHR). Each process leads its own process group so it
//! and everything it starts can be ended together when the page goes away
//! (SIGTERM, then SIGKILL after a grace period).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

use crate::errors::{error, spawn_error, uv_code};
use crate::session::{Handle, In};
use crate::AppState;

/// Running processes of the whole server.
#[derive(Debug, Default)]
pub struct Registry {
    running: AtomicUsize,
    groups: Mutex<HashSet<i32>>,
}

impl Registry {
    /// Process groups started and not yet ended, for the kill at exit.
    pub fn groups(&self) -> Vec<i32> {
        self.groups
            .lock()
            .map(|g| g.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Number of processes running now.
    pub fn running(&self) -> usize {
        self.running.load(Ordering::Relaxed)
    }
}

/// Holds one slot of the process count; gives it back when dropped.
struct Slot<'a>(&'a Registry);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::Relaxed);
    }
}

const SIGNALS: &[(&str, i32)] = &[
    ("SIGHUP", libc::SIGHUP),
    ("SIGINT", libc::SIGINT),
    ("SIGQUIT", libc::SIGQUIT),
    ("SIGILL", libc::SIGILL),
    ("SIGTRAP", libc::SIGTRAP),
    ("SIGABRT", libc::SIGABRT),
    ("SIGBUS", libc::SIGBUS),
    ("SIGFPE", libc::SIGFPE),
    ("SIGKILL", libc::SIGKILL),
    ("SIGUSR1", libc::SIGUSR1),
    ("SIGSEGV", libc::SIGSEGV),
    ("SIGUSR2", libc::SIGUSR2),
    ("SIGPIPE", libc::SIGPIPE),
    ("SIGALRM", libc::SIGALRM),
    ("SIGTERM", libc::SIGTERM),
    ("SIGCHLD", libc::SIGCHLD),
    ("SIGCONT", libc::SIGCONT),
    ("SIGSTOP", libc::SIGSTOP),
    ("SIGTSTP", libc::SIGTSTP),
    ("SIGTTIN", libc::SIGTTIN),
    ("SIGTTOU", libc::SIGTTOU),
    ("SIGWINCH", libc::SIGWINCH),
];

/// A signal given by name (`"SIGTERM"`) or number, as Node's `kill` accepts.
pub fn signal_number(v: &Value) -> Option<i32> {
    match v {
        Value::String(s) => SIGNALS.iter().find(|(n, _)| n == s).map(|&(_, n)| n),
        Value::Number(n) => n
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .filter(|n| (0..65).contains(n)),
        Value::Null => Some(libc::SIGTERM),
        _ => None,
    }
}

/// The name Node reports for a signal number.
pub fn signal_name(n: i32) -> Value {
    SIGNALS
        .iter()
        .find(|&&(_, s)| s == n)
        .map(|&(name, _)| json!(name))
        .unwrap_or(json!(n))
}

fn send_signal(pid: i32, sig: i32) -> bool {
    // SAFETY: kill(2) with any pid/signal values is memory-safe; it only returns an error.
    unsafe { libc::kill(pid, sig) == 0 }
}

/// Ends process groups: SIGTERM now, SIGKILL to whatever is left after `grace`.
pub async fn end_groups(pgids: Vec<i32>, grace: Duration) {
    let alive: Vec<i32> = pgids
        .into_iter()
        .filter(|&g| g > 0 && send_signal(-g, libc::SIGTERM))
        .collect();
    if alive.is_empty() {
        return;
    }
    let deadline = tokio::time::Instant::now() + grace;
    while tokio::time::Instant::now() < deadline {
        if !alive.iter().any(|&g| send_signal(-g, 0)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for g in alive {
        send_signal(-g, libc::SIGKILL);
    }
}

/// What the page asked to run.
struct Spec {
    file: String,
    args: Vec<String>,
    /// The name errors carry (the shell for `shell: true`, like Node).
    shown: String,
    shown_args: Vec<String>,
    cwd: Option<String>,
    env: Option<Vec<(String, String)>>,
    timeout: Option<Duration>,
    kill_signal: i32,
}

fn parse_spec(v: &Value) -> Result<Spec, Value> {
    let bad = |what: &str| {
        error(
            "ERR_INVALID_ARG_TYPE",
            format!("The \"{what}\" argument has a wrong type"),
            json!({}),
        )
    };
    let file = v
        .get("file")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("file"))?
        .to_owned();
    let args: Vec<String> = match v.get("args") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| x.as_str().map(str::to_owned).ok_or_else(|| bad("args")))
            .collect::<Result<_, _>>()?,
        _ => return Err(bad("args")),
    };
    let shell = match v.get("shell") {
        Some(Value::Bool(true)) => Some("/bin/sh".to_owned()),
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    let (file, args) = match shell {
        Some(sh) => {
            let mut cmd = file;
            for a in &args {
                cmd.push(' ');
                cmd.push_str(a);
            }
            (sh, vec!["-c".to_owned(), cmd])
        }
        None => (file, args),
    };
    let env = match v.get("env") {
        Some(Value::Object(m)) => Some(
            m.iter()
                .filter_map(|(k, v)| match v {
                    Value::String(s) => Some((k.clone(), s.clone())),
                    Value::Null => None,
                    other => Some((k.clone(), other.to_string())),
                })
                .collect(),
        ),
        _ => None,
    };
    let timeout = v
        .get("timeout")
        .and_then(Value::as_u64)
        .filter(|&t| t > 0)
        .map(Duration::from_millis);
    let kill_signal = match v.get("killSignal") {
        None => libc::SIGTERM,
        Some(s) => signal_number(s).ok_or_else(|| {
            error(
                "ERR_UNKNOWN_SIGNAL",
                format!("Unknown signal: {s}"),
                json!({}),
            )
        })?,
    };
    Ok(Spec {
        shown: file.clone(),
        shown_args: args.clone(),
        file,
        args,
        cwd: v.get("cwd").and_then(Value::as_str).map(str::to_owned),
        env,
        timeout,
        kill_signal,
    })
}

/// Resolves `cwd` against the workdir; anything resolving outside it is refused.
pub fn resolve_cwd(workdir: &Path, cwd: Option<&str>) -> Result<PathBuf, std::io::Error> {
    let base = workdir.canonicalize()?;
    let dir = match cwd {
        None | Some("") => return Ok(base),
        Some(c) => base.join(c).canonicalize()?,
    };
    if dir.starts_with(&base) {
        Ok(dir)
    } else {
        Err(std::io::Error::from_raw_os_error(libc::EACCES))
    }
}

fn command(state: &AppState, spec: &Spec, sync: bool) -> Result<Command, Value> {
    if !state.config.exec {
        return Err(error(
            "ERR_FERRODE_EXEC_DISABLED",
            "Child processes are disabled on this companion (started with --no-exec)".into(),
            json!({}),
        ));
    }
    let cwd = resolve_cwd(&state.config.workdir, spec.cwd.as_deref()).map_err(|e| {
        let code = crate::errors::io_code(&e).0;
        let mut err = spawn_error(code, &spec.shown, &spec.shown_args, sync);
        if code == "EACCES" {
            err["message"] = json!(format!(
                "{} (cwd {:?} is outside the companion's workdir)",
                err["message"].as_str().unwrap_or_default(),
                spec.cwd.as_deref().unwrap_or_default()
            ));
        }
        err
    })?;
    let mut cmd = Command::new(&spec.file);
    cmd.args(&spec.args)
        .current_dir(cwd)
        .process_group(0)
        .kill_on_drop(true)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(env) = &spec.env {
        cmd.env_clear().envs(env.iter().map(|(k, v)| (k, v)));
    }
    Ok(cmd)
}

fn start<'a>(
    state: &'a AppState,
    cmd: &mut Command,
    spec: &Spec,
    sync: bool,
) -> Result<(Child, Slot<'a>), Value> {
    let reg = &state.procs;
    if reg.running.fetch_add(1, Ordering::Relaxed) >= state.config.limits.max_processes {
        reg.running.fetch_sub(1, Ordering::Relaxed);
        return Err(spawn_error("EAGAIN", &spec.shown, &spec.shown_args, sync));
    }
    let slot = Slot(reg);
    let child = cmd.spawn().map_err(|e| {
        spawn_error(
            crate::errors::io_code(&e).0,
            &spec.shown,
            &spec.shown_args,
            sync,
        )
    })?;
    if let Some(pid) = child.id().and_then(|p| i32::try_from(p).ok()) {
        if let Ok(mut g) = reg.groups.lock() {
            g.insert(pid);
        }
    }
    Ok((child, slot))
}

fn exit_json(status: std::process::ExitStatus) -> (Value, Value) {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(c), _) => (json!(c), Value::Null),
        (None, Some(s)) => (Value::Null, signal_name(s)),
        _ => (Value::Null, Value::Null),
    }
}

/// Runs a `spawn` message's process until it exits and its output is drained.
pub async fn spawn(state: AppState, handle: Handle, id: u32, v: Value, mut rx: mpsc::Receiver<In>) {
    let run = async {
        let spec = parse_spec(&v)?;
        let mut cmd = command(&state, &spec, false)?;
        let (child, slot) = start(&state, &mut cmd, &spec, false)?;
        Ok::<_, Value>((spec, child, slot))
    };
    let (spec, mut child, slot) = match run.await {
        Ok(x) => x,
        Err(e) => {
            handle.error(id, e).await;
            handle
                .send(json!({ "t": "close", "id": id, "code": -2, "signal": null }))
                .await;
            handle.close(id);
            return;
        }
    };
    let pid = child.id().and_then(|p| i32::try_from(p).ok()).unwrap_or(0);
    if let Ok(mut g) = handle.pgids.lock() {
        g.push(pid);
    }
    handle
        .send(json!({ "t": "spawned", "id": id, "pid": pid }))
        .await;
    let written = Arc::new(AtomicU64::new(0));
    let max = state.config.limits.max_output;
    let (over_tx, mut over_rx) = mpsc::channel::<&'static str>(2);
    let mut readers = Vec::new();
    for (fd, pipe) in [
        (
            1u8,
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn tokio::io::AsyncRead + Send + Unpin>),
        ),
        (
            2u8,
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn tokio::io::AsyncRead + Send + Unpin>),
        ),
    ] {
        let Some(mut pipe) = pipe else { continue };
        let (handle, written, over_tx) = (handle.clone(), written.clone(), over_tx.clone());
        readers.push(tokio::spawn(async move {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match pipe.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let total = written.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
                if total > max {
                    let _ = over_tx.try_send(if fd == 1 { "stdout" } else { "stderr" });
                    break;
                }
                if !handle.data(id, fd, buf.get(..n).unwrap_or_default()).await {
                    break;
                }
            }
        }));
    }
    drop(over_tx);
    let mut stdin = child.stdin.take();
    let timeout = spec.timeout.unwrap_or(state.config.limits.max_run_time);
    let kill_signal = if spec.timeout.is_some() {
        spec.kill_signal
    } else {
        libc::SIGKILL
    };
    let deadline = tokio::time::sleep(timeout.min(state.config.limits.max_run_time));
    tokio::pin!(deadline);
    let mut page_gone = false;
    let status = loop {
        tokio::select! {
            st = child.wait() => break st,
            msg = rx.recv(), if !page_gone => match msg {
                Some(In::Data(b)) => {
                    if let Some(s) = stdin.as_mut() {
                        if s.write_all(&b).await.is_err() {
                            stdin = None;
                        }
                    }
                }
                Some(In::End) => {
                    if let Some(mut s) = stdin.take() {
                        let _ = s.shutdown().await;
                    }
                }
                Some(In::Kill(sig)) => {
                    send_signal(pid, sig);
                }
                Some(In::Destroy) | None => {
                    // The session ends the whole group (with its grace period); stop reading.
                    page_gone = true;
                }
                Some(In::Respond(_)) => {}
            },
            which = over_rx.recv() => {
                if let Some(which) = which {
                    let err = error(
                        "ERR_CHILD_PROCESS_STDIO_MAXBUFFER",
                        format!("{which} maxBuffer length exceeded"),
                        json!({}),
                    );
                    handle.error(id, err).await;
                    send_signal(-pid, libc::SIGKILL);
                }
            }
            _ = &mut deadline => {
                send_signal(pid, kill_signal);
                deadline.as_mut().reset(tokio::time::Instant::now() + state.config.limits.kill_grace);
            }
        }
    };
    drop(stdin);
    drop(slot);
    let (code, signal) = match status {
        Ok(st) => exit_json(st),
        Err(_) => (Value::Null, Value::Null),
    };
    handle
        .send(json!({ "t": "exit", "id": id, "code": code, "signal": signal }))
        .await;
    for r in readers {
        let _ = r.await;
    }
    handle
        .send(json!({ "t": "close", "id": id, "code": code, "signal": signal }))
        .await;
    handle.close(id);
}

/// Runs a process to completion for `spawnSync`/`execSync`/`execFileSync`.
///
/// Answers Node's `spawnSync` result: `{ pid, status, signal, stdout, stderr, error? }`
/// with the output in base64.
pub async fn spawn_sync(state: &AppState, v: &Value) -> Value {
    let result = async {
        let spec = parse_spec(v)?;
        let input = match v.get("input").and_then(Value::as_str) {
            Some(b64) => base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|e| {
                    error(
                        "ERR_INVALID_ARG_VALUE",
                        format!("input is not base64: {e}"),
                        json!({}),
                    )
                })?,
            None => Vec::new(),
        };
        let max_buffer = v
            .get("maxBuffer")
            .and_then(Value::as_u64)
            .unwrap_or(1024 * 1024)
            .min(state.config.limits.max_output);
        let mut cmd = command(state, &spec, true)?;
        let (child, slot) = start(state, &mut cmd, &spec, true)?;
        Ok::<_, Value>(run_sync(state, spec, child, slot, input, max_buffer).await)
    };
    match result.await {
        Ok(v) => v,
        Err(e) => {
            json!({ "pid": 0, "status": null, "signal": null, "stdout": "", "stderr": "", "error": e })
        }
    }
}

async fn run_sync(
    state: &AppState,
    spec: Spec,
    mut child: Child,
    slot: Slot<'_>,
    input: Vec<u8>,
    max: u64,
) -> Value {
    let pid = child.id().and_then(|p| i32::try_from(p).ok()).unwrap_or(0);
    let mut stdin = child.stdin.take();
    let feeder = tokio::spawn(async move {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(&input).await;
            let _ = s.shutdown().await;
        }
    });
    async fn collect(pipe: Option<impl tokio::io::AsyncRead + Unpin>, max: u64) -> (Vec<u8>, bool) {
        let mut out = Vec::new();
        let Some(pipe) = pipe else {
            return (out, false);
        };
        // One byte past the limit tells "exactly max" from "over".
        let mut limited = pipe.take(max.saturating_add(1));
        let _ = limited.read_to_end(&mut out).await;
        let over = out.len() as u64 > max;
        out.truncate(usize::try_from(max).unwrap_or(usize::MAX));
        (out, over)
    }
    let (so, se) = (child.stdout.take(), child.stderr.take());
    let timeout = spec
        .timeout
        .unwrap_or(state.config.limits.max_run_time)
        .min(state.config.limits.max_run_time);
    let mut error_code = None;
    let ((out, out_over), (err, err_over)) = tokio::select! {
        r = async { tokio::join!(collect(so, max), collect(se, max)) } => r,
        _ = tokio::time::sleep(timeout) => {
            error_code = Some("ETIMEDOUT");
            send_signal(pid, spec.kill_signal);
            ((Vec::new(), false), (Vec::new(), false))
        }
    };
    if error_code.is_none() && (out_over || err_over) {
        error_code = Some("ENOBUFS");
        send_signal(pid, spec.kill_signal);
    }
    let status = tokio::select! {
        s = child.wait() => s.ok(),
        _ = tokio::time::sleep(state.config.limits.kill_grace) => {
            send_signal(-pid, libc::SIGKILL);
            child.wait().await.ok()
        }
    };
    feeder.abort();
    drop(slot);
    if let Ok(mut g) = state.procs.groups.lock() {
        g.remove(&pid);
    }
    let (code, signal) = status.map(exit_json).unwrap_or((Value::Null, Value::Null));
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let mut res = json!({
        "pid": pid, "status": code, "signal": signal, "stdout": b64(&out), "stderr": b64(&err),
    });
    if let Some(code) = error_code {
        let (code, errno, _) = uv_code(code);
        res["error"] = error(
            code,
            format!("spawnSync {} {code}", spec.shown),
            json!({ "errno": errno, "syscall": format!("spawnSync {}", spec.shown), "path": spec.shown,
                    "spawnargs": spec.shown_args }),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_by_name_and_number() {
        assert_eq!(signal_number(&json!("SIGKILL")), Some(9));
        assert_eq!(signal_number(&json!(15)), Some(15));
        assert_eq!(signal_number(&json!("SIGNOPE")), None);
        assert_eq!(signal_name(9), json!("SIGKILL"));
    }

    #[test]
    fn cwd_outside_workdir_is_refused() {
        let base = std::env::temp_dir();
        assert!(resolve_cwd(&base, Some("..")).is_err());
        assert!(resolve_cwd(&base, Some("/")).is_err());
        assert!(resolve_cwd(&base, None).is_ok());
        assert_eq!(
            resolve_cwd(&base, Some("no-such-dir-xyz"))
                .unwrap_err()
                .raw_os_error(),
            Some(libc::ENOENT)
        );
    }

    #[test]
    fn shell_joins_command_and_args() {
        let s = parse_spec(&json!({ "file": "echo", "args": ["a", "b"], "shell": true })).unwrap();
        assert_eq!(s.file, "/bin/sh");
        assert_eq!(s.args, vec!["-c".to_owned(), "echo a b".to_owned()]);
    }
}
