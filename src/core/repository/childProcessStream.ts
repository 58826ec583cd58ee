// Runs a command as one stage of a stream pipeline (e.g. zstd), and turns its failure into a LifeboatError:
// a missing binary is TOOL_MISSING; a non-zero exit names the tool and its last stderr line.
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import { LifeboatError } from '../lifeboatError';

export function childProcessStream(command: string, args: string[], label: string, installHint: string): Duplex {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const duplex = Duplex.from({ writable: child.stdin, readable: child.stdout });
  child.on('error', (err: NodeJS.ErrnoException) => {
    duplex.destroy(
      err.code === 'ENOENT'
        ? new LifeboatError('TOOL_MISSING', `${command} is not installed; it is needed for ${label}.`, installHint)
        : err,
    );
  });
  child.on('close', (code, signal) => {
    if (code !== 0 && !duplex.destroyed) {
      const last = stderr.trim().split('\n').pop() ?? '';
      duplex.destroy(new LifeboatError('INTERNAL', `${command} (${label}) failed${signal ? ` with ${signal}` : ` with exit code ${code}`}: ${last}`, 'See the message above; the partial output was removed.'));
    }
  });
  // Destroying the stage (cancel, an error elsewhere in the pipeline) must not leave the process behind.
  duplex.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return duplex;
}

export const ZSTD_HINT = 'Install zstd (Debian/Ubuntu: apt install zstd; macOS: brew install zstd; Windows: winget install zstd).';
