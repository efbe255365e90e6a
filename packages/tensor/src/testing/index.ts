export { allclose, type CloseReport } from './allclose.js';
export {
  findFixturesRoot,
  fixturesRoot,
  fixtureDir,
  fixturePath,
  missingFixtureCases,
  missingFixturesMessage,
  fixturesRequired,
  makeFixturesCommand,
  describeWithFixtures,
  itWithFixtures,
  missingFixturesTest,
} from '@pixelrepa/io/testing';
export { loadCase, toleranceFor, toTensor, nchwToNhwc, nhwcToNchw, type FixtureCase, type CaseJson, type Tolerance } from './fixtures.js';
export { describeEachBackend, describeEachBackendWithFixtures, testBackends, testWasmThreads, liveTensors } from './backends.js';
export { standInLoader, moduleNotFoundError } from './module-loader.js';
