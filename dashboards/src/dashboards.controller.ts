import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@cw/auth';
import { notFound } from '@cw/common';
import { readAsset } from './static-assets';

// The pages load nothing from elsewhere (no CDN, no inline script): anything else that tries is injected, so refused.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Public: the pages are static and hold no data; they ask for an API key in the browser and call the authenticated
 * API and `/live` with it, so serving them without a key gives nothing away.
 */
@ApiExcludeController()
@Public()
@Controller()
export class DashboardsController {
  @Get()
  floorMap(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.send('index.html', req, res);
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.send(file, req, res);
  }

  private async send(name: string, req: Request, res: Response): Promise<void> {
    const asset = await readAsset(name);
    if (!asset) throw notFound(`asset ${name}`);
    // no-cache means revalidate: a new release shows up on the next load without fingerprinted file names.
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', asset.etag);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    if (req.headers['if-none-match'] === asset.etag) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', asset.contentType);
    res.send(asset.body);
  }
}
