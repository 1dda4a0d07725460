import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The PDF's one typeface, DejaVu Sans Condensed from the dejavu-fonts-ttf package (Bitstream Vera licence, DejaVu
 * changes in the public domain: free to embed and redistribute). pdfkit's built-in Helvetica only encodes WinAnsi
 * (Latin-1), so a site or member named in Polish, Greek or Ukrainian came out as garbage. DejaVu covers Latin with
 * Extended-A, -B and Additional, Greek, Cyrillic, Armenian and Georgian; it has no CJK glyphs (those draw as empty
 * boxes), and pdfkit does not reorder right-to-left scripts. The condensed cut is about as wide as Helvetica, so the
 * tables' column widths and vega's label estimates still fit. pdfkit embeds only the glyphs a report uses.
 */
export const FONT = { regular: 'ReportSans', bold: 'ReportSans-Bold' } as const;

const FILES = { regular: 'DejaVuSansCondensed.ttf', bold: 'DejaVuSansCondensed-Bold.ttf' } as const;

let loaded: Record<keyof typeof FONT, Buffer> | undefined;

/** Read once per process: every report embeds its own subset, but the source files never change. */
function fontFiles(): Record<keyof typeof FONT, Buffer> {
  if (!loaded) {
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    loaded = {
      regular: readFileSync(join(dir, FILES.regular)),
      bold: readFileSync(join(dir, FILES.bold)),
    };
  }
  return loaded;
}

export function registerFonts(doc: PDFKit.PDFDocument): void {
  const files = fontFiles();
  doc.registerFont(FONT.regular, files.regular);
  doc.registerFont(FONT.bold, files.bold);
}

/**
 * svg-to-pdfkit's font choice for chart text: whatever family the Vega SVG names (the chart config says Helvetica),
 * draw it in the report font, or svg-to-pdfkit falls back to the Latin-1-only standard fonts.
 */
export function chartFont(_family: string, bold: boolean): string {
  return bold ? FONT.bold : FONT.regular;
}
