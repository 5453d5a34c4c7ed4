// The package root: which wasm build is active.

/** Which build of ferrode's wasm the page got, and why. */
export interface Threads {
  /** True for the multi-threaded build (cross-origin isolated pages). */
  readonly threaded: boolean;
  /** Threads in the pool: 0 in the single-threaded build. */
  readonly poolSize: number;
  /** Why this build: 'node', 'cross-origin isolated', 'not cross-origin isolated', or why threads failed. */
  readonly reason: string;
}

export declare const threads: Threads;
