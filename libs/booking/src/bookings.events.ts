import { Injectable } from '@nestjs/common';
import { TypedEmitter } from '@cw/common';
import { Booking } from './booking.types';

export type BookingsEventMap = {
  /** Any committed change: created, moved, cancelled, checked in, released, ended. */
  'booking.changed': { booking: Booking; previous: Booking | null };
};

@Injectable()
export class BookingsEvents extends TypedEmitter<BookingsEventMap> {}
