import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { MemoryTruth } from '../engine/truth-sinks';
import { ScenarioEvent } from '../engine/scenario-event';
import { ScenarioStream } from '../engine/scenario-stream';
import { TruthRecord } from '../engine/truth-records';
import { resolveScenario, Scenario } from '../scenario/scenario-loader';

export const SCENARIOS_DIR = join(__dirname, '..', '..', 'scenarios');

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and values replace; `undefined` deletes. */
export function mergeDeep(base: unknown, patch: unknown): unknown {
  if (!isPlain(base) || !isPlain(patch)) return patch;
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete out[key];
    else out[key] = mergeDeep(out[key], value);
  }
  return out;
}

/** small-test.yaml as a plain value, for tests to change one field at a time. */
export function smallTestInput(): Plain {
  return parse(readFileSync(join(SCENARIOS_DIR, 'small-test.yaml'), 'utf8')) as Plain;
}

/** small-test.yaml with `site` merged into its only site entry and `top` into the scenario (`top.sites` replaces). */
export function smallTestWith(site: unknown = {}, top: Plain = {}): Plain {
  const input = smallTestInput();
  const sites = input.sites as unknown[];
  const merged = mergeDeep(input, top) as Plain;
  return top.sites === undefined ? { ...merged, sites: [mergeDeep(sites[0], site)] } : merged;
}

export function scenarioWith(site: unknown = {}, top: Plain = {}): Scenario {
  return resolveScenario(smallTestWith(site, top), { source: 'test', baseDir: SCENARIOS_DIR });
}

export interface Run {
  events: ScenarioEvent[];
  truth: TruthRecord[];
  serialized: string;
}

export function runScenario(scenario: Scenario, start: string, days: number, seed?: number): Run {
  const truth = new MemoryTruth();
  const events = new ScenarioStream(scenario, { start, days, seed, truth }).all();
  return { events, truth: truth.records, serialized: truth.serialize() };
}

export const recordsOf = <T extends TruthRecord['type']>(truth: TruthRecord[], type: T) =>
  truth.filter((r): r is Extract<TruthRecord, { type: T }> => r.type === type);
