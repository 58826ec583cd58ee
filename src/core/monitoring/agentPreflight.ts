// Before a headless agent starts: does anything in the fleet need the OS keychain, and is there one? On a
// server there usually is none; the agent then says exactly what needs it and what to use instead.
import type { FleetFile } from '../inventory/fleetFile';
import { LifeboatError } from '../lifeboatError';
import { BackupRepository } from '../repository/backupRepository';
import type { SecretStore } from '../secrets/secretStore';

export const KEYCHAIN_ALTERNATIVES =
  'On a server without a keychain: give each service a password source of "passfile" (a PostgreSQL ~/.pgpass or ' +
  'a path) or "env" (the name of an environment variable) in the fleet file, and set LIFEBOAT_KEY_FILE to a ' +
  '0600 file holding the repository key ("lifeboat repo key export" prints it on a computer that has it). ' +
  'Webhook secrets need the keychain; without one, webhooks are sent without their secret header.';

export async function agentPreflight(fleet: FleetFile, secrets: SecretStore, env: NodeJS.ProcessEnv): Promise<{ warnings: string[] }> {
  const needs: string[] = [];
  for (const s of fleet.list()) if (s.connection.password.kind === 'keychain') needs.push(`the password of ${s.id} (password source "keychain")`);
  const repositories = new Set([fleet.repository, ...fleet.list().map((s) => fleet.repositoryFor(s))].filter((p): p is string => !!p));
  for (const path of repositories) {
    const repo = await BackupRepository.open(path, { secrets, env }).catch(() => undefined);
    if (repo?.info.encryption && !env.LIFEBOAT_KEY_FILE) needs.push(`the key of the encrypted repository ${repo.root} (LIFEBOAT_KEY_FILE is not set)`);
  }
  const webhookSecrets = (fleet.notifications.webhooks ?? []).filter((w) => w.secretHeader).map((w) => w.name);
  let problem: string | undefined;
  try {
    await secrets.get('lifeboat/agent-probe');
  } catch (err) {
    problem = (err as Error).message.split('\n')[0];
  }
  if (!problem) return { warnings: [] };
  if (needs.length)
    throw new LifeboatError('KEYCHAIN_UNAVAILABLE', `No OS keychain is available (${problem}), and the agent needs it for ${needs.join('; ')}.`, KEYCHAIN_ALTERNATIVES);
  return { warnings: webhookSecrets.length ? [`No keychain: webhooks ${webhookSecrets.join(', ')} are sent without their secret header.`] : [] };
}
