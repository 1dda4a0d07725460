import { Module } from '@nestjs/common';
import { DeviceDirectory } from './device-directory';
import { SitePartsController } from './site-parts.controller';
import { SitesController } from './sites.controller';
import { SitesRepository } from './sites.repository';
import { SitesService } from './sites.service';

/** The site directory without HTTP routes, for processes that map devices but serve no API (ingest). */
@Module({
  providers: [SitesRepository, SitesService, DeviceDirectory],
  exports: [SitesService, DeviceDirectory],
})
export class SitesCoreModule {}

/** Adds `/v1/sites/...`. One process importing both modules still has one service and one directory. */
@Module({
  imports: [SitesCoreModule],
  controllers: [SitesController, SitePartsController],
  exports: [SitesCoreModule],
})
export class SitesModule {}
