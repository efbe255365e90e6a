export { allclose, type CloseReport } from './allclose.js';
export {
  fixturesRoot, loadCase, toleranceFor, toTensor, nchwToNhwc, nhwcToNchw,
  type FixtureCase, type CaseJson, type Tolerance,
} from './fixtures.js';
export { describeEachBackend, testBackends, testWasmThreads, liveTensors } from './backends.js';
export { standInLoader, moduleNotFoundError } from './module-loader.js';
