//! Turns core errors into values JS can rebuild into Node-shaped errors.
//!
//! A `NodeError` crosses the boundary as a plain object `{ code, message, errno }`;
//! `wasm/js/internal/errors.js` (`fromNative`) turns it into an `Error` of the
//! right class with Node's `[code]` stack line. Keeping the class choice in JS
//! keeps one place that decides how errors look.

use ferrode_core::NodeError;
use wasm_bindgen::JsValue;

/// Converts a core error into `{ code, message, errno? }`.
pub fn to_js(err: NodeError) -> JsValue {
    let obj = js_sys::Object::new();
    // Reflect::set on a fresh plain object with string keys cannot fail.
    let _ = js_sys::Reflect::set(&obj, &"code".into(), &err.code.into());
    let _ = js_sys::Reflect::set(&obj, &"message".into(), &err.message.into());
    if let Some(errno) = err.errno {
        let _ = js_sys::Reflect::set(&obj, &"errno".into(), &errno.into());
    }
    obj.into()
}

/// `Result` of the boundary: errors are already JS values.
pub type JsResult<T> = Result<T, JsValue>;

/// Maps a core result onto the boundary's result.
pub fn js_result<T>(r: Result<T, NodeError>) -> JsResult<T> {
    r.map_err(to_js)
}
