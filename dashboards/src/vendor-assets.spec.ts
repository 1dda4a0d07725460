import { readVendorAsset, VENDOR_ASSET_NAMES } from './vendor-assets';

describe('vendor assets', () => {
  it('serves the browser builds of vega, vega-lite, vega-embed and the expression interpreter', async () => {
    expect(VENDOR_ASSET_NAMES).toEqual([
      'vega.min.js',
      'vega-lite.min.js',
      'vega-embed.min.js',
      'vega-interpreter.min.js',
    ]);
    for (const name of VENDOR_ASSET_NAMES) {
      const asset = await readVendorAsset(name)!;
      expect(asset.contentType).toBe('text/javascript; charset=utf-8');
      expect(asset.body.length).toBeGreaterThan(4_000);
    }
    expect((await readVendorAsset('vega-embed.min.js')!).body.toString('utf8', 0, 400)).toContain(
      'vegaEmbed',
    );
    expect((await readVendorAsset('vega-interpreter.min.js')!).body.toString('utf8')).toContain(
      'expressionInterpreter',
    );
  });

  it('knows no other name, so no URL reaches another file', () => {
    for (const name of ['../package.json', 'vega.js', 'constructor', '__proto__', 'hasOwnProperty', '']) {
      expect(readVendorAsset(name)).toBeNull();
    }
  });
});
