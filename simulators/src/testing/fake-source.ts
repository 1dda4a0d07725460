import { ScenarioEvent } from '../engine/scenario-event';
import { EventSource } from '../modes/report';

const T0 = Date.parse('2026-03-04T08:00:00Z');

/** A presence reading from one of `devices` sensors, `n` seconds after 08:00 UTC on 4 March 2026. */
export function sensorEvent(n: number, devices = 10, sendAt = T0 + n * 1000): ScenarioEvent {
  const device = `pir-${n % devices}`;
  const at = T0 + n * 1000;
  return {
    site: 'fake',
    at,
    sendAt,
    topic: `cw/fake/sensor/${device}`,
    type: 'sensor',
    device,
    payload: { id: `e${n}`, ts: new Date(at).toISOString(), kind: 'presence', value: n % 2 },
  };
}

/** Events from a list, or made on demand without end. */
export class FakeSource implements EventSource {
  taken = 0;
  readonly days = Infinity;
  readonly daysDone = 0;
  constructor(private readonly events: ScenarioEvent[] | null = null) {}

  private at(i: number): ScenarioEvent | undefined {
    return this.events ? this.events[i] : sensorEvent(i);
  }

  take(max: number): ScenarioEvent[] {
    const out: ScenarioEvent[] = [];
    for (let e = this.at(this.taken); e && out.length < max; e = this.at(this.taken)) {
      out.push(e);
      this.taken++;
    }
    return out;
  }

  peek(): ScenarioEvent | undefined {
    return this.at(this.taken);
  }
}
