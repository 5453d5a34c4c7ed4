//! The rules of Node's `EventEmitter` as a sans-I/O model.
//!
//! [`Registry`] holds, per event name, the listeners of one emitter as
//! [`ListenerId`]s with the host's own listener key `K` (a handle to whatever
//! the host calls), a `once` flag and Node's ordering. It never calls anything:
//! [`Registry::emit`] returns the snapshot of listeners to call, and the host
//! (the companion server's tokio tasks; the browser side keeps its own lists in
//! JavaScript, see `wasm/js/events.js`) calls them, asking [`Registry::begin_call`]
//! before each one. The rules are Node 20's:
//!
//! - `emit` snapshots the list: listeners added during an emit do not run in it,
//!   listeners removed during it still run (unless they are `once` listeners that
//!   already fired in a nested emit).
//! - a `once` listener is removed just before it is called; the host reports the
//!   removal to `'removeListener'` listeners when [`Removed::notify`] says so.
//! - `'newListener'` listeners hear about a listener before it is added
//!   ([`Registry::needs_new_listener_event`]); `'removeListener'` listeners after
//!   it is removed.
//! - adding more than `max_listeners` listeners to one event yields one
//!   [`MaxListenersWarning`]; the flag resets when the list drops to one listener.
//! - emitting `'error'` with no listener is [`EmitPlan::Unhandled`]: the host
//!   throws the error (or [`unhandled_error`] for non-Error values). For
//!   `'error'` the host first emits [`EventName::ErrorMonitor`].
//!
//! A host's emit loop, in short:
//!
//! ```
//! use ferrode_core::events::{AddFlags, EmitPlan, EventName, Registry};
//!
//! let mut reg: Registry<&str> = Registry::new();
//! reg.add("data".into(), "log", AddFlags::default()).unwrap();
//! reg.add("data".into(), "first-only", AddFlags { once: true, prepend: false }).unwrap();
//! let name = EventName::from("data");
//! let mut called = Vec::new();
//! if let EmitPlan::Call(plan) = reg.emit(&name) {
//!     for p in &plan {
//!         let step = reg.begin_call(&name, p);
//!         // step.removed.filter(|r| r.notify): emit 'removeListener' here.
//!         if step.run {
//!             called.push(p.key); // call the listener; it may add/remove/emit
//!         }
//!     }
//! }
//! assert_eq!(called, ["log", "first-only"]);
//! assert_eq!(reg.listener_count(&name), 1);
//! ```
//!
//! One documented difference: when `'removeListener'` listeners change the list
//! while [`Registry::remove_all_plan`]'s plan runs, Node (which mutates the array
//! it is walking) may skip or fail on entries; this model walks its snapshot.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::NodeError;

/// Node's default `defaultMaxListeners`.
pub const DEFAULT_MAX_LISTENERS: f64 = 10.0;

/// An event name: a string, or the `errorMonitor` symbol.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EventName {
    /// A string event name (`'data'`, `'error'`, ...).
    Named(String),
    /// `events.errorMonitor`: listeners that see `'error'` first without handling it.
    ErrorMonitor,
}

impl EventName {
    /// True for the string name `s`.
    pub fn is(&self, s: &str) -> bool {
        matches!(self, EventName::Named(n) if n == s)
    }

    /// The name as Node prints it in messages (`String(type)`).
    pub fn display(&self) -> String {
        match self {
            EventName::Named(n) => n.clone(),
            EventName::ErrorMonitor => "Symbol(events.errorMonitor)".to_string(),
        }
    }

    /// JavaScript orders an object's array-index-like keys first, numerically.
    fn array_index(&self) -> Option<u32> {
        let EventName::Named(n) = self else {
            return None;
        };
        if n.is_empty() || n.len() > 10 || (n.len() > 1 && n.starts_with('0')) {
            return None;
        }
        if !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: u64 = n.parse().ok()?;
        if v < u64::from(u32::MAX) {
            u32::try_from(v).ok()
        } else {
            None
        }
    }
}

impl From<&str> for EventName {
    fn from(s: &str) -> Self {
        EventName::Named(s.to_string())
    }
}

/// A listener's identity, unique for the registry's lifetime (never reused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ListenerId(pub u64);

#[derive(Debug)]
struct Entry<K> {
    id: ListenerId,
    key: K,
    /// `Some` for once listeners: set when it fired (shared with emit snapshots).
    fired: Option<Arc<AtomicBool>>,
}

#[derive(Debug)]
struct List<K> {
    name: EventName,
    entries: Vec<Entry<K>>,
    warned: bool,
}

/// How to add a listener.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AddFlags {
    /// Remove the listener the first time it is called (`once`).
    pub once: bool,
    /// Put it first instead of last (`prependListener`).
    pub prepend: bool,
}

