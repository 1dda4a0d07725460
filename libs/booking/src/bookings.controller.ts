import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { DomainError, ErrorCode, forbidden, notFound, ZodBody } from '@cw/common';
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

  /**
   * A booking naming a member registered on the site, or a guest, is checked against the booking rules and paid (plan
   * credits, vouchers, hour packs, then the invoice); the answer carries `payment`. A member key books for itself.
   */
  @Post()
  @Roles('admin', 'manager', 'integration', 'member')
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        site: 'madrid-1',
        resource: 'room-1',
        member: 'm-17',
        start: '2026-05-04T10:00:00+02:00',
        end: '2026-05-04T11:00:00+02:00',
      },
    },
  })
  async create(
    @Body(new ZodBody(createBookingSchema)) body: z.infer<typeof createBookingSchema>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BookingView> {
    assertSiteAccess(principal, body.site);
    let memberId = body.member;
    if (principal.role === 'member') {
      if (body.guest) throw forbidden('a member key books for its member, not for guests');
      if (body.member && body.member !== principal.memberId)
        throw forbidden(`this key may not book for member ${body.member}`);
      memberId = principal.memberId;
    }
    const { booking, created, charge } = await this.bookings.create({
      siteId: body.site,
      id: body.id,
      resourceId: body.resource,
      memberId,
      guest: body.guest,
      start: body.start,
      end: body.end,
      source: 'api',
      bookedBy: bookedBy(principal),
      quoteId: body.quote,
    });
    // A replayed id belongs to whoever made it: a member key learns nothing about another's booking.
    if (principal.role === 'member' && booking.memberId !== principal.memberId)
      throw notFound(`booking ${booking.id}`);
    res.status(created ? 201 : 200);
    return toView(booking, charge);
  }

  /** A member key lists only its own bookings. */
  @Get()
  @Roles('admin', 'manager', 'integration', 'member')
  async list(
    @Query(new ZodBody(listBookingsSchema)) query: z.infer<typeof listBookingsSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const siteId = siteOf(principal, query.site);
    const bookings =
      principal.role === 'member'
        ? await this.bookings.listForMember(siteId, principal.memberId!, query.from, query.to)
        : await this.bookings.list(siteId, query.from, query.to);
    return bookings.map((b) => toView(b));
  }

  @Get(':id')
  @Roles('admin', 'manager', 'integration', 'member')
  async get(
    @Param('id') id: string,
    @Query('site') site: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    const siteId = siteOf(principal, site);
    const booking = await this.ownBooking(principal, siteId, id);
    return toView(booking, await this.bookings.charge(siteId, id));
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

  /**
   * Cancelled up to the kind's free cancellation time before the start, a paid booking gives back its credits, voucher
   * balance and pass minutes and its charge is not billed (`payment.refunded`); later, everything stays spent.
   */
  @Delete(':id')
  @Roles('admin', 'manager', 'integration', 'member')
  async cancel(
    @Param('id') id: string,
    @Query('site') site: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    const siteId = siteOf(principal, site);
    await this.ownBooking(principal, siteId, id);
    const booking = await this.bookings.cancel(siteId, id);
    return toView(booking, await this.bookings.charge(siteId, id));
  }

  /** The booking, when the caller may see it: a member key sees only its member's (others are "not found"). */
  private async ownBooking(principal: Principal, siteId: string, id: string) {
    const booking = await this.bookings.get(siteId, id);
    if (principal.role === 'member' && booking.memberId !== principal.memberId)
      throw notFound(`booking ${id}`);
    return booking;
  }
}

function bookedBy(principal: Principal): 'staff' | 'member' | undefined {
  if (principal.role === 'admin' || principal.role === 'manager') return 'staff';
  if (principal.role === 'member') return 'member';
  return undefined;
}
