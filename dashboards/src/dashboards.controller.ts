import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@cw/auth';
import { notFound } from '@cw/common';
import { setPageHeaders } from './page-headers';
import { readAsset } from './static-assets';

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

  @Get('kpis')
  kpis(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.send('kpis.html', req, res);
  }

  @Get('at-risk')
  atRisk(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.send('at-risk.html', req, res);
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.send(file, req, res);
  }

  private async send(name: string, req: Request, res: Response): Promise<void> {
    const asset = await readAsset(name);
    if (!asset) throw notFound(`asset ${name}`);
    setPageHeaders(res);
    res.setHeader('ETag', asset.etag);
    if (req.headers['if-none-match'] === asset.etag) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', asset.contentType);
    res.send(asset.body);
  }
}
