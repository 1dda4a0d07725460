import { loadScenario } from '../scenario/scenario-loader';
import { SMALL_TEST_SCENARIO_FILE } from '../scenario/scenario-files';
import { minutePresence, reportSecond } from './minute-presence';
import { ScenarioStream } from './scenario-stream';
import { PresenceRecord } from './truth-records';

// The small test site: Mon-Fri 08:00-20:00 in Madrid (UTC+1 in early March), nine presence sensors.
const rt = new ScenarioStream(loadScenario(SMALL_TEST_SCENARIO_FILE), { start: '2026-03-02', days: 1 })
  .sites[0];
const presence = (resource: string, from: string, to: string, site = 'small'): PresenceRecord => ({
  type: 'presence',
  site,
  resource,
  member: null,
  from,
  to,
});

describe('minutePresence', () => {
  it('gives every presence sensor one reading a minute from opening, 1 exactly while the truth has someone in', () => {
    const series = minutePresence(rt, '2026-03-02', [
      presence('desk-1', '2026-03-02T09:00:30Z', '2026-03-02T09:10:30Z'),
    ]);
    expect(series.map((s) => s.sensor).sort()).toEqual(rt.presenceSensors.map((p) => p.sensor).sort());

    const desk = series.find((s) => s.sensor === 'pir-desk-1')!;
    const second = reportSecond('pir-desk-1');
    expect(desk.resource).toBe('desk-1');
    expect(desk.everyMinutes).toBe(1);
    expect(desk.start).toBe(Date.parse('2026-03-02T07:00:00Z') + second * 1000);
    // 08:00-20:00 local is 720 minutes; the last reading falls before 20:00 whatever the sensor's second
    expect(desk.values).toHaveLength(720);
    // reading k is at 07:00:ss + k minutes (UTC): inside [09:00:30, 09:10:30) are k = 120..129 when ss >= 30, else
    // k = 121..130
    const first = second >= 30 ? 120 : 121;
    const expected = '0'.repeat(first) + '1'.repeat(10) + '0'.repeat(720 - first - 10);
    expect(desk.values).toBe(expected);
    expect(series.filter((s) => s.sensor !== 'pir-desk-1').every((s) => !s.values.includes('1'))).toBe(true);
  });

  it('spaces readings by everyMinutes and merges spans of the same resource', () => {
    const series = minutePresence(
      rt,
      '2026-03-02',
      [
        presence('room-a', '2026-03-02T07:00:00Z', '2026-03-02T08:00:00Z'),
        presence('room-a', '2026-03-02T07:30:00Z', '2026-03-02T09:00:00Z'),
      ],
      15,
    );
    const room = series.find((s) => s.resource === 'room-a')!;
    expect(room.values).toHaveLength(48);
    // readings at 07:00:ss, 07:15:ss, ...: the eight from 07:00:ss to 08:45:ss lie in the union [07:00, 09:00)
    const ones = room.values.split('').flatMap((v, k) => (v === '1' ? [k] : []));
    expect(ones).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('has no readings on a closed day and ignores other sites', () => {
    expect(
      minutePresence(rt, '2026-03-07', [presence('desk-1', '2026-03-07T10:00:00Z', '2026-03-07T11:00:00Z')]),
    ).toEqual([]);
    const series = minutePresence(rt, '2026-03-03', [
      presence('desk-1', '2026-03-03T10:00:00Z', '2026-03-03T11:00:00Z', 'elsewhere'),
    ]);
    expect(series.every((s) => !s.values.includes('1'))).toBe(true);
  });

  it('refuses a reading interval that is not a whole number of minutes', () => {
    expect(() => minutePresence(rt, '2026-03-02', [], 0)).toThrow(/everyMinutes/);
    expect(() => minutePresence(rt, '2026-03-02', [], 1.5)).toThrow(/everyMinutes/);
  });
});
