import { describe, expect, it } from 'vitest';
import { parseTrustStore } from '../../../src/security/index.js';

describe('parseTrustStore', () => {
  it('should read trust levels, default to community and skip other namespaces', () => {
    const k = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG2hbzu6Cy7Gq0JMeU2PPp2Cqgib7qM2LQw0E4q7YgEq';
    const parsed = parseTrustStore(
      `# comment\nroot@x ${k} trust=official\nbob@x ${k}\ngit@x namespaces="git" ${k} trust=official\n`,
      'store',
    );
    expect(parsed.map((s) => [s.principal, s.trust])).toEqual([
      ['root@x', 'official'],
      ['bob@x', 'community'],
    ]);
  });

  it('should name the line of a bad trust level', () => {
    const k = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG2hbzu6Cy7Gq0JMeU2PPp2Cqgib7qM2LQw0E4q7YgEq';
    expect(() => parseTrustStore(`\na@x ${k} trust=gold\n`, 'store')).toThrow(
      /store:2: trust must be one of/,
    );
  });
});
