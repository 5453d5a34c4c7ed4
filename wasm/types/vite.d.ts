// ferrode/vite: the Vite plugin and its options.
import type { Plugin } from 'vite';

/** Which globals the plugin provides; each defaults to true. */
export interface FerrodeGlobals {
  /** `globalThis.Buffer` and free `Buffer` references: ferrode's Buffer. */
  Buffer?: boolean;
  /** `globalThis.process` and free `process` references: a small browser process (env, nextTick, browser: true). */
  process?: boolean;
  /** `global` as an alias of `globalThis`. */
  global?: boolean;
}

export interface FerrodeViteOptions {
  /** true (default): all three globals; false: none; or each one. */
  globals?: boolean | FerrodeGlobals;
  /** Send COOP/COEP from the dev and preview servers so pages get the threaded build (default false). */
  coopCoep?: boolean;
  /** Node module names to leave to Vite, e.g. ['crypto'] (default none). */
  exclude?: string[];
  /** build.target when the app sets none (default 'es2022': the boot script uses top-level await). */
  buildTarget?: string;
}

/** The modules this copy of ferrode provides, name -> file. */
export declare function ferrodeModules(): Map<string, string>;
export declare function ferrode(options?: FerrodeViteOptions): Plugin;
export default ferrode;
