import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOutput } from '../../../src/host/cli/cliOutput';
import { sqlServerPlanCommand } from '../../../src/host/cli/sqlServerPlanCommand';

const fixtures = join(__dirname, '../../fixtures/sqlserver');
const csv = join(fixtures, 'msdb-history-sql01.csv');

async function run(args: string[], json = false) {
  let stdout = '';
  let stderr = '';
  const out = createOutput(json, { write: (s: string) => (stdout += s) } as never, { write: (s: string) => (stderr += s) } as never);
  const code = await sqlServerPlanCommand(args, out);
  return { code, stdout, stderr };
}

describe('lifeboat sqlserver plan', () => {
  it('prints each step with its reason, what was skipped, and the script, from the CSV export', async () => {
    const r = await run(['--history', csv, '--database', 'Billing', '--at', '2026-11-23T10:30:00+01:00', '--as', 'Billing_copy', '--file-list', join(fixtures, 'sales-filelist.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Restore plan: Billing as Billing_copy, to 2026-11-23T10:30:00+01:00');
    expect(r.stdout.match(/^ {2}\d\. (FULL|DIFF|LOG )\s+\d+/gm)).toEqual(['  1. FULL 301', '  2. DIFF 310', '  3. LOG  311', '  4. LOG  312', '  5. LOG  314', '  6. LOG  315']);
    expect(r.stdout).toContain('  313: Differential 313 is damaged');
    expect(r.stdout).toContain('Warnings:\n  - Differential 313 is damaged');
    expect(r.stdout).toContain('Server time zone for STOPAT: UTC+01:00 (msdb time_zone of backup set 315)');
    expect(r.stdout).toContain("MOVE N'Sales_log' TO N'L:\\Logs\\Billing_copy_log.ldf'");
    expect(r.stdout).toContain("STOPAT = N'2026-11-23T10:30:00.000'");
  });

  it('gives scripts the plan and the script as one JSON document', async () => {
    const r = await run(['--history', csv, '--database', 'Sales', '--latest', '--as', 'Sales_latest', '--server-utc-offset', '+00:00'], true);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.plan.steps.map((s: { backupSetId: string }) => s.backupSetId)).toEqual(['101', '102', '103', '104', '105', '106', '107']);
    expect(doc.script.statements).toHaveLength(7);
    expect(doc.serverUtcOffsetMinutes).toBe(0);
    expect(doc.script.text).toContain('-- MOVE clauses are missing');
  });

  it('exits 7 with the broken range named for a target inside a gap', async () => {
    const r = await run(['--history', csv, '--database', 'Orders', '--at', '2026-11-23T06:30:00+01:00', '--as', 'Orders_copy']);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^error BROKEN_CHAIN: .*LSN 42000000001600001 to 43000000001600001/);
  });

  it('exits 2 on missing or unknown options and a missing file', async () => {
    expect((await run(['--history', csv, '--database', 'Sales', '--as', 'x'])).stderr).toContain('--at <time with zone> or --latest');
    expect((await run(['--history', csv, '--database', 'Sales', '--latest', '--as', 'x', '--bogus'])).code).toBe(2);
    const missing = await run(['--history', join(fixtures, 'nope.csv'), '--database', 'Sales', '--latest', '--as', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error NOT_FOUND');
  });
});
