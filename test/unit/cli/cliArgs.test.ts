import { describe, expect, it } from 'vitest';
import { need, onlyArgument } from '../../../src/host/cli/cliArgs';

describe('arguments of option-less commands', () => {
  it('returns the one argument', () => {
    expect(onlyArgument(['orders'], 'a service id', 'lifeboat backups <service>')).toBe('orders');
  });

  it('refuses an option the command does not take, naming it, instead of ignoring it', () => {
    expect(() => onlyArgument(['orders', '--kind', 'x'], 'a service id', 'usage')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: 'Unknown option --kind.' }));
  });

  it('refuses a second argument and a missing one', () => {
    expect(() => onlyArgument(['orders', 'billing'], 'a service id', 'usage')).toThrow(/Unexpected argument billing/);
    expect(() => onlyArgument([], 'a service id', 'usage')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: 'Missing a service id.' }));
    expect(() => need(undefined, '--as', 'lifeboat restore ...')).toThrow(expect.objectContaining({ hint: 'Usage:\nlifeboat restore ...' }));
  });
});