/// The warning Node emits when an event gets more listeners than the limit.
#[derive(Debug, Clone, PartialEq)]
pub struct MaxListenersWarning {
    /// The event that went over the limit.
    pub name: EventName,
    /// Its listener count after the add.
    pub count: usize,
    /// The limit in force.
    pub max: f64,
}

impl MaxListenersWarning {
    /// Node's warning text; `class_name` is the emitter's constructor name.
    pub fn message(&self, class_name: &str) -> String {
        format!(
            "Possible EventEmitter memory leak detected. {} {} listeners added to [{}]. \
             MaxListeners is {}. Use emitter.setMaxListeners() to increase limit",
            self.count,
            self.name.display(),
            class_name,
            js_number(self.max)
        )
    }

    /// The warning's name (`warning.name`).
    pub const NAME: &'static str = "MaxListenersExceededWarning";
}

/// What [`Registry::add`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Added {
    /// The new listener's id.
    pub id: ListenerId,
    /// Set when this add crossed the limit for the first time.
    pub warning: Option<MaxListenersWarning>,
}

/// A listener that left the registry.
#[derive(Debug, Clone, PartialEq)]
pub struct Removed<K> {
    /// The event it was listening to.
    pub name: EventName,
    /// Its id.
    pub id: ListenerId,
    /// The host's key for it.
    pub key: K,
    /// Whether it was a once listener.
    pub once: bool,
    /// Whether the host must now emit `'removeListener'` (name, key).
    pub notify: bool,
}

/// One listener in an emit's snapshot.
#[derive(Debug, Clone)]
pub struct Planned<K> {
    /// The listener's id.
    pub id: ListenerId,
    /// The host's key, to call.
    pub key: K,
    fired: Option<Arc<AtomicBool>>,
}

/// What an emit must do.
#[derive(Debug, Clone)]
pub enum EmitPlan<K> {
    /// Nobody listens: `emit()` returns false.
    Unheard,
    /// Call these in order, asking [`Registry::begin_call`] before each;
    /// `emit()` returns true.
    Call(Vec<Planned<K>>),
    /// `'error'` without a listener: the host throws.
    Unhandled,
}

/// What [`Registry::begin_call`] decided for one planned listener.
#[derive(Debug, Clone, PartialEq)]
pub struct CallStep<K> {
    /// Call the listener now.
    pub run: bool,
    /// A once listener left the registry just before its call.
    pub removed: Option<Removed<K>>,
}

/// How [`Registry::remove_all_plan`] wants the removal done.
#[derive(Debug, Clone, PartialEq)]
pub enum RemoveAll {
    /// Nobody listens for removals: everything named is gone already.
    Done(Vec<ListenerId>),
    /// Remove these one by one with [`Registry::remove_id`], notifying each, then
    /// (for a remove-all of every event) call [`Registry::clear`].
    OneByOne(Vec<(EventName, ListenerId)>),
}

/// One emitter's listeners and limits.
#[derive(Debug)]
pub struct Registry<K> {
    lists: Vec<List<K>>,
    next_id: u64,
    max_listeners: Option<f64>,
    default_max: f64,
}

impl<K> Default for Registry<K> {
    fn default() -> Self {
        Self::new()
    }
}

/// A JavaScript number as `String(n)` prints it (for the cases messages need).
fn js_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".to_string()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else if n == n.trunc() && n.abs() < 1e21 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

/// Node's `addNumericalSeparator` for the `Received` part of range errors.
fn received_number(n: f64) -> String {
    let s = js_number(n);
    if n == n.trunc() && n.is_finite() && n.abs() > 4_294_967_296.0 {
        let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push('_');
            }
            out.push(ch);
        }
        format!("{sign}{out}")
    } else {
        s
    }
}

fn validate_max(n: f64, name: &str) -> Result<f64, NodeError> {
    if n.is_nan() || n < 0.0 {
        return Err(NodeError::new(
            "ERR_OUT_OF_RANGE",
            format!(
                "The value of \"{name}\" is out of range. It must be >= 0. Received {}",
                received_number(n)
            ),
        ));
    }
    Ok(n)
}

/// `ERR_UNHANDLED_ERROR` for `emit('error', value)` with no listener when the value
/// is not an Error; `inspected` is `util.inspect(value)`.
pub fn unhandled_error(inspected: Option<&str>) -> NodeError {
    match inspected {
        None => NodeError::new("ERR_UNHANDLED_ERROR", "Unhandled error."),
        Some(s) => NodeError::new("ERR_UNHANDLED_ERROR", format!("Unhandled error. ({s})")),
    }
}

