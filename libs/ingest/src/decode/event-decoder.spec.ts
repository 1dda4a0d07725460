import { decodeHttpBatch, decodeMqttPayload } from './event-decoder';

const door = {
  id: 'e1',
  ts: '2026-03-10T09:00:00Z',
  credential: 'card-1',
  member: 'm1',
  direction: 'in',
  result: 'granted',
  method: 'nfc',
};
const sensor = { id: 'e2', ts: '2026-03-10T09:00:00+01:00', kind: 'presence', value: true };
const booking = {
  id: 'e3',
  ts: '2026-03-10T08:00:00Z',
  booking: 'b1',
  resource: 'room-1',
  member: 'm1',
  start: '2026-03-10T09:00:00Z',
  end: '2026-03-10T10:00:00Z',
  status: 'created',
};
const doorRoute = { siteId: 's1', type: 'door' as const, deviceId: 'd1' };
const sensorRoute = { siteId: 's1', type: 'sensor' as const, deviceId: 'p1' };
const bookingRoute = { siteId: 's1', type: 'booking' as const, deviceId: null };

function mqttErrors(route: typeof doorRoute | typeof sensorRoute | typeof bookingRoute, payload: unknown) {
  const decoded = decodeMqttPayload(route, 'cw/s1/x', Buffer.from(JSON.stringify(payload)), 100);
  return decoded.refusals.flatMap((r) => r.errors);
}

