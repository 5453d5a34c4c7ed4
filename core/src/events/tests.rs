use super::*;

fn n(s: &str) -> EventName {
    EventName::Named(s.to_string())
}

const ON: AddFlags = AddFlags {
    once: false,
    prepend: false,
};
const ONCE: AddFlags = AddFlags {
    once: true,
    prepend: false,
};
const PREPEND: AddFlags = AddFlags {
    once: false,
    prepend: true,
};

fn keys(r: &Registry<&'static str>, name: &str) -> Vec<&'static str> {
    r.listeners(&n(name)).into_iter().copied().collect()
}

/// Runs a plan the simple way: every planned listener that should run is returned.
fn run(r: &mut Registry<&'static str>, name: &str) -> Option<Vec<&'static str>> {
    match r.emit(&n(name)) {
        EmitPlan::Unheard => None,
        EmitPlan::Unhandled => Some(vec!["<unhandled>"]),
        EmitPlan::Call(plan) => Some(
            plan.iter()
                .filter(|p| r.begin_call(&n(name), p).run)
                .map(|p| p.key)
                .collect(),
        ),
    }
}

#[test]
fn order_of_on_prepend_once() {
    let mut r = Registry::new();
    r.add(n("x"), "a", ON).unwrap();
    r.add(n("x"), "b", PREPEND).unwrap();
    r.add(n("x"), "c", ONCE).unwrap();
    r.add(
        n("x"),
        "d",
        AddFlags {
            once: true,
            prepend: true,
        },
    )
    .unwrap();
    assert_eq!(keys(&r, "x"), ["d", "b", "a", "c"]);
    assert_eq!(run(&mut r, "x").unwrap(), ["d", "b", "a", "c"]);
    assert_eq!(keys(&r, "x"), ["b", "a"]);
    assert_eq!(run(&mut r, "x").unwrap(), ["b", "a"]);
    assert_eq!(run(&mut r, "nothing"), None);
    assert_eq!(r.listener_count(&n("x")), 2);
    assert_eq!(r.listener_count(&n("nothing")), 0);
}

#[test]
fn snapshot_semantics() {
    let mut r = Registry::new();
    r.add(n("x"), "a", ON).unwrap();
    r.add(n("x"), "b", ON).unwrap();
    let EmitPlan::Call(plan) = r.emit(&n("x")) else {
        panic!("expected a plan")
    };
    // During the emit: add c, remove b. b still runs, c does not.
    r.add(n("x"), "c", ON).unwrap();
    r.remove(&n("x"), &"b").unwrap();
    let ran: Vec<_> = plan
        .iter()
        .filter(|p| r.begin_call(&n("x"), p).run)
        .map(|p| p.key)
        .collect();
    assert_eq!(ran, ["a", "b"]);
    assert_eq!(keys(&r, "x"), ["a", "c"]);
}

#[test]
fn once_fires_once_even_in_nested_emits() {
    let mut r = Registry::new();
    r.add(n("x"), "o", ONCE).unwrap();
    r.add(n("x"), "p", ON).unwrap();
    let EmitPlan::Call(outer) = r.emit(&n("x")) else {
        panic!()
    };
    let first = r.begin_call(&n("x"), &outer[0]);
    assert!(first.run);
    let removed = first.removed.unwrap();
    assert_eq!(
        (removed.key, removed.once, removed.notify),
        ("o", true, false)
    );
    // o's body emits x again: o is gone from the nested snapshot.
    assert_eq!(run(&mut r, "x").unwrap(), ["p"]);
    assert!(r.begin_call(&n("x"), &outer[1]).run);
    // A once listener removed by a sibling before its turn still runs (Node's wrapper has not fired).
    let mut r = Registry::new();
    r.add(n("x"), "a", ON).unwrap();
    r.add(n("x"), "o", ONCE).unwrap();
    let EmitPlan::Call(plan) = r.emit(&n("x")) else {
        panic!()
    };
    assert!(r.begin_call(&n("x"), &plan[0]).run);
    r.remove(&n("x"), &"o").unwrap();
    let step = r.begin_call(&n("x"), &plan[1]);
    assert!(step.run);
    assert!(step.removed.is_none());
    // Once it fired, an older snapshot skips it.
    let mut r = Registry::new();
    r.add(n("x"), "o", ONCE).unwrap();
    let EmitPlan::Call(a) = r.emit(&n("x")) else {
        panic!()
    };
    let EmitPlan::Call(b) = r.emit(&n("x")) else {
        panic!()
    };
    assert!(r.begin_call(&n("x"), &b[0]).run);
    assert!(!r.begin_call(&n("x"), &a[0]).run);
}

#[test]
fn remove_takes_the_last_matching_and_notifies_when_watched() {
    let mut r = Registry::new();
    r.add(n("x"), "a", ON).unwrap();
    r.add(n("x"), "b", ON).unwrap();
    r.add(n("x"), "a", ONCE).unwrap();
    let rm = r.remove(&n("x"), &"a").unwrap();
    assert!(rm.once);
    assert!(!rm.notify);
    assert_eq!(keys(&r, "x"), ["a", "b"]);
    assert!(r.remove(&n("x"), &"zzz").is_none());
    assert!(r.remove(&n("nope"), &"a").is_none());
    r.add(n("removeListener"), "rl", ON).unwrap();
    let rm = r.remove(&n("x"), &"b").unwrap();
    assert!(rm.notify);
    // Removing the only removeListener listener itself: nobody is left to hear it.
    let rm = r.remove(&n("removeListener"), &"rl").unwrap();
    assert!(!rm.notify);
    assert!(!r.needs_new_listener_event());
    r.add(n("newListener"), "nl", ON).unwrap();
    assert!(r.needs_new_listener_event());
}

#[test]
fn remove_all() {
    let mut r = Registry::new();
    r.add(n("a"), "1", ON).unwrap();
    r.add(n("a"), "2", ON).unwrap();
    r.add(n("b"), "3", ON).unwrap();
    let RemoveAll::Done(gone) = r.remove_all_plan(Some(&n("a"))) else {
        panic!()
    };
    assert_eq!(gone.len(), 2);
    assert_eq!(r.event_names(), [&n("b")]);
    let RemoveAll::Done(gone) = r.remove_all_plan(None) else {
        panic!()
    };
    assert_eq!(gone.len(), 1);
    assert!(r.event_names().is_empty());
    // With a removeListener listener: one by one, last added first, removeListener last.
    r.add(n("removeListener"), "rl", ON).unwrap();
    let a1 = r.add(n("a"), "1", ON).unwrap().id;
    let a2 = r.add(n("a"), "2", ON).unwrap().id;
    let b3 = r.add(n("b"), "3", ON).unwrap().id;
    let rl = r.listener_ids(&n("removeListener"))[0];
    let RemoveAll::OneByOne(plan) = r.remove_all_plan(None) else {
        panic!()
    };
    assert_eq!(
        plan,
        [
            (n("a"), a2),
            (n("a"), a1),
            (n("b"), b3),
            (n("removeListener"), rl)
        ]
    );
    let notified: Vec<bool> = plan
        .iter()
        .map(|(name, id)| r.remove_id(name, *id).unwrap().notify)
        .collect();
    assert_eq!(notified, [true, true, true, false]);
    r.clear();
    assert!(r.event_names().is_empty());
}

#[test]
fn max_listeners_warning_once_per_event_and_reset_on_collapse() {
    let mut r = Registry::new();
    assert_eq!(r.max_listeners(), 10.0);
    let mut warnings = Vec::new();
    for i in 0..13 {
        if let Some(w) = r.add(n("x"), i, ON).unwrap().warning {
            warnings.push(w);
        }
    }
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].count, 11);
    assert_eq!(
        warnings[0].message("Foo"),
        "Possible EventEmitter memory leak detected. 11 x listeners added to [Foo]. MaxListeners is 10. \
         Use emitter.setMaxListeners() to increase limit"
    );
    assert_eq!(MaxListenersWarning::NAME, "MaxListenersExceededWarning");
    // Another event warns on its own.
    let mut other = None;
    for i in 0..11 {
        other = other.or(r.add(n("y"), i, ON).unwrap().warning);
    }
    assert_eq!(other.unwrap().name, n("y"));
    // Down to one listener and up again: warns again (Node's array was replaced).
    for i in 0..12 {
        r.remove(&n("x"), &i).unwrap();
    }
    let mut again = Vec::new();
    for i in 0..11 {
        again.extend(r.add(n("x"), 100 + i, ON).unwrap().warning);
    }
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].count, 11);
    // 0 and Infinity: no limit. Fractions compare as numbers.
    let mut r = Registry::new();
    r.set_max_listeners(0.0).unwrap();
    assert!((0..50).all(|i| r.add(n("x"), i, ON).unwrap().warning.is_none()));
    r.set_max_listeners(f64::INFINITY).unwrap();
    assert!((0..5).all(|i| r.add(n("x"), 100 + i, ON).unwrap().warning.is_none()));
    let mut r = Registry::new();
    r.set_max_listeners(1.5).unwrap();
    assert!(r.add(n("x"), 0, ON).unwrap().warning.is_none());
    let w = r.add(n("x"), 1, ON).unwrap().warning.unwrap();
    assert!(w
        .message("EventEmitter")
        .contains("2 x listeners added to [EventEmitter]. MaxListeners is 1.5."));
}

