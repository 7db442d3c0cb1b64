/** The settings form's validator: decides oneOf branches and reports problems without generated code. */
import { describe, expect, it } from 'vitest';
import { createInterpretedValidator } from '../../../web/src/settings/interpreted-validator.js';

const root = {
  type: 'object',
  definitions: { port: { type: 'integer', minimum: 1, maximum: 65535 } },
  properties: { port: { $ref: '#/definitions/port' }, name: { type: 'string', minLength: 2 } },
} as const;

describe('#createInterpretedValidator', () => {
  const validator = createInterpretedValidator();

  it('should tell whether values fit a sub-schema, resolving refs to the root definitions', () => {
    const branch = { properties: { port: { $ref: '#/definitions/port' } }, required: ['port'] };
    expect(validator.isValid(branch, { port: 8080 }, root)).toBe(true);
    expect(validator.isValid(branch, { port: 0 }, root)).toBe(false);
    expect(validator.isValid(branch, {}, root)).toBe(false);
  });

  it('should list each problem at its field, as rjsf shows them', () => {
    const { errors, errorSchema } = validator.validateFormData({ port: 70000, name: 'x' }, root);
    expect(errors.map((e) => [e.property, e.name])).toEqual(
      expect.arrayContaining([
        ['.port', 'maximum'],
        ['.name', 'minLength'],
      ]),
    );
    expect(Object.keys(errorSchema)).toEqual(expect.arrayContaining(['port', 'name']));
    expect(validator.validateFormData({ port: 80, name: 'ok' }, root).errors).toEqual([]);
  });
});
