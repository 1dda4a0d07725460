import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** Beside `src/` in the source tree, and where nest-cli.json copies it in a build. */
export const PUBLIC_DIR = join(__dirname, '..', 'public');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// One flat folder and a strict name pattern: no path from a URL can climb out of PUBLIC_DIR.
const ASSET_NAME = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*\.[a-z0-9]+$/;

export interface StaticAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

export function contentTypeOf(name: string): string | undefined {
  return CONTENT_TYPES[extname(name)];
}

/** The file by its bare name, or null for anything not a servable file of the folder. */
export async function readAsset(name: string, dir = PUBLIC_DIR): Promise<StaticAsset | null> {
  const contentType = contentTypeOf(name);
  if (!ASSET_NAME.test(name) || !contentType) return null;
  let body: Buffer;
  try {
    body = await readFile(join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, contentType, etag };
}