impl<K> Registry<K> {
    /// An emitter with Node's default limit of 10 listeners per event.
    pub fn new() -> Self {
        Self {
            lists: Vec::new(),
            next_id: 1,
            max_listeners: None,
            default_max: DEFAULT_MAX_LISTENERS,
        }
    }

    /// An emitter whose default limit is `EventEmitter.defaultMaxListeners = n`.
    pub fn with_default_max(n: f64) -> Result<Self, NodeError> {
        let mut r = Self::new();
        r.default_max = validate_max(n, "defaultMaxListeners")?;
        Ok(r)
    }

    /// `emitter.setMaxListeners(n)`: 0 and Infinity mean no limit.
    pub fn set_max_listeners(&mut self, n: f64) -> Result<(), NodeError> {
        self.max_listeners = Some(validate_max(n, "setMaxListeners")?);
        Ok(())
    }

    /// `emitter.getMaxListeners()`.
    pub fn max_listeners(&self) -> f64 {
        self.max_listeners.unwrap_or(self.default_max)
    }

    fn list(&self, name: &EventName) -> Option<&List<K>> {
        self.lists.iter().find(|l| &l.name == name)
    }

    fn list_index(&self, name: &EventName) -> Option<usize> {
        self.lists.iter().position(|l| &l.name == name)
    }

    /// True when `name` has at least one listener.
    pub fn has_listeners(&self, name: &EventName) -> bool {
        self.list(name).is_some_and(|l| !l.entries.is_empty())
    }

    /// True when the host must emit `'newListener'` (name, key) before [`Registry::add`].
    pub fn needs_new_listener_event(&self) -> bool {
        self.has_listeners(&EventName::Named("newListener".into()))
    }

    fn notify_removals(&self) -> bool {
        self.has_listeners(&EventName::Named("removeListener".into()))
    }

    /// `emitter.listenerCount(name)`.
    pub fn listener_count(&self, name: &EventName) -> usize {
        self.list(name).map_or(0, |l| l.entries.len())
    }

    /// The listeners' ids for `name`, in call order.
    pub fn listener_ids(&self, name: &EventName) -> Vec<ListenerId> {
        self.list(name)
            .map(|l| l.entries.iter().map(|e| e.id).collect())
            .unwrap_or_default()
    }

    /// `emitter.listeners(name)`: the host keys, in call order.
    pub fn listeners(&self, name: &EventName) -> Vec<&K> {
        self.list(name)
            .map(|l| l.entries.iter().map(|e| &e.key).collect())
            .unwrap_or_default()
    }

    /// `emitter.eventNames()` in JavaScript's own-key order: array-index-like
    /// names ascending, then other names in insertion order, then the symbol.
    pub fn event_names(&self) -> Vec<&EventName> {
        let mut indexed: Vec<(u32, &EventName)> = Vec::new();
        let mut named = Vec::new();
        let mut symbols = Vec::new();
        for l in &self.lists {
            match (&l.name, l.name.array_index()) {
                (_, Some(i)) => indexed.push((i, &l.name)),
                (EventName::ErrorMonitor, None) => symbols.push(&l.name),
                (_, None) => named.push(&l.name),
            }
        }
        indexed.sort_by_key(|(i, _)| *i);
        indexed
            .into_iter()
            .map(|(_, n)| n)
            .chain(named)
            .chain(symbols)
            .collect()
    }

    /// Adds a listener (after the host emitted `'newListener'` if
    /// [`Registry::needs_new_listener_event`] said so).
    pub fn add(&mut self, name: EventName, key: K, flags: AddFlags) -> Result<Added, NodeError> {
        let id = ListenerId(self.next_id);
        self.next_id = self.next_id.checked_add(1).ok_or_else(|| {
            NodeError::new(
                "ERR_OUT_OF_RANGE",
                "Too many listeners were added to this emitter",
            )
        })?;
        let entry = Entry {
            id,
            key,
            fired: flags.once.then(|| Arc::new(AtomicBool::new(false))),
        };
        let max = self.max_listeners();
        let idx = match self.list_index(&name) {
            Some(i) => i,
            None => {
                self.lists.push(List {
                    name: name.clone(),
                    entries: Vec::new(),
                    warned: false,
                });
                self.lists.len() - 1
            }
        };
        let Some(list) = self.lists.get_mut(idx) else {
            return Err(NodeError::new(
                "ERR_INTERNAL_ASSERTION",
                "listener list vanished",
            ));
        };
        if flags.prepend {
            list.entries.insert(0, entry);
        } else {
            list.entries.push(entry);
        }
        let count = list.entries.len();
        let mut warning = None;
        // `count as f64` is exact for any count a Vec can hold in practice.
        if count >= 2 && max > 0.0 && (count as f64) > max && !list.warned {
            list.warned = true;
            warning = Some(MaxListenersWarning { name, count, max });
        }
        Ok(Added { id, warning })
    }

