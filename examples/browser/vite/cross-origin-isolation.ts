/**
 * Headers that make the page cross-origin isolated, so it may use SharedArrayBuffer: WASM runs
 * multi-threaded only then. Every static host serving the built page must send them too.
 */
export const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;
