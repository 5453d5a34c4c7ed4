//! Runs the shared scripted scenarios (`scenarios.json`) on the Rust model.
//! `tests/node/events-model.test.mjs` runs the same file on node:events and on
//! ferrode/events; all three must produce the `expected` traces stored there.

use std::collections::HashMap;

use serde_json::Value;

use super::{AddFlags, EmitPlan, EventName, Registry, RemoveAll};

struct Host {
    reg: Registry<String>,
    behaviours: HashMap<String, Vec<Value>>,
    trace: Vec<String>,
}

struct Threw;

fn event_name(s: &str) -> EventName {
    if s == "@errorMonitor" {
        EventName::ErrorMonitor
    } else {
        EventName::Named(s.to_string())
    }
}

fn field<'a>(action: &'a Value, key: &str) -> Option<&'a str> {
    action.get(key).and_then(Value::as_str)
}

impl Host {
    fn emit(&mut self, name: &EventName, args: &[String]) -> Result<bool, Threw> {
        if name.is("error") {
            self.emit(&EventName::ErrorMonitor, args)?;
        }
        let plan = self.reg.emit(name);
        let planned = match plan {
            EmitPlan::Unheard => return Ok(false),
            EmitPlan::Unhandled => return Err(Threw),
            EmitPlan::Call(p) => p,
        };
        for p in &planned {
            let step = self.reg.begin_call(name, p);
            if let Some(r) = step.removed {
                if r.notify {
                    self.emit(&"removeListener".into(), &[r.name.display(), r.key.clone()])?;
                }
            }
            if step.run {
                let mut line = format!("call {} {}", p.key, name.display());
                for a in args {
                    line.push(' ');
                    line.push_str(a);
                }
                self.trace.push(line);
                let actions = self.behaviours.get(&p.key).cloned().unwrap_or_default();
                for a in &actions {
                    self.act(a)?;
                }
            }
        }
        Ok(true)
    }

    fn act(&mut self, action: &Value) -> Result<(), Threw> {
        let op = field(action, "op").expect("op");
        let event = field(action, "event").map(event_name);
        let listener = field(action, "listener").map(str::to_string);
        match op {
            "on" | "once" | "prepend" | "prependOnce" => {
                let event = event.expect("event");
                let listener = listener.expect("listener");
                if self.reg.needs_new_listener_event() {
                    self.emit(&"newListener".into(), &[event.display(), listener.clone()])?;
                }
                let flags = AddFlags {
                    once: op == "once" || op == "prependOnce",
                    prepend: op.starts_with("prepend"),
                };
                let added = self.reg.add(event, listener, flags).expect("add");
                if let Some(w) = added.warning {
                    self.trace
                        .push(format!("warn {}", w.message("EventEmitter")));
                }
            }
            "off" => {
                let event = event.expect("event");
                if let Some(r) = self.reg.remove(&event, &listener.expect("listener")) {
                    if r.notify {
                        self.emit(&"removeListener".into(), &[r.name.display(), r.key.clone()])?;
                    }
                }
            }
            "removeAll" => {
                let all = event.is_none();
                match self.reg.remove_all_plan(event.as_ref()) {
                    RemoveAll::Done(_) => {}
                    RemoveAll::OneByOne(plan) => {
                        for (name, id) in plan {
                            if let Some(r) = self.reg.remove_id(&name, id) {
                                if r.notify {
                                    self.emit(
                                        &"removeListener".into(),
                                        &[r.name.display(), r.key.clone()],
                                    )?;
                                }
                            }
                        }
                        if all {
                            self.reg.clear();
                        }
                    }
                }
            }
            "emit" => {
                let event = event.expect("event");
                let heard = self.emit(&event, &[])?;
                self.trace
                    .push(format!("emit {} {}", event.display(), heard));
            }
            "setMax" => {
                let n = action.get("n").and_then(Value::as_f64).expect("n");
                if let Err(e) = self.reg.set_max_listeners(n) {
                    self.trace.push(format!("threw {} {}", e.code, e.message));
                }
            }
            other => panic!("unknown op {other}"),
        }
        Ok(())
    }

    fn state(&self) -> String {
        let parts: Vec<String> = self
            .reg
            .event_names()
            .into_iter()
            .map(|n| {
                let ls: Vec<&str> = self
                    .reg
                    .listeners(n)
                    .into_iter()
                    .map(String::as_str)
                    .collect();
                format!("{}:{}", n.display(), ls.join(","))
            })
            .collect();
        format!("state {}", parts.join(" "))
    }
}

#[test]
fn scenarios_match_the_stored_node_traces() {
    let doc: Value = serde_json::from_str(include_str!("scenarios.json")).expect("valid JSON");
    let scenarios = doc
        .get("scenarios")
        .and_then(Value::as_array)
        .expect("scenarios");
    assert!(scenarios.len() >= 8);
    for sc in scenarios {
        let name = field(sc, "name").expect("name");
        let behaviours = sc
            .get("listeners")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_array().cloned().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default();
        let mut host = Host {
            reg: Registry::new(),
            behaviours,
            trace: Vec::new(),
        };
        for step in sc.get("steps").and_then(Value::as_array).expect("steps") {
            if host.act(step).is_err() {
                host.trace.push("threw unhandled error".to_string());
            }
            let state = host.state();
            host.trace.push(state);
        }
        let expected: Vec<String> = sc
            .get("expected")
            .and_then(Value::as_array)
            .expect("expected trace")
            .iter()
            .map(|v| v.as_str().expect("string").to_string())
            .collect();
        assert_eq!(host.trace, expected, "scenario {name}");
    }
}