    fn take(&mut self, idx: usize, pos: usize) -> Option<(EventName, Entry<K>)> {
        let list = self.lists.get_mut(idx)?;
        if pos >= list.entries.len() {
            return None;
        }
        let entry = list.entries.remove(pos);
        let name = list.name.clone();
        if list.entries.len() <= 1 {
            // Node's array collapses to a single function: the warned flag goes with it.
            list.warned = false;
        }
        if list.entries.is_empty() {
            self.lists.remove(idx);
        }
        Some((name, entry))
    }

    fn removed(&self, name: EventName, entry: Entry<K>) -> Removed<K> {
        Removed {
            name,
            id: entry.id,
            once: entry.fired.is_some(),
            key: entry.key,
            notify: self.notify_removals(),
        }
    }

    /// `emitter.removeListener(name, key)`: removes the most recently added
    /// listener with this key.
    pub fn remove(&mut self, name: &EventName, key: &K) -> Option<Removed<K>>
    where
        K: PartialEq,
    {
        let idx = self.list_index(name)?;
        let pos = self
            .lists
            .get(idx)?
            .entries
            .iter()
            .rposition(|e| &e.key == key)?;
        let (name, entry) = self.take(idx, pos)?;
        Some(self.removed(name, entry))
    }

    /// Removes exactly the listener `id` from `name`.
    pub fn remove_id(&mut self, name: &EventName, id: ListenerId) -> Option<Removed<K>> {
        let idx = self.list_index(name)?;
        let pos = self
            .lists
            .get(idx)?
            .entries
            .iter()
            .position(|e| e.id == id)?;
        let (name, entry) = self.take(idx, pos)?;
        Some(self.removed(name, entry))
    }

    /// `emitter.removeAllListeners(name)` (`None`: every event). When nobody
    /// listens for removals it is done at once; otherwise the plan lists the
    /// removals in Node's order (each event last-added first, `'removeListener'`
    /// itself last).
    pub fn remove_all_plan(&mut self, name: Option<&EventName>) -> RemoveAll {
        let rl = EventName::Named("removeListener".into());
        if !self.notify_removals() {
            let mut gone = Vec::new();
            self.lists.retain(|l| {
                let keep = name.is_some_and(|n| n != &l.name);
                if !keep {
                    gone.extend(l.entries.iter().map(|e| e.id));
                }
                keep
            });
            return RemoveAll::Done(gone);
        }
        let lifo = |l: &List<K>| {
            l.entries
                .iter()
                .rev()
                .map(|e| (l.name.clone(), e.id))
                .collect::<Vec<_>>()
        };
        match name {
            Some(n) => RemoveAll::OneByOne(self.list(n).map(lifo).unwrap_or_default()),
            None => {
                let mut plan = Vec::new();
                for n in self.event_names() {
                    if n != &rl {
                        plan.extend(self.list(n).map(lifo).unwrap_or_default());
                    }
                }
                plan.extend(self.list(&rl).map(lifo).unwrap_or_default());
                RemoveAll::OneByOne(plan)
            }
        }
    }

    /// Drops every listener (the end of a remove-all of every event).
    pub fn clear(&mut self) {
        self.lists.clear();
    }

    /// `emitter.emit(name)`: the snapshot of listeners to call. For `'error'`
    /// the host emits [`EventName::ErrorMonitor`] first.
    pub fn emit(&self, name: &EventName) -> EmitPlan<K>
    where
        K: Clone,
    {
        match self.list(name) {
            Some(l) if !l.entries.is_empty() => EmitPlan::Call(
                l.entries
                    .iter()
                    .map(|e| Planned {
                        id: e.id,
                        key: e.key.clone(),
                        fired: e.fired.clone(),
                    })
                    .collect(),
            ),
            _ if name.is("error") => EmitPlan::Unhandled,
            _ => EmitPlan::Unheard,
        }
    }

    /// Call before each planned listener: a once listener that already fired
    /// (in a nested emit) is skipped; one that has not is removed now and runs.
    pub fn begin_call(&mut self, name: &EventName, planned: &Planned<K>) -> CallStep<K> {
        let Some(fired) = &planned.fired else {
            return CallStep {
                run: true,
                removed: None,
            };
        };
        if fired.swap(true, Ordering::SeqCst) {
            return CallStep {
                run: false,
                removed: None,
            };
        }
        CallStep {
            run: true,
            removed: self.remove_id(name, planned.id),
        }
    }
}

#[cfg(test)]
mod scenario;
#[cfg(test)]
mod tests;
