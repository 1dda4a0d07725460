import type { Response } from 'express';

// The pages load nothing from elsewhere (no CDN, no inline script): anything else that tries is injected, so refused.
// Charts run vega with its expression interpreter, so even they need no 'unsafe-eval'.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "script-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every page and asset of the dashboards carries, also the report page the reports lib serves. */
export function setPageHeaders(res: Response): void {
  // no-cache means revalidate: a new release shows up on the next load without fingerprinted file names.
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
}
