/**
 * The pure parts of the WebUI's settings frame: which keys a save sends, and where the server's
 * refusals are shown (web/src/settings/).
 */
import { describe, expect, it } from 'vitest';
import { changedValues } from '../../../web/src/settings/changed-values.js';
import { issueErrors, plain, pointerPath } from '../../../web/src/settings/issue-errors.js';

const issue = (pointer: string, message: string) => ({
  pointer,
  key: pointer.slice(1).replace(/\//g, '.'),
  kind: 'invalid',
  message,
  code: 'JOVIAN_E_CONFIG_INVALID',
});

describe('settings frame', () => {
  describe('#changedValues', () => {
    it('should keep only the top-level keys whose value changed, compared as JSON', () => {
      const saved = { retries: 1, mode: 'safe', limits: { max: 3 } };
      expect(changedValues(saved, { retries: 1, mode: 'fast', limits: { max: 3 } })).toEqual({
        mode: 'fast',
      });
      expect(changedValues(saved, { ...saved, limits: { max: 4 } })).toEqual({ limits: { max: 4 } });
    });

    it('should send a key that was not set before, but never one the form left empty', () => {
      expect(changedValues({}, { verbose: false, greeting: undefined })).toEqual({ verbose: false });
    });
  });

  describe('#pointerPath', () => {
    it('should split a JSON pointer and unescape ~1 and ~0 (RFC 6901)', () => {
      expect(pointerPath('/limits/max')).toEqual(['limits', 'max']);
      expect(pointerPath('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
      expect(pointerPath('')).toEqual([]);
    });
  });

  describe('#issueErrors', () => {
    it('should put each message under its pointer, as rjsf’s extraErrors, without backticks', () => {
      expect(
        issueErrors([
          issue('/retries', '`retries` must be <= 5'),
          issue('/limits/max', '`limits.max` must be integer'),
          issue('/retries', '`retries` must be integer'),
        ]),
      ).toEqual({
        retries: { __errors: ['retries must be <= 5', 'retries must be integer'] },
        limits: { max: { __errors: ['limits.max must be integer'] } },
      });
    });

    it('should put a refusal of the whole config at the root', () => {
      expect(issueErrors([issue('', 'must be object')])).toEqual({ __errors: ['must be object'] });
      expect(plain('`a` and `b`')).toBe('a and b');
    });
  });
});
