import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@cw/auth';
import { notFound } from '@cw/common';
import { setPageHeaders } from './page-headers';
import { readVendorAsset } from './vendor-assets';

/** Public, like the pages: vega, vega-lite and vega-embed as published, holding no data. */
@ApiExcludeController()
@Public()
@Controller('assets/vendor')
export class VendorAssetsController {
  @Get(':file')
  async asset(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const pending = readVendorAsset(file);
    if (!pending) throw notFound(`asset vendor/${file}`);
    const asset = await pending;
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
