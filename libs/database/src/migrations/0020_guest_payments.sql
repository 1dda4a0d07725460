-- Guests' booking charges are invoiced to the guest, one invoice per booking (the invoice's buyer document says
-- `type: guest` and names the booking). A payment from a guest is recorded against that booking: the guest has no
-- member or company row to hold it.
ALTER TABLE payments ADD COLUMN IF NOT EXISTS guest_booking_id text;
CREATE INDEX IF NOT EXISTS invoices_site_guest ON invoices (site_id, (buyer ->> 'id')) WHERE buyer ->> 'type' = 'guest';
