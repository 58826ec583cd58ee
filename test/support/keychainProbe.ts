// Run as a child process with a broken D-Bus address: prints what the keychain store says when no keychain
// is reachable, as JSON.
import { KeytarSecretStore } from '../../src/core/secrets/keytarSecretStore';
import { toWireError } from '../../src/core/lifeboatError';

const started = Date.now();
try {
  await new KeytarSecretStore().get('service/probe/password');
  process.stdout.write(JSON.stringify({ ok: true }));
} catch (err) {
  process.stdout.write(JSON.stringify({ ok: false, error: toWireError(err), ms: Date.now() - started }));
}
