//! Child processes the server owns, and nothing else.
//!
//! Each child leads its own process group (pgid = its pid). The server never
//! lets tokio or std reap it: a pidfd says when it has exited, `waitid(WNOWAIT)`
//! reads its status, and the server reaps it itself, under a lock, only once it
//! will signal that group no more. While the leader is unreaped its pid (so the
//! group's id) cannot be given to another process, so a signal to the group can
//! only reach the child and what it started. When the leader has exited but
//! others of its group live on, the leader stays a zombie until they are gone
//! (checked every half second) or until its session ends them.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::unix::AsyncFd;

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// It exited with this code.
    Code(i32),
    /// A signal (this number) ended it.
    Signal(i32),
}

/// One child process and its group.
#[derive(Debug)]
pub struct Owned {
    pid: i32,
    pidfd: AsyncFd<OwnedFd>,
    /// True once reaped: from then on its pid may belong to anyone.
    reaped: Mutex<bool>,
}

fn pidfd_open(pid: i32) -> std::io::Result<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let fd = i32::try_from(fd).map_err(|_| std::io::Error::other("bad pidfd"))?;
    // SAFETY: `fd` is a descriptor the kernel just gave us and nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

impl Owned {
    /// Starts `cmd` as the leader of a new process group; the `std` handle comes
    /// back for its pipes only (never wait on it).
    pub fn spawn(
        cmd: &mut std::process::Command,
    ) -> std::io::Result<(Arc<Owned>, std::process::Child)> {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
        let child = cmd.spawn()?;
        let pid = i32::try_from(child.id()).map_err(|_| std::io::Error::other("bad pid"))?;
        // Not reaped yet (only this module reaps), so `pid` is still our child.
        let fd = match pidfd_open(pid) {
            Ok(fd) => fd,
            Err(e) => {
                // SAFETY: kill(2) on our own unreaped child's group.
                unsafe { libc::kill(-pid, libc::SIGKILL) };
                let mut child = child;
                let _ = child.wait();
                return Err(e);
            }
        };
        // SAFETY: an OwnedFd is a valid open descriptor that stays the same until dropped.
        let pidfd = unsafe { AsyncFd::register_with_interest(fd, tokio::io::Interest::READABLE) }?;
        Ok((
            Arc::new(Owned {
                pid,
                pidfd,
                reaped: Mutex::new(false),
            }),
            child,
        ))
    }

    /// The child's pid (also its process group's id).
    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// Its status if it has exited (without reaping it).
    pub fn try_status(&self) -> Option<Exit> {
        let reaped = self.reaped.lock().ok()?;
        if *reaped {
            return None;
        }
        self.waitid(libc::WNOHANG | libc::WNOWAIT)
    }

    /// `waitid(P_PIDFD)` with `flags` (plus WEXITED): the status, if it has exited.
    fn waitid(&self, flags: i32) -> Option<Exit> {
        // SAFETY: siginfo_t is plain data; zeroed is a valid value.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let id = libc::id_t::try_from(self.pidfd.get_ref().as_raw_fd()).ok()?;
        // SAFETY: waitid writes into `info`, which lives for the call.
        let r = unsafe { libc::waitid(libc::P_PIDFD, id, &mut info, libc::WEXITED | flags) };
        // SAFETY: reading the union fields waitid filled for a child's state change.
        let (pid, status) = unsafe { (info.si_pid(), info.si_status()) };
        if r != 0 || pid == 0 {
            return None;
        }
        Some(if info.si_code == libc::CLD_EXITED {
            Exit::Code(status)
        } else {
            Exit::Signal(status)
        })
    }