#[test]
fn max_listeners_validation_matches_node() {
    let mut r: Registry<u8> = Registry::new();
    let e = r.set_max_listeners(-1.0).unwrap_err();
    assert_eq!(e.code, "ERR_OUT_OF_RANGE");
    assert_eq!(
        e.message,
        "The value of \"setMaxListeners\" is out of range. It must be >= 0. Received -1"
    );
    let e = r.set_max_listeners(f64::NAN).unwrap_err();
    assert!(e.message.ends_with("Received NaN"));
    let e = r.set_max_listeners(-5_000_000_000.0).unwrap_err();
    assert!(
        e.message.ends_with("Received -5_000_000_000"),
        "{}",
        e.message
    );
    let e = r.set_max_listeners(-0.5).unwrap_err();
    assert!(e.message.ends_with("Received -0.5"));
    let e = Registry::<u8>::with_default_max(f64::NEG_INFINITY).unwrap_err();
    assert_eq!(
        e.message,
        "The value of \"defaultMaxListeners\" is out of range. It must be >= 0. Received -Infinity"
    );
    assert_eq!(
        Registry::<u8>::with_default_max(3.0)
            .unwrap()
            .max_listeners(),
        3.0
    );
    assert_eq!(
        r.max_listeners(),
        10.0,
        "a failed set leaves the limit alone"
    );
}

