// Typing a database name suggests a service id that the fleet file accepts.
import { describe, expect, it } from 'vitest';
import { serviceIdSchema } from '../../../src/shared/domain';
import { suggestServiceId } from '../../../src/renderer/src/pages/wizard/suggestServiceId';

describe('suggestServiceId', () => {
  it('lower-cases and keeps underscores and dashes', () => {
    expect(suggestServiceId('Orders_DB')).toBe('orders_db');
    expect(suggestServiceId('billing-v2')).toBe('billing-v2');
  });

  it('turns spaces and other characters into single dashes', () => {
    expect(suggestServiceId('billing service')).toBe('billing-service');
    expect(suggestServiceId('Payments  (EU) / prod')).toBe('payments-eu-prod');
  });

  it('drops leading and trailing separators', () => {
    expect(suggestServiceId('--orders--')).toBe('orders');
    expect(suggestServiceId('_audit')).toBe('audit');
  });

  it('is empty when nothing usable is left', () => {
    expect(suggestServiceId('')).toBe('');
    expect(suggestServiceId('ÄÖÜ')).toBe('');
  });

  it('stays within 63 characters without a trailing dash', () => {
    const id = suggestServiceId(`${'a'.repeat(62)} b`);
    expect(id.length).toBeLessThanOrEqual(63);
    expect(id).toBe('a'.repeat(62));
  });

  it('suggests ids the schema accepts', () => {
    for (const name of ['Orders_DB', 'billing service', 'Payments (EU)', '9lives', `${'x'.repeat(70)}`]) {
      expect(serviceIdSchema.safeParse(suggestServiceId(name)).success, name).toBe(true);
    }
  });
});
