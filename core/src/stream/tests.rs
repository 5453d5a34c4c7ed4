//! Unit tests, the shared scenario (also replayed by the JS streams), and
//! property tests: random operation sequences never panic and keep the
//! invariants (length == sum of buffered chunk sizes, no event after close,
//! 'finish' only after end with nothing queued, ...).

use super::*;
use crate::NodeError;
use serde_json::Value;

type Bytes = Vec<u8>;

fn b(s: &str) -> Bytes {
    s.as_bytes().to_vec()
}

fn text(c: &Bytes) -> String {
    String::from_utf8_lossy(c).into_owned()
}

fn wopts(hwm: usize) -> WritableOptions {
    WritableOptions {
        high_water_mark: Some(hwm),
        ..Default::default()
    }
}

fn ropts(hwm: usize) -> ReadableOptions {
    ReadableOptions {
        high_water_mark: Some(hwm),
        ..Default::default()
    }
}

#[test]
fn defaults_are_node_20() {
    let r: ReadableState<Bytes> = ReadableState::new(ReadableOptions::default());
    assert_eq!(r.high_water_mark(), 16384);
    let o: ReadableState<Bytes> = ReadableState::new(ReadableOptions {
        object_mode: true,
        ..Default::default()
    });
    assert_eq!(o.high_water_mark(), 16);
    let w: WritableState<Bytes> = WritableState::new(WritableOptions::default());
    assert_eq!(w.high_water_mark(), 16384);
}

#[test]
fn push_after_eof_is_an_error_and_destroys() {
    let mut r: ReadableState<Bytes> = ReadableState::new(ropts(4));
    r.push_eof();
    let err = r.push(b("x")).unwrap_err();
    assert_eq!(err.code, "ERR_STREAM_PUSH_AFTER_EOF");
    assert_eq!(err.message, "stream.push() after EOF");
    assert!(r.lifecycle().destroyed);
    let events: Vec<_> = std::iter::from_fn(|| r.poll_event()).collect();
    assert!(events.contains(&ReadableEvent::Error(err)));
    assert_eq!(events.last(), Some(&ReadableEvent::Close));
}

#[test]
fn write_after_end_and_end_after_finish() {
    let mut w: WritableState<Bytes> = WritableState::new(WritableOptions {
        auto_destroy: false,
        ..wopts(4)
    });
    w.end().unwrap();
    assert!(w.finished());
    let e = w.end().unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            "ERR_STREAM_ALREADY_FINISHED",
            "Cannot call end after a stream was finished"
        )
    );
    let e = w.write(b("x")).unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        ("ERR_STREAM_WRITE_AFTER_END", "write after end")
    );
    let events: Vec<_> = std::iter::from_fn(|| w.poll_event()).collect();
    assert_eq!(
        events,
        vec![
            WritableEvent::Prefinish,
            WritableEvent::Finish,
            WritableEvent::Error(e)
        ]
    );
}

#[test]
fn multiple_callback_and_final_step() {
    let mut w: WritableState<Bytes> = WritableState::new(WritableOptions {
        has_final: true,
        ..wopts(4)
    });
    w.write(b("ab")).unwrap();
    assert_eq!(w.next_write(), Some(b("ab")));
    w.end().unwrap();
    w.write_done(Ok(())).unwrap();
    assert_eq!(w.poll_event(), Some(WritableEvent::Final));
    w.final_done(Ok(())).unwrap();
    let events: Vec<_> = std::iter::from_fn(|| w.poll_event()).collect();
    assert_eq!(
        events,
        vec![
            WritableEvent::Prefinish,
            WritableEvent::Finish,
            WritableEvent::Close
        ]
    );
    let mut w2: WritableState<Bytes> = WritableState::new(wopts(4));
    let e = w2.write_done(Ok(())).unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        ("ERR_MULTIPLE_CALLBACK", "Callback called multiple times")
    );
}

#[test]
fn cork_holds_writes() {
    let mut w: WritableState<Bytes> = WritableState::new(wopts(100));
    w.cork();
    w.write(b("a")).unwrap();
    w.write(b("b")).unwrap();
    assert_eq!(w.next_write(), None);
    assert_eq!(w.corked(), 1);
    w.uncork();
    assert_eq!(w.next_write(), Some(b("a")));
    assert_eq!(w.length(), 2);
}

#[test]
fn read_grows_high_water_mark_and_rejects_huge_sizes() {
    let mut r: ReadableState<Bytes> = ReadableState::new(ropts(2));
    r.push(b("abcdef")).unwrap();
    assert_eq!(r.read(Some(100)).unwrap(), None);
    assert_eq!(r.high_water_mark(), 128);
    let e = r.read(Some(1 << 31)).unwrap_err();
    assert_eq!(e.code, "ERR_OUT_OF_RANGE");
    assert_eq!(
        e.message,
        "The value of \"size\" is out of range. It must be <= 1GiB. Received 2147483648"
    );
    let e = r.read(Some(1 << 40)).unwrap_err();
    assert!(
        e.message.ends_with("Received 1_099_511_627_776"),
        "{}",
        e.message
    );
}

