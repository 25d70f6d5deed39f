import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { expect } from 'chai';
import { planSchema, planSchemaText } from './plan-schema.js';

describe('plan schema (schemas/plan-v1.json)', () => {
  it('the shipped file is the one generated from the planner kinds and the op registry (npm run gen:schemas)', () => {
    expect(readFileSync(new URL('../../schemas/plan-v1.json', import.meta.url), 'utf8')).to.equal(planSchemaText());
  });

  it('compiles under ajv strict mode', () => {
    expect(() => new Ajv({ strict: true, allErrors: true }).compile(planSchema())).not.to.throw();
  });
});
