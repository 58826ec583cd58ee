// Runs Doyensec's electronegativity over a folder and prints its findings as JSON (it always exits 0 as a
// CLI, so the test reads the findings instead). Run with `node -r ./test/support/offline.cjs`.
import runner from '@doyensec/electronegativity/dist/runner.js';

const scan = runner.default ?? runner;
const log = console.log;
console.log = () => {}; // its progress chatter
const result = await scan({
  input: process.argv[2],
  electronVersionOverride: process.argv[3],
  isRelative: true,
  // This check downloads Electron's release list; the version is pinned by package-lock instead.
  excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
});
log(JSON.stringify({ issues: result.issues, errors: result.errors }));