    /// Waits until the child has exited (it stays unreaped).
    pub async fn exited(&self) -> Exit {
        loop {
            if let Some(st) = self.try_status() {
                return st;
            }
            if self.is_reaped() {
                return Exit::Signal(libc::SIGKILL);
            }
            match self.pidfd.readable().await {
                Ok(mut g) => {
                    if self.try_status().is_none() && !self.is_reaped() {
                        g.clear_ready();
                    }
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    }

    /// Whether it has been reaped (then it is never signalled again).
    pub fn is_reaped(&self) -> bool {
        self.reaped.lock().map(|r| *r).unwrap_or(true)
    }

    /// Signals the child itself (not its group), as Node's `kill` does. Uses the
    /// pidfd, so it can reach no other process.
    pub fn signal(&self, sig: i32) -> bool {
        let Ok(reaped) = self.reaped.lock() else {
            return false;
        };
        if *reaped {
            return false;
        }
        let fd = self.pidfd.get_ref().as_raw_fd();
        // SAFETY: pidfd_send_signal on our own pidfd; no memory is passed.
        unsafe {
            libc::syscall(
                libc::SYS_pidfd_send_signal,
                fd,
                sig,
                std::ptr::null::<libc::siginfo_t>(),
                0,
            ) == 0
        }
    }

    /// Signals the child's whole group, if the child is not reaped yet (so the
    /// group's id is still ours).
    pub fn signal_group(&self, sig: i32) -> bool {
        let Ok(reaped) = self.reaped.lock() else {
            return false;
        };
        if *reaped {
            return false;
        }
        // SAFETY: kill(2) on the group our unreaped child leads; no memory is involved.
        unsafe { libc::kill(-self.pid, sig) == 0 }
    }

    /// Whether any process of its group other than an exited leader is left.
    pub fn group_busy(&self) -> bool {
        if self.is_reaped() {
            return false;
        }
        if self.try_status().is_none() {
            return true;
        }
        group_has_live_member(self.pid)
    }

    /// Reaps the child once it has exited; from then on it is never signalled.
    pub fn reap(&self) -> Option<Exit> {
        let mut reaped = self.reaped.lock().ok()?;
        if *reaped {
            return None;
        }
        let st = self.waitid(libc::WNOHANG)?;
        *reaped = true;
        Some(st)
    }

    /// Reaps once the group is empty, checking every half second (a leader that
    /// exited while others of its group run on stays a zombie until then).
    pub async fn reap_when_alone(self: Arc<Self>) {
        let _ = self.exited().await;
        while self.group_busy() {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        self.reap();
    }
}

/// Whether a process other than a zombie has process group `pgid` (from /proc).
fn group_has_live_member(pgid: i32) -> bool {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return false;
    };
    for e in dir.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
        let Some(rest) = stat.rfind(')').and_then(|i| stat.get(i + 2..)) else {
            continue;
        };
        let mut f = rest.split(' ');
        let state = f.next().unwrap_or("Z");
        let pgrp = f.nth(1).and_then(|p| p.parse::<i32>().ok());
        if pgrp == Some(pgid) && state != "Z" && state != "X" {
            return true;
        }
    }
    false
}

/// Ends groups: SIGTERM to each unreaped child's group now, SIGKILL to those still
/// busy after `grace`; then reaps every leader.
pub async fn end_all(children: Vec<Arc<Owned>>, grace: Duration) {
    let live: Vec<Arc<Owned>> = children
        .into_iter()
        .filter(|c| c.signal_group(libc::SIGTERM))
        .collect();
    if live.is_empty() {
        return;
    }
    let deadline = tokio::time::Instant::now() + grace;
    while tokio::time::Instant::now() < deadline && live.iter().any(|c| c.group_busy()) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for c in &live {
        c.signal_group(libc::SIGKILL);
    }
    for c in live {
        let _ = tokio::time::timeout(Duration::from_secs(5), c.exited()).await;
        // Only now, with nothing left of the group, may its id be given away.
        c.reap();
    }
}

/// Kills a child's whole group when dropped while armed: for work whose caller
/// can vanish (a spawnSync whose HTTP client went away drops its future).
#[derive(Debug)]
pub struct KillOnDrop(Option<Arc<Owned>>);

impl KillOnDrop {
    /// Armed for `child`.
    pub fn new(child: Arc<Owned>) -> Self {
        KillOnDrop(Some(child))
    }

    /// The work finished normally: nothing to kill.
    pub fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.signal_group(libc::SIGKILL);
            if let Ok(rt) = tokio::runtime::Handle::try_current() {
                rt.spawn(c.reap_when_alone());
            }
        }
    }
}

/// A list of owned children that forgets the reaped ones as it goes.
#[derive(Debug, Default)]
pub struct Children(Mutex<Vec<Arc<Owned>>>);

impl Children {
    /// Adds `c` (and forgets the reaped).
    pub fn add(&self, c: Arc<Owned>) {
        if let Ok(mut v) = self.0.lock() {
            v.retain(|x| !x.is_reaped());
            v.push(c);
        }
    }

    /// Takes every child not yet reaped.
    pub fn take(&self) -> Vec<Arc<Owned>> {
        self.0
            .lock()
            .map(|mut v| {
                let all = std::mem::take(&mut *v);
                all.into_iter().filter(|x| !x.is_reaped()).collect()
            })
            .unwrap_or_default()
    }

    /// The children not yet reaped.
    pub fn live(&self) -> Vec<Arc<Owned>> {
        self.0
            .lock()
            .map(|mut v| {
                v.retain(|x| !x.is_reaped());
                v.clone()
            })
            .unwrap_or_default()
    }
}