describe('decodeMqttPayload', () => {
  it('takes one event or an array of events', () => {
    expect(decodeMqttPayload(doorRoute, 't', Buffer.from(JSON.stringify(door)), 100).candidates).toHaveLength(
      1,
    );
    const many = decodeMqttPayload(
      sensorRoute,
      't',
      Buffer.from(JSON.stringify([sensor, { ...sensor, id: 'e9' }])),
      100,
    );
    expect(many.candidates.map((c) => c.index)).toEqual([0, 1]);
  });

  it("keeps a door's reason code", () => {
    const decoded = decodeMqttPayload(
      doorRoute,
      't',
      Buffer.from(JSON.stringify({ ...door, result: 'denied', reason: 'outside_hours' })),
      100,
    );
    expect(decoded.refusals).toEqual([]);
    expect(decoded.candidates[0].candidate).toMatchObject({ payload: { reason: 'outside_hours' } });
  });

  it('turns presence booleans into 1/0', () => {
    const decoded = decodeMqttPayload(sensorRoute, 't', Buffer.from(JSON.stringify(sensor)), 100);
    expect(decoded.candidates[0].candidate.payload).toMatchObject({ value: 1 });
  });

  it('keeps the raw text of malformed JSON with the parser message', () => {
    const decoded = decodeMqttPayload(doorRoute, 'cw/s1/door/d1', Buffer.from('{"id": '), 100);
    expect(decoded.candidates).toHaveLength(0);
    expect(decoded.refusals[0]).toMatchObject({
      raw: '{"id": ',
      siteId: 's1',
      topic: 'cw/s1/door/d1',
      source: 'mqtt',
    });
    expect(decoded.refusals[0].reason).toMatch(/^malformed JSON/);
  });

  it('refuses a message with too many events as a whole', () => {
    const decoded = decodeMqttPayload(doorRoute, 't', Buffer.from(JSON.stringify([door, door, door])), 2);
    expect(decoded.refusals[0].reason).toBe('message holds 3 events; at most 2 per message');
  });

  it('keeps the valid events of a message with invalid ones', () => {
    const decoded = decodeMqttPayload(
      doorRoute,
      't',
      Buffer.from(JSON.stringify([door, { ...door, result: 'maybe' }])),
      100,
    );
    expect(decoded.candidates.map((c) => c.index)).toEqual([0]);
    expect(decoded.refusals.map((r) => [r.index, r.eventId])).toEqual([[1, 'e1']]);
  });

  describe('names every door field that is wrong', () => {
    it.each([
      [{ ...door, id: undefined }, 'id', 'required'],
      [{ ...door, id: '' }, 'id', 'must not be empty'],
      [{ ...door, id: 'x'.repeat(129) }, 'id', 'at most 128 characters'],
      [
        { ...door, ts: '2026-03-10 09:00' },
        'ts',
        'must be ISO 8601 with an offset, e.g. 2026-03-01T09:00:00Z',
      ],
      [
        { ...door, ts: '2026-03-10T09:00:00' },
        'ts',
        'must be ISO 8601 with an offset, e.g. 2026-03-01T09:00:00Z',
      ],
      [{ ...door, credential: undefined }, 'credential', 'required'],
      [{ ...door, credential: 42 }, 'credential', 'Expected string, received number'],
      [{ ...door, member: 'a b' }, 'member', 'letters, digits, _ . : - only'],
      [{ ...door, direction: 'up' }, 'direction', "Invalid enum value. Expected 'in' | 'out', received 'up'"],
      [{ ...door, result: undefined }, 'result', 'required'],
      [{ ...door, method: 'x'.repeat(33) }, 'method', 'String must contain at most 32 character(s)'],
      [{ ...door, reason: 'Outside hours' }, 'reason', 'a reason code: lower case letters, digits, _ . : -'],
      [{ ...door, reason: 'x'.repeat(65) }, 'reason', 'String must contain at most 64 character(s)'],
      [{ ...door, colour: 'red' }, 'colour', 'unknown field'],
    ])('%#: %s -> %s', (payload, path, message) => {
      expect(mqttErrors(doorRoute, payload)).toContainEqual({ path, message });
    });
  });

  describe('names every sensor field that is wrong', () => {
    it.each([
      [{ ...sensor, kind: 'smell' }, 'kind'],
      [{ ...sensor, value: 'high' }, 'value'],
      [{ ...sensor, value: 2 }, 'value'],
      [{ ...sensor, kind: 'people_in', value: -1 }, 'value'],
      [{ ...sensor, kind: 'count', value: 1.5 }, 'value'],
      [{ ...sensor, ts: 12345 }, 'ts'],
    ])('%#: %s', (payload, path) => {
      expect(mqttErrors(sensorRoute, payload).map((e) => e.path)).toContain(path);
    });

    it('accepts any finite number for environmental kinds', () => {
      expect(mqttErrors(sensorRoute, { ...sensor, kind: 'co2', value: 812.5 })).toEqual([]);
    });
  });

  describe('names every booking field that is wrong', () => {
    it.each([
      [{ ...booking, booking: undefined }, 'booking', 'required'],
      [{ ...booking, resource: '' }, 'resource', 'must not be empty'],
      [
        { ...booking, start: 'tomorrow' },
        'start',
        'must be ISO 8601 with an offset, e.g. 2026-03-01T09:00:00Z',
      ],
      [{ ...booking, end: '2026-03-10T08:00:00Z' }, 'end', 'must be after start'],
      [
        { ...booking, status: 'maybe' },
        'status',
        "Invalid enum value. Expected 'created' | 'updated' | 'cancelled' | 'checked_in' | 'ended', received 'maybe'",
      ],
    ])('%#: %s -> %s', (payload, path, message) => {
      expect(mqttErrors(bookingRoute, payload)).toContainEqual({ path, message });
    });
  });
});

describe('decodeHttpBatch', () => {
  it('routes mixed kinds by their envelope and reports the rest by index', () => {
    const decoded = decodeHttpBatch([
      { type: 'door', site: 's1', door: 'd1', ...door },
      { type: 'sensor', site: 's1', sensor: 'p1', ...sensor },
      { type: 'booking', site: 's1', ...booking },
      { type: 'lamp', site: 's1' },
      { type: 'door', site: 's1', ...door },
      'not an object',
      { type: 'sensor', site: 's1', sensor: 'p1', ...sensor, value: 'x' },
    ]);
    expect(decoded.candidates.map((c) => [c.index, c.candidate.type, c.candidate.deviceId])).toEqual([
      [0, 'door', 'd1'],
      [1, 'sensor', 'p1'],
      [2, 'booking', null],
    ]);
    expect(decoded.refusals.map((r) => r.index)).toEqual([3, 4, 5, 6]);
    expect(decoded.refusals[0].errors[0].path).toBe('type');
    expect(decoded.refusals[1].errors).toContainEqual({ path: 'door', message: 'required' });
    expect(decoded.refusals[3].errors.map((e) => e.path)).toEqual(['value']);
    expect(decoded.refusals[1].raw).toBe(JSON.stringify({ type: 'door', site: 's1', ...door }));
  });
});
