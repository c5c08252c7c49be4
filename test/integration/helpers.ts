/** The test server, under the name tests written before `kit.ts` import it from. */
export { SECRET, startTestServer, type TestServer } from './kit.js';
