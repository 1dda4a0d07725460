export * from './booking.types';
export * from './bookings.events';
export * from './bookings.repository';
export * from './bookings.service';
export * from './booking.module';
export * from './external-bookings.listener';
export * from './dto/booking.dto';
export * from './pricing/booking-pricer';
