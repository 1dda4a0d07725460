import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { DomainError, ErrorCode, ZodBody } from '@cw/common';
import { z } from 'zod';
import { BookingsService } from './bookings.service';
import {
  BookingView,
  checkInSchema,
  createBookingSchema,
  listBookingsSchema,
  moveBookingSchema,
  toView,
} from './dto/booking.dto';

/** Booking ids are unique per site: a site key implies its site; an admin key names it with `?site=`. */
function siteOf(principal: Principal, site: string | undefined): string {
  const siteId = site ?? principal.siteId;
  if (!siteId)
    throw new DomainError(ErrorCode.Validation, 'site is required for a key that spans sites', [
      { path: 'site', message: 'required' },
    ]);
  assertSiteAccess(principal, siteId);
  return siteId;
}

@ApiTags('bookings')
@ApiBearerAuth()
@Controller('v1/bookings')
@Roles('admin', 'manager', 'integration')
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Post()
  async create(
    @Body(new ZodBody(createBookingSchema)) body: z.infer<typeof createBookingSchema>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BookingView> {
    assertSiteAccess(principal, body.site);
    const { booking, created } = await this.bookings.create({
      siteId: body.site,
      id: body.id,
      resourceId: body.resource,
      memberId: body.member,
      start: body.start,
      end: body.end,
      source: 'api',
    });
    res.status(created ? 201 : 200);
    return toView(booking);
  }

  @Get()
  async list(
    @Query(new ZodBody(listBookingsSchema)) query: z.infer<typeof listBookingsSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const siteId = siteOf(principal, query.site);
    return (await this.bookings.list(siteId, query.from, query.to)).map(toView);
  }

  @Get(':id')
  async get(
    @Param('id') id: string,
    @Query('site') site: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    return toView(await this.bookings.get(siteOf(principal, site), id));
  }

  @Patch(':id')
  async move(
    @Param('id') id: string,
    @Query('site') site: string | undefined,
    @Body(new ZodBody(moveBookingSchema)) body: z.infer<typeof moveBookingSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const booking = await this.bookings.move(siteOf(principal, site), id, {
      resourceId: body.resource,
      memberId: body.member,
      start: body.start,
      end: body.end,
    });
    return toView(booking);
  }

  /** 200 with the booking when checked in; 409 when the booking was already released (the late check-in is kept). */
  @Post(':id/check-in')
  @HttpCode(200)
  async checkIn(
    @Param('id') id: string,
    @Query('site') site: string | undefined,
    @Body(new ZodBody(checkInSchema)) body: z.infer<typeof checkInSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const result = await this.bookings.checkIn(siteOf(principal, site), id, body.at ?? new Date());
    switch (result.outcome) {
      case 'checked_in':
      case 'already_checked_in':
        return toView(result.booking);
      case 'late_after_release':
        throw new DomainError(
          ErrorCode.Conflict,
          `booking ${id} was released for no-show before this check-in; the late check-in is recorded`,
        );
      case 'not_active':
        throw new DomainError(ErrorCode.Conflict, `booking ${id} is ${result.booking.status}`);
    }
  }

  @Delete(':id')
  async cancel(
    @Param('id') id: string,
    @Query('site') site: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    return toView(await this.bookings.cancel(siteOf(principal, site), id));
  }
}
