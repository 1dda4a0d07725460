import { contentTypeOf, readAsset } from './static-assets';

describe('readAsset', () => {
  it('serves the pages with their content types and a stable etag', async () => {
    const index = await readAsset('index.html');
    expect(index?.contentType).toBe('text/html; charset=utf-8');
    expect(index?.body.toString('utf8')).toContain('<title>');
    expect((await readAsset('index.html'))?.etag).toBe(index?.etag);
    expect((await readAsset('app.js'))?.contentType).toBe('text/javascript; charset=utf-8');
    expect((await readAsset('style.css'))?.contentType).toBe('text/css; charset=utf-8');
  });

  it('refuses names that could leave the folder, hidden files, unknown types and missing files', async () => {
    for (const name of [
      '../package.json',
      '..%2Fpackage.json',
      '.env',
      'a/b.js',
      'notes.txt',
      'nope.js',
      '',
    ]) {
      expect(await readAsset(name)).toBeNull();
    }
  });

  it('knows the types it serves and no others', () => {
    expect(contentTypeOf('logo.svg')).toBe('image/svg+xml');
    expect(contentTypeOf('main.ts')).toBeUndefined();
  });
});
