//! Work that the threaded build spreads over its rayon pool: block-parallel
//! gzip/deflate and batch hashing. The single-threaded build exports the same
//! functions and runs them in a plain loop, so JS never needs two code paths
//! for correctness (it only decides when the parallel path is worth taking).

use crate::error::{js_result, JsResult};
use ferrode_core::crypto::hash::{self, HashAlgorithm};
use ferrode_core::zlib::flate::FlateOptions;
use ferrode_core::zlib::parallel::{self, BlockJob, BlockOut};
use ferrode_core::zlib::Mode;
use ferrode_core::NodeError;
use wasm_bindgen::prelude::*;

#[cfg(feature = "threads")]
fn map_jobs<T, F>(jobs: &[BlockJob], f: F) -> Vec<T>
where
    T: Send,
    F: Fn(BlockJob) -> T + Sync + Send,
{
    use rayon::prelude::*;
    jobs.par_iter().map(|j| f(*j)).collect()
}

#[cfg(not(feature = "threads"))]
fn map_jobs<T, F>(jobs: &[BlockJob], f: F) -> Vec<T>
where
    F: Fn(BlockJob) -> T,
{
    jobs.iter().map(|j| f(*j)).collect()
}

/// Gzip (mode 3) or deflate (mode 1) of `input` as one stream, compressed in
/// independent blocks of `block_size` bytes (spread over the pool in the
/// threaded build). Refuses options the block compressor cannot honour.
#[wasm_bindgen(js_name = deflateParallel)]
pub fn deflate_parallel(
    mode: i32,
    input: &[u8],
    level: i32,
    window_bits: i32,
    mem_level: i32,
    strategy: i32,
    block_size: usize,
) -> JsResult<Vec<u8>> {
    let mode = js_result(Mode::from_node(mode))?;
    let opts = FlateOptions {
        level,
        window_bits,
        mem_level,
        strategy,
        dictionary: Vec::new(),
    };
    js_result(parallel::compress(mode, &opts, input, block_size, |jobs| {
        map_jobs::<Result<BlockOut, NodeError>, _>(jobs, |j| {
            parallel::compress_block(mode, &opts, input, j)
        })
    }))
}

/// Digests of many inputs at once: `data` holds the inputs back to back,
/// `lengths` their sizes; the result holds the digests back to back.
#[wasm_bindgen(js_name = hashBatch)]
pub fn hash_batch(algorithm: &str, data: &[u8], lengths: &[u32]) -> JsResult<Vec<u8>> {
    let alg = HashAlgorithm::from_name(algorithm)
        .ok_or_else(|| NodeError::new("ERR_OSSL_EVP_UNSUPPORTED", "Digest method not supported"));
    let alg = js_result(alg)?;
    let out_len = alg.output_len();
    let mut jobs = Vec::with_capacity(lengths.len());
    let mut start = 0usize;
    for &len in lengths {
        let end = start.checked_add(len as usize).filter(|&e| e <= data.len());
        let Some(end) = end else {
            return Err(crate::error::to_js(NodeError::new(
                "ERR_OUT_OF_RANGE",
                "The lengths of the batch exceed its data",
            )));
        };
        jobs.push(BlockJob {
            start,
            end,
            dict_start: start,
            last: false,
        });
        start = end;
    }
    let digests = map_jobs::<Result<Vec<u8>, NodeError>, _>(&jobs, |j| {
        hash::digest(alg, data.get(j.start..j.end).unwrap_or_default(), out_len)
    });
    let mut out = Vec::with_capacity(out_len.saturating_mul(jobs.len()));
    for d in digests {
        out.extend_from_slice(&js_result(d)?);
    }
    Ok(out)
}
