// Prints the test counts per suite and the closing line CI reads ("N passed, N failed").
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log(`No test report at ${file}: the test run did not complete.`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const suites = {};
for (const result of report.testResults) {
  const suite = result.name.match(/\/test\/(unit|integration|e2e)\//)?.[1] ?? 'other';
  const counts = (suites[suite] ??= { passed: 0, failed: 0, skipped: 0 });
  for (const t of result.assertionResults) {
    if (t.status === 'passed') counts.passed++;
    else if (t.status === 'failed') counts.failed++;
    else counts.skipped++;
  }
  // A file that failed outside its tests (it did not load, or a beforeAll threw and its tests were
  // skipped) has no failed assertion but still failed.
  if (result.status === 'failed' && !result.assertionResults.some((t) => t.status === 'failed')) counts.failed++;
}
let passed = 0, failed = 0, skipped = 0;
for (const [suite, c] of Object.entries(suites)) {
  console.log(`${suite.padEnd(12)} ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`);
  passed += c.passed; failed += c.failed; skipped += c.skipped;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
