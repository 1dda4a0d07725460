export interface ScenarioIssue {
  /** Dotted path of the bad field from the top of the scenario file, e.g. `sites.0.devices.outages.1.device`. */
  path: string;
  message: string;
}

export type IssuePath = ReadonlyArray<string | number>;

export const formatPath = (path: IssuePath): string => (path.length === 0 ? '(root)' : path.join('.'));

/** Every problem of a scenario at once, each with its path, so a file is fixed in one pass. */
export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ScenarioIssue[],
  ) {
    super(`invalid scenario ${source}:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

/** The message of anything thrown; `instanceof Error` fails for errors from another realm (Node core under jest). */
export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string')
    return error.message;
  return String(error);
}
