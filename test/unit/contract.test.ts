import { describe, expect, it } from 'vitest';
import { isMethodName, methodInputs, parseInput } from '../../src/shared/contract';
import { ERROR_CODES, EXIT_CODES } from '../../src/shared/errors';

describe('the contract', () => {
  it('rejects a service whose port is not a number, naming the field', () => {
    const result = parseInput('services.add', {
      service: { id: 'orders', name: 'Orders', engine: 'postgres', connection: { host: 'h', port: '5432x', database: 'd', user: 'u' } },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.message).toContain('service.connection.port');
    }
  });

  it('rejects unknown fields, so a renderer cannot smuggle extra input', () => {
    const result = parseInput('services.test', { id: 'orders', sql: 'drop table x' });
    expect(result.ok).toBe(false);
  });

  it('fills defaults: TLS prefer and the keychain as password source', () => {
    const result = parseInput('services.add', {
      service: { id: 'orders', name: 'Orders', engine: 'postgres', connection: { host: 'h', port: 5432, database: 'd', user: 'u' } },
    });
    expect(result.ok && result.value.service.connection).toMatchObject({ tls: 'prefer', password: { kind: 'keychain' } });
  });

  it('refuses ids that would not be safe as file names', () => {
    expect(parseInput('services.get', { id: '../etc' }).ok).toBe(false);
    expect(parseInput('services.get', { id: 'Orders' }).ok).toBe(false);
    expect(parseInput('services.get', { id: 'orders-eu_1' }).ok).toBe(true);
  });

  it('knows its methods and nothing else', () => {
    expect(isMethodName('services.list')).toBe(true);
    expect(isMethodName('__proto__')).toBe(false);
    expect(isMethodName('constructor')).toBe(false);
    expect(Object.keys(methodInputs).length).toBeGreaterThan(10);
  });

  it('gives every error code an exit code, 0 for none', () => {
    for (const code of ERROR_CODES) expect(EXIT_CODES[code]).toBeGreaterThan(0);
  });
});
