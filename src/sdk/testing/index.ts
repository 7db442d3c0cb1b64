export { createTestHost, type TestHost, type TestHostOptions } from './create-test-host.js';
