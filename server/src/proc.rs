//! Child processes for the page: `spawn` over the session (streamed stdio,
//! signals, exit code and signal) and `spawnSync` over HTTP (for a page
//! worker's synchronous XHR). Each process leads its own process group so it
//! and everything it starts can be ended together when the page goes away
//! (SIGTERM, then SIGKILL after a grace period).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::channel::{Handle, In};
use crate::child::{Children, Exit, Owned};
use crate::errors::{error, spawn_error, uv_code};
use crate::protocol::SpawnMsg;
use crate::AppState;

/// Running processes of the whole server.
#[derive(Debug, Default)]
pub struct Registry {
    running: AtomicUsize,
    children: Children,
}

impl Registry {
    /// Pids of the children not yet reaped (running, or exited leaders of groups
    /// still running).
    pub fn pids(&self) -> Vec<i32> {
        self.children.live().iter().map(|c| c.pid()).collect()
    }

    /// Number of processes running now.
    pub fn running(&self) -> usize {
        self.running.load(Ordering::Relaxed)
    }

    /// Ends every group the server still owns (at shutdown).
    pub async fn end_all(&self, grace: Duration) {
        crate::child::end_all(self.children.take(), grace).await;
    }
}

/// Tokio pipes from std's.
type Pipes = (
    Option<tokio::process::ChildStdin>,
    Option<tokio::process::ChildStdout>,
    Option<tokio::process::ChildStderr>,
);