#[test]
fn error_without_listener_is_unhandled() {
    let mut r: Registry<&str> = Registry::new();
    assert!(matches!(r.emit(&n("error")), EmitPlan::Unhandled));
    r.add(EventName::ErrorMonitor, "m", ON).unwrap();
    assert!(matches!(r.emit(&n("error")), EmitPlan::Unhandled));
    assert!(matches!(
        r.emit(&EventName::ErrorMonitor),
        EmitPlan::Call(_)
    ));
    r.add(n("error"), "h", ON).unwrap();
    assert!(matches!(r.emit(&n("error")), EmitPlan::Call(p) if p.len() == 1));
    assert_eq!(unhandled_error(None).message, "Unhandled error.");
    let e = unhandled_error(Some("'boom'"));
    assert_eq!(
        (e.code, e.message.as_str()),
        ("ERR_UNHANDLED_ERROR", "Unhandled error. ('boom')")
    );
    assert_eq!(
        EventName::ErrorMonitor.display(),
        "Symbol(events.errorMonitor)"
    );
}

#[test]
fn event_names_follow_javascript_key_order() {
    let mut r = Registry::new();
    for name in ["b", "2", "a", "10", "01", "4294967295", "4294967294"] {
        r.add(n(name), 0, ON).unwrap();
    }
    r.add(EventName::ErrorMonitor, 0, ON).unwrap();
    let names: Vec<String> = r
        .event_names()
        .into_iter()
        .map(EventName::display)
        .collect();
    assert_eq!(
        names,
        [
            "2",
            "10",
            "4294967294",
            "b",
            "a",
            "01",
            "4294967295",
            "Symbol(events.errorMonitor)"
        ]
    );
}

#[test]
fn ids_are_unique_and_never_reused() {
    let mut r = Registry::new();
    let a = r.add(n("x"), "a", ON).unwrap().id;
    r.remove(&n("x"), &"a").unwrap();
    let b = r.add(n("x"), "a", ON).unwrap().id;
    assert_ne!(a, b);
    assert!(r.remove_id(&n("x"), a).is_none());
    assert!(r.remove_id(&n("x"), b).is_some());
}

/// A naive reference model (a flat list of (name, key, once) in Node's order)
/// against the registry, on random operation sequences.
#[test]
fn random_sequences_agree_with_a_naive_model() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    let names = ["a", "b", "c", "1"];
    for _ in 0..200 {
        let mut r: Registry<u64> = Registry::new();
        let mut naive: Vec<(usize, u64, bool)> = Vec::new();
        for _ in 0..80 {
            let ni = usize::try_from(next(4)).unwrap();
            let name = n(names[ni]);
            let key = next(5);
            match next(6) {
                0 | 1 => {
                    let once = next(2) == 0;
                    let prepend = next(3) == 0;
                    r.add(name, key, AddFlags { once, prepend }).unwrap();
                    let pos = if prepend {
                        naive.iter().position(|e| e.0 == ni).unwrap_or(naive.len())
                    } else {
                        naive.len()
                    };
                    naive.insert(pos, (ni, key, once));
                }
                2 => {
                    let got = r.remove(&name, &key);
                    let pos = naive.iter().rposition(|e| e.0 == ni && e.1 == key);
                    assert_eq!(got.is_some(), pos.is_some());
                    if let Some(p) = pos {
                        naive.remove(p);
                    }
                }
                3 => {
                    r.remove_all_plan(Some(&name));
                    naive.retain(|e| e.0 != ni);
                }
                _ => {
                    let ran = run_u64(&mut r, &name);
                    let expect: Vec<u64> =
                        naive.iter().filter(|e| e.0 == ni).map(|e| e.1).collect();
                    assert_eq!(ran, expect);
                    naive.retain(|e| !(e.0 == ni && e.2));
                }
            }
            for (i, nm) in names.iter().enumerate() {
                let expect: Vec<u64> = naive.iter().filter(|e| e.0 == i).map(|e| e.1).collect();
                let got: Vec<u64> = r.listeners(&n(nm)).into_iter().copied().collect();
                assert_eq!(got, expect);
            }
        }
    }
}

fn run_u64(r: &mut Registry<u64>, name: &EventName) -> Vec<u64> {
    match r.emit(name) {
        EmitPlan::Call(plan) => plan
            .iter()
            .filter(|p| r.begin_call(name, p).run)
            .map(|p| p.key)
            .collect(),
        _ => Vec::new(),
    }
}
