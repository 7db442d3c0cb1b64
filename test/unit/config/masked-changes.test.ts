import { describe, expect, it } from 'vitest';
import { MASK, maskSecrets } from '../../../src/config/index.js';

const schema = {
  type: 'object',
  properties: {
    user: { type: 'string' },
    token: { type: 'string', format: 'password' },
    db: {
      type: 'object',
      properties: { host: { type: 'string' }, password: { type: 'string', format: 'password' } },
    },
  },
};

describe('maskSecrets', () => {
  it('should mask a password field named by its key, before and after', () => {
    expect(maskSecrets(schema, [{ key: 'token', from: 'old', to: 'new' }])).toEqual([
      { key: 'token', from: MASK, to: MASK },
    ]);
  });

  it('should keep saying whether a secret was set or removed', () => {
    expect(maskSecrets(schema, [{ key: 'token', from: undefined, to: 's3cret' }])).toEqual([
      { key: 'token', from: undefined, to: MASK },
    ]);
  });

  it('should mask a secret inside an object value and by its dotted key', () => {
    expect(
      maskSecrets(schema, [
        { key: 'db', from: {}, to: { host: 'h', password: 'p' } },
        { key: 'db.password', from: 'a', to: 'b' },
        { key: 'user', from: 'ann', to: 'bob' },
      ]),
    ).toEqual([
      { key: 'db', from: {}, to: { host: 'h', password: MASK } },
      { key: 'db.password', from: MASK, to: MASK },
      { key: 'user', from: 'ann', to: 'bob' },
    ]);
  });
});