fn pipes(child: &mut std::process::Child) -> Pipes {
    (
        child
            .stdin
            .take()
            .and_then(|p| tokio::process::ChildStdin::from_std(p).ok()),
        child
            .stdout
            .take()
            .and_then(|p| tokio::process::ChildStdout::from_std(p).ok()),
        child
            .stderr
            .take()
            .and_then(|p| tokio::process::ChildStderr::from_std(p).ok()),
    )
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

fn parse_spec(m: &SpawnMsg) -> Result<Spec, Value> {
    let file = m.file.clone();
    let args: Vec<String> = m.args.clone().unwrap_or_default();
    // Node refuses NUL bytes before spawning (a C string cannot hold them).
    let nul = |name: String, v: &str| {
        error(
            "ERR_INVALID_ARG_VALUE",
            format!(
                "The argument '{name}' must be a string without null bytes. Received {}",
                js_quote(v)
            ),
            json!({}),
        )
    };
    if file.contains('\0') {
        return Err(nul("file".into(), &file));
    }
    for (i, a) in args.iter().enumerate() {
        if a.contains('\0') {
            return Err(nul(format!("args[{i}]"), a));
        }
    }
    let shell = match &m.shell {
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
    let env = m.env.as_ref().map(|env| {
        env.iter()
            .filter_map(|(k, v)| match v {
                Value::String(s) => Some((k.clone(), s.clone())),
                Value::Null => None,
                other => Some((k.clone(), other.to_string())),
            })
            .collect()
    });
    let timeout = crate::protocol::millis(m.timeout.as_ref());
    let kill_signal = match &m.kill_signal {
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
        cwd: m.cwd.clone(),
        env,
        timeout,
        kill_signal,
    })
}

/// A string as Node's `inspect` shows it: single quotes, control characters escaped.
fn js_quote(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
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
        .env_remove(crate::cluster::WORKER_ENV)
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
) -> Result<(Arc<Owned>, std::process::Child, Slot<'a>), Value> {
    let reg = &state.procs;
    if reg.running.fetch_add(1, Ordering::Relaxed) >= state.config.limits.max_processes {
        reg.running.fetch_sub(1, Ordering::Relaxed);
        return Err(spawn_error("EAGAIN", &spec.shown, &spec.shown_args, sync));
    }
    let slot = Slot(reg);
    let (owned, child) = Owned::spawn(cmd).map_err(|e| {
        spawn_error(
            crate::errors::io_code(&e).0,
            &spec.shown,
            &spec.shown_args,
            sync,
        )
    })?;
    reg.children.add(owned.clone());
    Ok((owned, child, slot))
}

fn exit_json(status: Exit) -> (Value, Value) {
    match status {
        Exit::Code(c) => (json!(c), Value::Null),
        Exit::Signal(s) => (Value::Null, signal_name(s)),
    }
}

/// Runs a `spawn` message's process until it exits and its output is drained.
pub async fn spawn(
    state: AppState,
    handle: Handle,
    id: u32,
    msg: SpawnMsg,
    mut rx: mpsc::Receiver<In>,
) {
    let run = async {
        let spec = parse_spec(&msg)?;
        let mut cmd = command(&state, &spec, false)?;
        let (owned, child, slot) = start(&state, &mut cmd, &spec, false)?;
        Ok::<_, Value>((spec, owned, child, slot))
    };
    let (spec, owned, mut child, slot) = match run.await {
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
    handle.children.add(owned.clone());
    let pid = owned.pid();
    let (stdin, stdout, stderr) = pipes(&mut child);
    drop(child);
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
            stdout.map(|p| Box::new(p) as Box<dyn tokio::io::AsyncRead + Send + Unpin>),
        ),
        (
            2u8,
            stderr.map(|p| Box::new(p) as Box<dyn tokio::io::AsyncRead + Send + Unpin>),
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
    let mut stdin = stdin;
    let timeout = spec.timeout.unwrap_or(state.config.limits.max_run_time);
    let mut kill_signal = if spec.timeout.is_some() {
        spec.kill_signal
    } else {
        libc::SIGKILL
    };
    let deadline = tokio::time::sleep(timeout.min(state.config.limits.max_run_time));
    tokio::pin!(deadline);
    let mut page_gone = false;
    let status = loop {
        tokio::select! {
            st = owned.exited() => break st,
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
                    owned.signal(sig);
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
                    owned.signal_group(libc::SIGKILL);
                }
            }
            _ = &mut deadline => {
                // Node signals the child; past the grace period the whole group is killed.
                owned.signal(kill_signal);
                if kill_signal == libc::SIGKILL {
                    owned.signal_group(libc::SIGKILL);
                }
                kill_signal = libc::SIGKILL;
                deadline.as_mut().reset(tokio::time::Instant::now() + state.config.limits.kill_grace);
            }
        }
    };
    drop(stdin);
    drop(slot);
    // Reaped once nothing else of its group runs (or by the session's end).
    tokio::spawn(owned.clone().reap_when_alone());
    let (code, signal) = exit_json(status);
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
pub async fn spawn_sync(state: &AppState, body: Value) -> Value {
    let result = async {
        let msg = crate::protocol::parse_spawn_sync(body)?;
        let spec = parse_spec(&msg.spec)?;
        let input = match msg.input.as_deref() {
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
        let max_buffer = msg
            .max_buffer
            .as_ref()
            .and_then(Value::as_u64)
            .unwrap_or(1024 * 1024)
            .min(state.config.limits.max_output);
        let mut cmd = command(state, &spec, true)?;
        let (owned, child, slot) = start(state, &mut cmd, &spec, true)?;
        Ok::<_, Value>(run_sync(state, spec, owned, child, slot, input, max_buffer).await)
    };
    match result.await {
        Ok(v) => v,
        Err(e) => {
            json!({ "pid": 0, "status": null, "signal": null, "stdout": "", "stderr": "", "error": e })
        }
    }
}

/// Reads `pipe` into `out` until it ends; false once `out` passes `max`.
async fn collect(
    pipe: Option<impl tokio::io::AsyncRead + Unpin>,
    out: &mut Vec<u8>,
    max: u64,
) -> bool {
    let Some(mut pipe) = pipe else {
        return true;
    };
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match pipe.read(&mut buf).await {
            Ok(0) | Err(_) => return true,
            Ok(n) => {
                out.extend_from_slice(buf.get(..n).unwrap_or_default());
                if out.len() as u64 > max {
                    return false;
                }
            }
        }
    }
}

async fn run_sync(
    state: &AppState,
    spec: Spec,
    owned: Arc<Owned>,
    mut child: std::process::Child,
    slot: Slot<'_>,
    input: Vec<u8>,
    max: u64,
) -> Value {
    let pid = owned.pid();
    // Dropped before the end (the client went away): the whole group is killed.
    let armed = crate::child::KillOnDrop::new(owned.clone());
    let (mut stdin, so, se) = pipes(&mut child);
    drop(child);
    let feeder = tokio::spawn(async move {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(&input).await;
            let _ = s.shutdown().await;
        }
    });
    let timeout = spec
        .timeout
        .unwrap_or(state.config.limits.max_run_time)
        .min(state.config.limits.max_run_time);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut error_code = None;
    {
        // Both pipes until both end, the timeout passes, or one passes maxBuffer:
        // the last two end the whole group at once, without waiting for whoever
        // else holds the pipes.
        let out_done = collect(so, &mut out, max);
        let err_done = collect(se, &mut err, max);
        tokio::pin!(out_done, err_done);
        let (mut o, mut e) = (false, false);
        let sleep = tokio::time::sleep(timeout);
        tokio::pin!(sleep);
        while !(o && e) {
            tokio::select! {
                ok = &mut out_done, if !o => { o = true; if !ok { error_code = Some("ENOBUFS"); break; } }
                ok = &mut err_done, if !e => { e = true; if !ok { error_code = Some("ENOBUFS"); break; } }
                _ = &mut sleep => { error_code = Some("ETIMEDOUT"); break; }
            }
        }
    }
    if error_code.is_some() {
        // killSignal to the whole group; SIGKILL to what is left after the grace period.
        owned.signal_group(spec.kill_signal);
        let deadline = tokio::time::Instant::now() + state.config.limits.kill_grace;
        while owned.group_busy() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        owned.signal_group(libc::SIGKILL);
    }
    let status = tokio::select! {
        s = owned.exited() => s,
        _ = tokio::time::sleep(state.config.limits.kill_grace) => {
            owned.signal_group(libc::SIGKILL);
            owned.exited().await
        }
    };
    feeder.abort();
    armed.disarm();
    drop(slot);
    if error_code.is_some() {
        let _ = tokio::time::timeout(Duration::from_secs(2), async {
            while owned.group_busy() {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await;
    }
    // Reaped once nothing else of its group runs; until then the server may end it.
    tokio::spawn(owned.clone().reap_when_alone());
    out.truncate(usize::try_from(max).unwrap_or(usize::MAX));
    err.truncate(usize::try_from(max).unwrap_or(usize::MAX));
    let (code, signal) = exit_json(status);
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
        let msg: SpawnMsg =
            serde_json::from_value(json!({ "file": "echo", "args": ["a", "b"], "shell": true }))
                .unwrap();
        let s = parse_spec(&msg).unwrap();
        assert_eq!(s.file, "/bin/sh");
        assert_eq!(s.args, vec!["-c".to_owned(), "echo a b".to_owned()]);
    }
}