#[test]
fn read_across_chunks_and_strings() {
    let mut r: ReadableState<String> = ReadableState::new(ropts(100));
    r.push("hé".to_string()).unwrap();
    r.push("llo".to_string()).unwrap();
    assert_eq!(r.read(Some(4)).unwrap().as_deref(), Some("hél"));
    assert_eq!(r.length(), 2);
    assert_eq!(r.read(None).unwrap().as_deref(), Some("lo"));
}

#[test]
fn object_mode_counts_objects_including_empty_ones() {
    let mut r: ReadableState<Bytes> = ReadableState::new(ReadableOptions {
        object_mode: true,
        high_water_mark: Some(2),
        ..Default::default()
    });
    assert!(r.push(Vec::new()).unwrap());
    assert!(!r.push(b("long chunk")).unwrap());
    assert_eq!(r.length(), 2);
    assert_eq!(r.read(Some(100)).unwrap(), Some(Vec::new()));
    assert_eq!(r.length(), 1);
}

// ---- the shared scenario -------------------------------------------------

fn scenario() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/stream/testdata/scenario.json"
    );
    let text = std::fs::read_to_string(path).expect("scenario file");
    serde_json::from_str(&text).expect("scenario json")
}

fn entry(parts: &[Value]) -> Value {
    Value::Array(parts.to_vec())
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn replay_writable(spec: &Value) -> Vec<Value> {
    let hwm = spec["highWaterMark"].as_u64().unwrap_or(16) as usize;
    let mut w: WritableState<Bytes> = WritableState::new(wopts(hwm));
    let mut log = Vec::new();
    let pump = |w: &mut WritableState<Bytes>, log: &mut Vec<Value>| {
        while let Some(c) = w.next_write() {
            log.push(entry(&[s("sink"), s(&text(&c))]));
        }
    };
    let drain = |w: &mut WritableState<Bytes>, log: &mut Vec<Value>| {
        while let Some(ev) = w.poll_event() {
            log.push(match ev {
                WritableEvent::Drain => entry(&[s("drain")]),
                WritableEvent::Final => entry(&[s("final")]),
                WritableEvent::Prefinish => entry(&[s("prefinish")]),
                WritableEvent::Finish => entry(&[s("finish")]),
                WritableEvent::Close => entry(&[s("close")]),
                WritableEvent::Error(e) => entry(&[s("error"), s(e.code)]),
            });
        }
    };
    for op in spec["ops"].as_array().into_iter().flatten() {
        let op = op.as_str().unwrap_or("");
        let (name, arg) = op.split_once(':').unwrap_or((op, ""));
        log.push(match name {
            "write" | "end" | "complete" | "destroy" if !arg.is_empty() => {
                entry(&[s(name), s(arg)])
            }
            _ => entry(&[s(name)]),
        });
        match name {
            "write" => {
                let ret = w.write(b(arg)).unwrap_or(false);
                pump(&mut w, &mut log);
                log.push(entry(&[s("ret"), Value::Bool(ret)]));
            }
            "complete" => {
                let _ = w.write_done(Ok(()));
                pump(&mut w, &mut log);
            }
            "end" => {
                if let Err(e) = w.end() {
                    drain(&mut w, &mut log);
                    log.push(entry(&[s("end-error"), s(e.code)]));
                }
            }
            "destroy" => w.destroy(None),
            other => panic!("unknown op {other}"),
        }
        drain(&mut w, &mut log);
    }
    log
}

fn replay_readable(spec: &Value) -> Vec<Value> {
    let hwm = spec["highWaterMark"].as_u64().unwrap_or(16) as usize;
    let mut r: ReadableState<Bytes> = ReadableState::new(ropts(hwm));
    let mut log = Vec::new();
    for op in spec["ops"].as_array().into_iter().flatten() {
        let op = op.as_str().unwrap_or("");
        let (name, arg) = op.split_once(':').unwrap_or((op, ""));
        match name {
            "push" => {
                log.push(entry(&[s("push"), s(arg)]));
                let ret = r.push(b(arg)).unwrap_or(false);
                log.push(entry(&[s("ret"), Value::Bool(ret)]));
            }
            "eof" => {
                log.push(entry(&[s("eof")]));
                r.push_eof();
            }
            "read" => {
                let n = arg.parse::<usize>().ok();
                log.push(match n {
                    Some(n) => entry(&[s("read"), Value::from(n)]),
                    None => entry(&[s("read")]),
                });
                let got = r.read(n).ok().flatten();
                log.push(entry(&[
                    s("got"),
                    got.map(|c| s(&text(&c))).unwrap_or(Value::Null),
                ]));
            }
            "listen-readable" => {
                log.push(entry(&[s(name)]));
                r.on_readable();
            }
            "listen-data" => {
                log.push(entry(&[s(name)]));
                r.resume();
            }
            "pause" => {
                log.push(entry(&[s(name)]));
                r.pause();
            }
            "resume" => {
                log.push(entry(&[s(name)]));
                r.resume();
            }
            other => panic!("unknown op {other}"),
        }
        while let Some(ev) = r.poll_event() {
            log.push(match ev {
                ReadableEvent::Data(c) => entry(&[s("data"), s(&text(&c))]),
                ReadableEvent::Readable => entry(&[s("readable")]),
                ReadableEvent::Pause => entry(&[s("pause")]),
                ReadableEvent::Resume => entry(&[s("resume")]),
                ReadableEvent::End => entry(&[s("end")]),
                ReadableEvent::Close => entry(&[s("close")]),
                ReadableEvent::Error(e) => entry(&[s("error"), s(e.code)]),
            });
        }
    }
    log
}

#[test]
fn shared_scenario_matches_node() {
    let sc = scenario();
    let obj = sc.as_object().expect("object");
    let mut checked = 0;
    for (name, spec) in obj {
        if name == "about" {
            continue;
        }
        let got = if name.starts_with("writable") {
            replay_writable(spec)
        } else {
            replay_readable(spec)
        };
        let want = spec["expect"].as_array().cloned().unwrap_or_default();
        assert_eq!(got, want, "scenario {name}");
        checked += 1;
    }
    assert_eq!(checked, 4);
}

// ---- property tests ------------------------------------------------------

/// xorshift64*: a small deterministic generator, so failures replay by seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[test]
fn random_readable_ops_keep_invariants() {
    for seed in 1..=400u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let object_mode = rng.below(3) == 0;
        let mut r: ReadableState<Bytes> = ReadableState::new(ReadableOptions {
            object_mode,
            high_water_mark: Some(rng.below(40) as usize),
            auto_destroy: rng.below(4) != 0,
            emit_close: rng.below(4) != 0,
        });
        let mut closed = false;
        let mut ended = false;
        for _ in 0..200 {
            match rng.below(10) {
                0..=3 => {
                    let len = rng.below(12) as usize;
                    let res = r.push(vec![7; len]);
                    if ended {
                        assert!(res.is_err() || r.lifecycle().destroyed);
                    }
                }
                4 => {
                    r.push_eof();
                    ended = true;
                }
                5 => {
                    let n = match rng.below(4) {
                        0 => None,
                        1 => Some(0),
                        _ => Some(rng.below(64) as usize),
                    };
                    if let Ok(Some(c)) = r.read(n) {
                        if !object_mode {
                            assert!(!c.is_empty());
                        }
                    }
                }
                6 => r.resume(),
                7 => r.pause(),
                8 => {
                    let _ = r.start_read();
                }
                _ => {
                    if rng.below(8) == 0 {
                        r.destroy(None);
                    } else {
                        r.on_readable();
                    }
                }
            }
            assert_eq!(r.length(), r.buffered_size(), "seed {seed}");
            if object_mode {
                assert_eq!(r.length(), r.buffered_chunks());
            }
            if r.end_emitted() {
                assert!(r.ended());
            }
            while let Some(ev) = r.poll_event() {
                assert!(!closed, "seed {seed}: event after close: {ev:?}");
                if ev == ReadableEvent::Close {
                    closed = true;
                }
            }
        }
    }
}

