import { fieldErrors } from '@cw/common';
import { ZodTypeAny } from 'zod';
import { assignSchema, signUpSchema } from './contract.dto';
import { memberBodySchema } from './directory.dto';
import { planBodySchema } from './plan.dto';

const errorsOf = (schema: ZodTypeAny, value: unknown) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : fieldErrors(parsed.error);
};

describe('membership request schemas', () => {
  const flex = { name: 'Flex', kind: 'flex_desk', priceMinor: 19000 };

  it('refuses negative or fractional money with the field path', () => {
    expect(errorsOf(planBodySchema, { ...flex, priceMinor: -1 })).toEqual([
      { path: 'priceMinor', message: 'must not be negative' },
    ]);
    expect(errorsOf(planBodySchema, { ...flex, includedCreditsMinor: 10.5 })).toEqual([
      { path: 'includedCreditsMinor', message: 'must be a whole number of minor units' },
    ]);
    expect(errorsOf(planBodySchema, { ...flex, bookingDiscountPct: 120 }).map((e) => e.path)).toEqual([
      'bookingDiscountPct',
    ]);
  });

  it('ties period and pass fields to the kind', () => {
    expect(errorsOf(planBodySchema, flex)).toEqual([]);
    expect(errorsOf(planBodySchema, { ...flex, period: 'once', passDays: 1 })).toEqual([
      { path: 'period', message: 'a flex_desk plan is billed monthly (month)' },
      { path: 'passDays', message: 'only day passes and hour packs have passDays' },
    ]);
    const pack = {
      name: 'Ten hours',
      kind: 'hour_pack',
      priceMinor: 9000,
      passMinutes: 600,
      passValidDays: 90,
    };
    expect(errorsOf(planBodySchema, pack)).toEqual([]);
    expect(errorsOf(planBodySchema, { ...pack, passMinutes: undefined, passDays: 2 })).toEqual([
      { path: 'passMinutes', message: 'required for an hour_pack' },
      { path: 'passDays', message: 'only day passes hold days' },
    ]);
  });

  it('checks plan access hours and bookable kinds against the site vocabulary', () => {
    expect(
      errorsOf(planBodySchema, {
        ...flex,
        accessHours: [{ day: 'mon', open: '20:00', close: '08:00' }],
        bookableKinds: ['spaceship'],
      }).map((e) => e.path),
    ).toEqual(['accessHours.0.close', 'bookableKinds.0']);
  });

  it('sign-up dates are calendar dates and the end comes after the start', () => {
    const body = { member: 'ana', plan: 'flex', start: '2026-03-01' };
    expect(errorsOf(signUpSchema, body)).toEqual([]);
    expect(errorsOf(signUpSchema, { ...body, start: '2026-02-30' })).toEqual([
      { path: 'start', message: 'must be a calendar date YYYY-MM-DD' },
    ]);
    expect(errorsOf(signUpSchema, { ...body, end: '2026-03-01' })).toEqual([
      { path: 'end', message: 'must be after start' },
    ]);
    expect(errorsOf(signUpSchema, { ...body, extra: 1 })).toEqual([
      { path: 'extra', message: 'unknown field' },
    ]);
  });

  it('an assignment is a resource or an item, not both; a team needs a company', () => {
    expect(errorsOf(assignSchema, { resource: 'locker-1' })).toEqual([]);
    expect(errorsOf(assignSchema, { item: 'key 12' })).toEqual([]);
    expect(errorsOf(assignSchema, { resource: 'locker-1', item: 'key' })).toEqual([
      { path: 'resource', message: 'give exactly one of resource or item' },
    ]);
    expect(errorsOf(memberBodySchema, { name: 'Ana', team: 'Design' })).toEqual([
      { path: 'team', message: 'a team belongs to a company: set company' },
    ]);
  });
});
