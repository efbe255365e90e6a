// @pixelrepa/io/testing — helpers for tests of code that downloads (Node only): a loopback server
// that plays the Hugging Face hub, with interrupted and corrupted responses on demand.
export { startHubServer, type HubServer } from './test-support/hub-server.js';