#[test]
fn random_writable_ops_keep_invariants() {
    for seed in 1..=400u64 {
        let mut rng = Rng(seed.wrapping_mul(0xD1B5_4A32_D192_ED03) | 1);
        let hwm = rng.below(30) as usize;
        let mut w: WritableState<Bytes> = WritableState::new(WritableOptions {
            object_mode: rng.below(3) == 0,
            high_water_mark: Some(hwm),
            auto_destroy: rng.below(4) != 0,
            emit_close: true,
            has_final: rng.below(2) == 0,
        });
        let mut closed = false;
        let mut finals = 0;
        let mut finished = false;
        for _ in 0..200 {
            match rng.below(10) {
                0..=3 => {
                    let len = rng.below(10) as usize;
                    let was_ending = w.ending();
                    let res = w.write(vec![1; len]);
                    if was_ending {
                        assert_eq!(res.unwrap_err().code, "ERR_STREAM_WRITE_AFTER_END");
                    }
                }
                4 => {
                    let _ = w.next_write();
                }
                5 => {
                    let r = if rng.below(10) == 0 {
                        Err(NodeError::new("EIO", "sink failed"))
                    } else {
                        Ok(())
                    };
                    let _ = w.write_done(r);
                }
                6 => {
                    let _ = w.end();
                }
                7 => {
                    if rng.below(2) == 0 {
                        w.cork();
                    } else {
                        w.uncork();
                    }
                }
                8 => {
                    let _ = w.final_done(Ok(()));
                }
                _ => {
                    if rng.below(6) == 0 {
                        w.destroy(None);
                    }
                }
            }
            assert_eq!(w.length(), w.accounted_size(), "seed {seed}");
            while let Some(ev) = w.poll_event() {
                assert!(!closed, "seed {seed}: event after close: {ev:?}");
                match ev {
                    WritableEvent::Close => closed = true,
                    WritableEvent::Final => finals += 1,
                    WritableEvent::Finish => {
                        assert!(w.ending() && !finished, "seed {seed}");
                        finished = true;
                    }
                    _ => {}
                }
            }
            assert!(finals <= 1, "seed {seed}: _final asked twice");
        }
    }
}
