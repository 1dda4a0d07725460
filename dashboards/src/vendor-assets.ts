import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StaticAsset } from './static-assets';

const embedDir = () => dirname(require.resolve('vega-embed'));

/**
 * Browser builds served from node_modules, so the pages need no CDN and the versions are the lockfile's. A fixed
 * list: no name from a URL ever becomes a path. vega-interpreter comes with vega-embed; it evaluates chart
 * expressions without `eval`, which the pages' CSP forbids.
 */
const VENDOR_FILES: Readonly<Record<string, () => string>> = {
  'vega.min.js': () => require.resolve('vega/build/vega.min.js'),
  'vega-lite.min.js': () => require.resolve('vega-lite/build/vega-lite.min.js'),
  'vega-embed.min.js': () => join(embedDir(), 'vega-embed.min.js'),
  'vega-interpreter.min.js': () =>
    join(dirname(require.resolve('vega-interpreter', { paths: [embedDir()] })), 'vega-interpreter.min.js'),
};

export const VENDOR_ASSET_NAMES = Object.keys(VENDOR_FILES);

// Half a megabyte or more each and unchanging while the process runs: read once.
const cache = new Map<string, Promise<StaticAsset>>();

async function load(path: string): Promise<StaticAsset> {
  const body = await readFile(path);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, contentType: 'text/javascript; charset=utf-8', etag };
}

export function readVendorAsset(name: string): Promise<StaticAsset> | null {
  const locate = Object.hasOwn(VENDOR_FILES, name) ? VENDOR_FILES[name] : undefined;
  if (!locate) return null;
  let asset = cache.get(name);
  if (!asset) {
    asset = load(locate());
    asset.catch(() => cache.delete(name));
    cache.set(name, asset);
  }
  return asset;
}
