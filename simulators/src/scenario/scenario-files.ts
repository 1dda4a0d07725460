import { join } from 'node:path';

const dir = join(__dirname, '..', '..', 'scenarios');

/** The shipped scenarios (simulators/scenarios), for code that runs them without a path of its own. */
export const DEMO_SCENARIO_FILE = join(dir, 'demo.yaml');
export const SMALL_TEST_SCENARIO_FILE = join(dir, 'small-test.yaml');
export const LARGE_LOAD_SCENARIO_FILE = join(dir, 'large-load.yaml');
