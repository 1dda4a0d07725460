import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SiteDocument, siteDocumentSchema } from '@cw/sites';

/** The demo site document; its site id, `demo`, goes in the URL of PUT /v1/sites/demo. */
export const DEMO_SITE_FILE = join(__dirname, '..', 'scenarios', 'demo-site.json');

/** Reads and validates a site document kept as a file; a bad document throws with the zod field paths. */
export function loadSiteFile(path: string = DEMO_SITE_FILE): SiteDocument {
  return siteDocumentSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}
