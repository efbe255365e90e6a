// @pixelrepa/io/testing — helpers for tests (Node only): a loopback server that plays the Hugging
// Face hub, with interrupted and corrupted responses on demand; where the reference fixtures are,
// and fixture tests that skip (counted) or fail (on CI) when they are missing.
export { startHubServer, type HubServer } from './test-support/hub-server.js';
export {
  findFixturesRoot,
  fixturesRoot,
  fixtureDir,
  fixturePath,
  missingFixtureCases,
  missingFixturesMessage,
  fixturesRequired,
  makeFixturesCommand,
} from './test-support/fixtures.js';
export { describeWithFixtures, itWithFixtures, missingFixturesTest } from './test-support/fixture-suite.js';
