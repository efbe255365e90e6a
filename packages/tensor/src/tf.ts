// The TF.js surface the other packages use. Everything numeric goes through here so that only
// this package imports @tensorflow/*. Importing it has no side effects: backends and gradients are
// registered by `initBackend`.
export * from '@tensorflow/tfjs-core';
