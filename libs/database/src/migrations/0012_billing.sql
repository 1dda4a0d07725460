-- Billing additions to 0006: what a credit note line corrects and why, and the indexes the billing run, payment
-- allocation and exports read by.

-- A credit note line names the line of the corrected invoice it reverses, so partial credits add up per line and
-- never exceed it; the credit note carries its reason.
ALTER TABLE invoice_lines ADD COLUMN IF NOT EXISTS corrects_line_no integer;
ALTER TABLE invoices ADD COLUMN IF NOT EXISTS note text;
ALTER TABLE invoices DROP CONSTRAINT IF EXISTS invoices_credit_note_corrects;
ALTER TABLE invoices ADD CONSTRAINT invoices_credit_note_corrects
  CHECK ((kind = 'credit_note') = (corrects_id IS NOT NULL));

CREATE INDEX IF NOT EXISTS one_off_charges_unbilled ON one_off_charges (site_id, charge_date) WHERE invoice_id IS NULL;
CREATE INDEX IF NOT EXISTS invoices_site_company ON invoices (site_id, company_id, issue_date);
CREATE INDEX IF NOT EXISTS invoices_site_corrects ON invoices (site_id, corrects_id) WHERE corrects_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS invoices_site_issue ON invoices (site_id, issue_date);
CREATE INDEX IF NOT EXISTS payment_allocations_invoice ON payment_allocations (site_id, invoice_id);
CREATE INDEX IF NOT EXISTS payments_site_received ON payments (site_id, received_at);
CREATE INDEX IF NOT EXISTS payments_site_buyer ON payments (site_id, member_id, company_id);
