import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ZodBody } from '@cw/common';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import {
  DeviceBody,
  deviceBodySchema,
  FloorBody,
  floorBodySchema,
  ResourceBody,
  resourceBodySchema,
} from './dto/site-parts.schema';
import {
  DeviceDto,
  FloorDto,
  FloorResourceDto,
  toDeviceDto,
  toFloorDto,
  toFloorResourceDto,
} from './dto/site.dto';
import { DEVICE_PARAM, FLOOR_PARAM, RESOURCE_PARAM, SITE_PARAM } from './dto/path-param.pipe';
import { SitesService } from './sites.service';

/** Reads: any key of the site. Writes (PUT is an idempotent upsert, 201 when new): admin or the site's manager. */
@ApiTags('sites')
@ApiBearerAuth()
@ApiParam({ name: 'site', example: 'madrid-centro' })
@ApiResponse({ status: 404, description: 'no such site, or no such floor, resource or device' })
@Controller('v1/sites/:site')
export class SitePartsController {
  constructor(private readonly sites: SitesService) {}

  @Get('floors')
  async listFloors(
    @Param('site', SITE_PARAM) site: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<FloorDto[]> {
    assertSiteAccess(caller, site);
    return (await this.sites.listFloors(site)).map(toFloorDto);
  }

  @Get('floors/:floor')
  async getFloor(
    @Param('site', SITE_PARAM) site: string,
    @Param('floor', FLOOR_PARAM) floor: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<FloorDto> {
    assertSiteAccess(caller, site);
    return toFloorDto(await this.sites.getFloor(site, floor));
  }

  @Put('floors/:floor')
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'Create or replace a floor (its resources are kept)' })
  @ApiBody({
    schema: { type: 'object', example: { name: 'Ground floor', level: 0, plan: { width: 40, height: 20 } } },
  })
  async putFloor(
    @Param('site', SITE_PARAM) site: string,
    @Param('floor', FLOOR_PARAM) floor: string,
    @Body(new ZodBody(floorBodySchema)) body: FloorBody,
    @CurrentPrincipal() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FloorDto> {
    assertSiteAccess(caller, site);
    const { created, value } = await this.sites.putFloor(site, floor, body);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toFloorDto(value);
  }

  @Delete('floors/:floor')
  @Roles('admin', 'manager')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a floor with its resources; devices stop serving them' })
  async deleteFloor(
    @Param('site', SITE_PARAM) site: string,
    @Param('floor', FLOOR_PARAM) floor: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<void> {
    assertSiteAccess(caller, site);
    await this.sites.deleteFloor(site, floor);
  }

  @Get('resources')
  async listResources(
    @Param('site', SITE_PARAM) site: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<FloorResourceDto[]> {
    assertSiteAccess(caller, site);
    return (await this.sites.listResources(site)).map(toFloorResourceDto);
  }

  @Get('resources/:resource')
  async getResource(
    @Param('site', SITE_PARAM) site: string,
    @Param('resource', RESOURCE_PARAM) resource: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<FloorResourceDto> {
    assertSiteAccess(caller, site);
    return toFloorResourceDto(await this.sites.getResource(site, resource));
  }

  @Put('resources/:resource')
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'Create or replace a resource on a floor of the site' })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        floor: 'f1',
        name: 'Desk 1',
        kind: 'desk',
        polygon: [
          [0, 0],
          [1, 0],
          [1, 1],
        ],
      },
    },
  })
  async putResource(
    @Param('site', SITE_PARAM) site: string,
    @Param('resource', RESOURCE_PARAM) resource: string,
    @Body(new ZodBody(resourceBodySchema)) body: ResourceBody,
    @CurrentPrincipal() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FloorResourceDto> {
    assertSiteAccess(caller, site);
    const { created, value } = await this.sites.putResource(site, resource, body);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toFloorResourceDto(value);
  }

  @Delete('resources/:resource')
  @Roles('admin', 'manager')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a resource; devices stop serving it' })
  async deleteResource(
    @Param('site', SITE_PARAM) site: string,
    @Param('resource', RESOURCE_PARAM) resource: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<void> {
    assertSiteAccess(caller, site);
    await this.sites.deleteResource(site, resource);
  }

  @Get('devices')
  async listDevices(
    @Param('site', SITE_PARAM) site: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<DeviceDto[]> {
    assertSiteAccess(caller, site);
    return (await this.sites.listDevices(site)).map(toDeviceDto);
  }

  @Get('devices/:device')
  async getDevice(
    @Param('site', SITE_PARAM) site: string,
    @Param('device', DEVICE_PARAM) device: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<DeviceDto> {
    assertSiteAccess(caller, site);
    return toDeviceDto(await this.sites.getDevice(site, device));
  }

  @Put('devices/:device')
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'Create or replace a device and the resources it serves' })
  @ApiBody({
    schema: { type: 'object', example: { type: 'sensor', name: 'Desk 1 presence', resources: ['desk-1'] } },
  })
  async putDevice(
    @Param('site', SITE_PARAM) site: string,
    @Param('device', DEVICE_PARAM) device: string,
    @Body(new ZodBody(deviceBodySchema)) body: DeviceBody,
    @CurrentPrincipal() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DeviceDto> {
    assertSiteAccess(caller, site);
    const { created, value } = await this.sites.putDevice(site, device, body);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toDeviceDto(value);
  }

  @Delete('devices/:device')
  @Roles('admin', 'manager')
  @HttpCode(HttpStatus.NO_CONTENT)
  async deleteDevice(
    @Param('site', SITE_PARAM) site: string,
    @Param('device', DEVICE_PARAM) device: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<void> {
    assertSiteAccess(caller, site);
    await this.sites.deleteDevice(site, device);
  }
}
