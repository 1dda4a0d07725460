import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { SiteDocument, siteDocumentSchema } from '@cw/sites';
import { checkScenarioSite } from './scenario-checks';
import { errorMessage, formatPath, IssuePath, ScenarioError, ScenarioIssue } from './scenario-error';
import { layoutSiteDocument } from './scenario-layout';
import {
  BehaviourConfig,
  DeviceNoiseConfig,
  PopulationConfig,
  ScenarioSiteInput,
  scenarioSchema,
} from './scenario.schema';

export interface ScenarioSite {
  id: string;
  document: SiteDocument;
  population: PopulationConfig;
  behaviour: BehaviourConfig;
  devices: DeviceNoiseConfig;
}

/** A validated scenario with every site document resolved. */
export interface Scenario {
  name: string;
  description: string | null;
  seed: number;
  start: string | null;
  days: number | null;
  topicPrefix: string;
  sites: ScenarioSite[];
  /** The file it came from, for messages. */
  source: string;
}

export interface ResolveOptions {
  source?: string;
  /** Where relative `siteFile` paths start; default the current directory. */
  baseDir?: string;
}

class SyntaxProblem extends Error {}

/** YAML 1.2 is a superset of JSON, so one parser serves both and reports line and column for either. */
function parseText(text: string): unknown {
  // `merge` lets YAML anchors be extended with `<<: *anchor`, as docker-compose files do
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true, merge: true });
  const error = document.errors[0];
  if (error) {
    const headline = error.message.split('\n')[0].replace(/:$/, '');
    throw new SyntaxProblem(`YAML syntax error: ${headline}`);
  }
  return document.toJS() as unknown;
}

const zodIssues = (error: z.ZodError, prefix: IssuePath): ScenarioIssue[] =>
  error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));

function siteDocumentOf(
  site: ScenarioSiteInput,
  index: number,
  baseDir: string,
  issues: ScenarioIssue[],
): SiteDocument | null {
  if (site.site) return site.site;
  const prefix = ['sites', index];
  if (site.layout) {
    const parsed = siteDocumentSchema.safeParse(layoutSiteDocument(site.id, site.layout));
    if (parsed.success) return parsed.data;
    issues.push(...zodIssues(parsed.error, [...prefix, 'layout']));
    return null;
  }
  const file = site.siteFile ?? '';
  const path = isAbsolute(file) ? file : join(baseDir, file);
  let raw: unknown;
  try {
    raw = parseText(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = errorMessage(error);
    issues.push({ path: formatPath([...prefix, 'siteFile']), message: `${file}: ${reason}` });
    return null;
  }
  const parsed = siteDocumentSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // the file's own paths follow `siteFile`, as if the document were written inline under that key
  issues.push(...zodIssues(parsed.error, [...prefix, 'siteFile']));
  return null;
}

/** Top-level `x-...` keys hold YAML anchors shared by sites (as in docker-compose files); they are not settings. */
function withoutExtensions(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([key]) => !key.startsWith('x-')));
}

/** Validates a scenario given as a value (parsed YAML or built in code); throws a ScenarioError listing every issue. */
export function resolveScenario(input: unknown, options: ResolveOptions = {}): Scenario {
  const source = options.source ?? '<inline>';
  const parsed = scenarioSchema.safeParse(withoutExtensions(input));
  if (!parsed.success) throw new ScenarioError(source, zodIssues(parsed.error, []));
  const issues: ScenarioIssue[] = [];
  const sites: ScenarioSite[] = [];
  parsed.data.sites.forEach((site, index) => {
    const document = siteDocumentOf(site, index, options.baseDir ?? process.cwd(), issues);
    if (!document) return;
    for (const issue of checkScenarioSite(site, document))
      issues.push({ path: formatPath(['sites', index, ...issue.path]), message: issue.message });
    const { id, population, behaviour, devices } = site;
    sites.push({ id, document, population, behaviour, devices });
  });
  if (issues.length > 0) throw new ScenarioError(source, issues);
  const { name, description, seed, start, days, topicPrefix } = parsed.data;
  return {
    name,
    description: description ?? null,
    seed,
    start: start ?? null,
    days: days ?? null,
    topicPrefix,
    sites,
    source,
  };
}

/** Scenario text, YAML or JSON. */
export function parseScenario(text: string, options: ResolveOptions = {}): Scenario {
  let input: unknown;
  try {
    input = parseText(text);
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    throw new ScenarioError(options.source ?? '<inline>', [{ path: '(file)', message: error.message }]);
  }
  return resolveScenario(input, options);
}

export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScenarioError(path, [{ path: '(file)', message: errorMessage(error) }]);
  }
  return parseScenario(text, { source: path, baseDir: dirname(path) });
}
