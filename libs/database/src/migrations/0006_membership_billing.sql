-- The operator's daily business (DESIGN.md, Storage; Rules: Billing, Access): companies and members, plans and the
-- contracts that sell them, credits, vouchers and passes, resource assignments, access credentials and zones,
-- member booking rules and what each booking cost, and billing (runs, invoices, lines, payments, reminders).
-- Everything is per site: a site has one currency and one tax setting, and invoice series are numbered per site.
-- Money is integer minor units in the site's currency.

-- Members may call the API with their own key, and then see only their own data.
ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS api_keys_role_check;
ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS api_keys_check;
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS member_id text;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check
  CHECK (role IN ('admin', 'manager', 'integration', 'device', 'member'));
ALTER TABLE api_keys ADD CONSTRAINT api_keys_site_scope_check
  CHECK (role IN ('admin', 'manager') OR site_id IS NOT NULL);
ALTER TABLE api_keys ADD CONSTRAINT api_keys_member_scope_check
  CHECK ((role = 'member') = (member_id IS NOT NULL));

CREATE TABLE IF NOT EXISTS companies (
  site_id          text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id               text NOT NULL CHECK (id ~ '^[a-zA-Z0-9_.:-]{1,64}$'),
  name             text NOT NULL,
  billing_email    text,
  -- the member who receives the company's invoices; set after the member exists
  billing_member_id text,
  tax_id           text,
  address          text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, id)
);

CREATE TABLE IF NOT EXISTS members (
  site_id     text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id          text NOT NULL CHECK (id ~ '^[a-zA-Z0-9_.:-]{1,64}$'),
  company_id  text,
  -- a team inside the company (free text: teams are labels, not billing entities)
  team        text,
  name        text NOT NULL,
  email       text,
  phone       text,
  address     text,
  tax_id      text,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'offboarded', 'erased')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  offboarded_at timestamptz,
  -- GDPR erasure: personal fields are replaced by a pseudonym; what tax law requires stays on the invoices
  erased_at   timestamptz,
  PRIMARY KEY (site_id, id),
  FOREIGN KEY (site_id, company_id) REFERENCES companies (site_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS members_site_email ON members (site_id, lower(email)) WHERE email IS NOT NULL;
CREATE INDEX IF NOT EXISTS members_site_company ON members (site_id, company_id);

ALTER TABLE companies ADD CONSTRAINT companies_billing_member_fk
  FOREIGN KEY (site_id, billing_member_id) REFERENCES members (site_id, id) DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE IF NOT EXISTS plans (
  site_id               text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id                    text NOT NULL CHECK (id ~ '^[a-zA-Z0-9_.:-]{1,64}$'),
  name                  text NOT NULL,
  kind                  text NOT NULL CHECK (kind IN ('flex_desk', 'fixed_desk', 'private_office', 'virtual_office',
                                                      'day_pass', 'hour_pack')),
  price_minor           integer NOT NULL CHECK (price_minor >= 0),
  -- month: a recurring membership billed per calendar month; once: bought once (day passes, hour packs)
  period                text NOT NULL CHECK (period IN ('month', 'once')),
  -- booking credits granted each period, in minor units of the site's currency
  included_credits_minor integer NOT NULL DEFAULT 0 CHECK (included_credits_minor >= 0),
  -- day passes and hour packs: how many days or minutes one purchase holds, and how long it stays valid
  pass_days             integer CHECK (pass_days IS NULL OR pass_days > 0),
  pass_minutes          integer CHECK (pass_minutes IS NULL OR pass_minutes > 0),
  pass_valid_days       integer CHECK (pass_valid_days IS NULL OR pass_valid_days > 0),
  -- access zone ids and weekly hours ([{day, open, close}] in the site's zone; empty: the site's opening hours)
  access_zones          text[] NOT NULL DEFAULT '{}',
  access_hours          jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- resource kinds a holder may book; empty: none
  bookable_kinds        text[] NOT NULL DEFAULT '{}',
  -- percent off bookings for holders (dynamic pricing applies it as the plan discount)
  booking_discount_pct  integer NOT NULL DEFAULT 0 CHECK (booking_discount_pct BETWEEN 0 AND 100),
  active                boolean NOT NULL DEFAULT true,
  created_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, id)
);

-- A member holds at most one membership contract at a time; a plan change ends one contract and starts the next, so
-- the chain of contracts is the member's history and each link is billed (and prorated) on its own.
CREATE TABLE IF NOT EXISTS contracts (
  site_id        text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id             text NOT NULL CHECK (id ~ '^[a-zA-Z0-9_.:-]{1,64}$'),
  member_id      text NOT NULL,
  -- invoices go to the company when set, else to the member
  company_id     text,
  plan_id        text NOT NULL,
  -- the price agreed at signing: a later change of the plan's list price does not touch running contracts
  price_minor    integer NOT NULL CHECK (price_minor >= 0),
  start_date     date NOT NULL,
  -- exclusive; null: open-ended, renewing every period until notice is given
  end_date       date,
  notice_days    integer NOT NULL DEFAULT 30 CHECK (notice_days >= 0),
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended', 'cancelled')),
  -- why it ends: 'plan_change' links to the contract that follows
  end_reason     text CHECK (end_reason IN ('cancelled', 'plan_change', 'expired', 'offboarded')),
  replaced_by    text,
  notice_given_at timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, id),
  FOREIGN KEY (site_id, member_id) REFERENCES members (site_id, id),
  FOREIGN KEY (site_id, company_id) REFERENCES companies (site_id, id),
  FOREIGN KEY (site_id, plan_id) REFERENCES plans (site_id, id),
  CHECK (end_date IS NULL OR end_date > start_date),
  -- the database refuses overlapping contracts of one member, whatever the number of API processes
  CONSTRAINT contracts_no_overlap EXCLUDE USING gist (
    site_id WITH =, member_id WITH =, daterange(start_date, end_date, '[)') WITH &&
  ) WHERE (status <> 'cancelled')
);
CREATE INDEX IF NOT EXISTS contracts_site_member ON contracts (site_id, member_id, start_date);
CREATE INDEX IF NOT EXISTS contracts_site_active ON contracts (site_id, start_date, end_date) WHERE status <> 'cancelled';

-- Things a contract holds: a locker, a parking space, a fixed desk (resources), or a physical key (a label).
CREATE TABLE IF NOT EXISTS resource_assignments (
  site_id      text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id           text NOT NULL CHECK (id ~ '^[a-zA-Z0-9_.:-]{1,64}$'),
  contract_id  text NOT NULL,
  member_id    text NOT NULL,
  resource_id  text,
  item         text,
  starts_at    timestamptz NOT NULL,
  -- set when the contract ends (or the item is handed back)
  released_at  timestamptz,
  PRIMARY KEY (site_id, id),
  FOREIGN KEY (site_id, contract_id) REFERENCES contracts (site_id, id),
  FOREIGN KEY (site_id, resource_id) REFERENCES resources (site_id, id),
  CHECK ((resource_id IS NULL) <> (item IS NULL)),
  CONSTRAINT resource_assignments_one_holder EXCLUDE USING gist (
    site_id WITH =, resource_id WITH =, tstzrange(starts_at, released_at) WITH &&
  ) WHERE (resource_id IS NOT NULL)
);

-- Booking credits: grants per contract and period, spends and refunds per booking. The balance of a period is the sum
-- of its rows; the unique keys make a grant, a spend and a refund each happen at most once.
CREATE TABLE IF NOT EXISTS credit_ledger (
  site_id       text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id            bigserial,
  member_id     text NOT NULL,
  contract_id   text NOT NULL,
  -- the credit period (a calendar month in the site's zone) this row belongs to; credits expire with it
  period_start  date NOT NULL,
  amount_minor  integer NOT NULL CHECK (amount_minor <> 0),
  entry         text NOT NULL CHECK (entry IN ('grant', 'spend', 'refund', 'expire')),
  booking_id    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, id),
  FOREIGN KEY (site_id, contract_id) REFERENCES contracts (site_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS credit_ledger_grant_once ON credit_ledger (site_id, contract_id, period_start)
  WHERE entry = 'grant';
CREATE UNIQUE INDEX IF NOT EXISTS credit_ledger_booking_once ON credit_ledger (site_id, booking_id, entry)
  WHERE booking_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS credit_ledger_member_period ON credit_ledger (site_id, member_id, period_start);

-- Vouchers (money off), day passes (days of access) and hour packs (minutes of bookings), each a code with a balance
-- in its own unit, an expiry, and, once redeemed, an owner.
CREATE TABLE IF NOT EXISTS vouchers (
  site_id       text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  code          text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{4,64}$'),
  kind          text NOT NULL CHECK (kind IN ('money', 'day_pass', 'hour_pack')),
  batch_id      text,
  -- minor units (money), days (day_pass) or minutes (hour_pack)
  initial       integer NOT NULL CHECK (initial > 0),
  balance       integer NOT NULL CHECK (balance >= 0),
  expires_at    timestamptz NOT NULL,
  -- a pass sold with a plan (day_pass, hour_pack) records the plan it came from
  plan_id       text,
  member_id     text,
  redeemed_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, code),
  CHECK (balance <= initial),
  FOREIGN KEY (site_id, member_id) REFERENCES members (site_id, id)
);
CREATE INDEX IF NOT EXISTS vouchers_member ON vouchers (site_id, member_id) WHERE member_id IS NOT NULL;

-- Every use of a voucher or pass: what it paid for (a booking, or a day of access) and how much of its balance.
CREATE TABLE IF NOT EXISTS voucher_spends (
  site_id     text NOT NULL,
  id          bigserial,
  code        text NOT NULL,
  booking_id  text,
  -- day passes: the local date of access they were spent on
  access_date date,
  amount      integer NOT NULL CHECK (amount <> 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, id),
  FOREIGN KEY (site_id, code) REFERENCES vouchers (site_id, code)
);
CREATE UNIQUE INDEX IF NOT EXISTS voucher_spends_day_once ON voucher_spends (site_id, code, access_date)
  WHERE access_date IS NOT NULL;
CREATE INDEX IF NOT EXISTS voucher_spends_booking ON voucher_spends (site_id, booking_id);

-- Who may book what, per resource kind ('*': the site default).
CREATE TABLE IF NOT EXISTS booking_rules (
  site_id              text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  resource_kind        text NOT NULL DEFAULT '*',
  -- members: holders of a plan that allows the kind; anyone: members and guests
  who                  text NOT NULL DEFAULT 'members' CHECK (who IN ('members', 'anyone', 'staff')),
  min_lead_minutes     integer NOT NULL DEFAULT 0 CHECK (min_lead_minutes >= 0),
  max_advance_days     integer NOT NULL DEFAULT 90 CHECK (max_advance_days > 0),
  max_length_minutes   integer NOT NULL DEFAULT 480 CHECK (max_length_minutes > 0),
  within_opening_hours boolean NOT NULL DEFAULT true,
  -- cancelled at least this long before the start: credits and passes come back, no charge stays
  free_cancel_minutes  integer NOT NULL DEFAULT 60 CHECK (free_cancel_minutes >= 0),
  PRIMARY KEY (site_id, resource_kind)
);

-- What a booking cost and how it was paid: plan credits first, then vouchers or passes, the rest on the next invoice.
-- A confirmed booking keeps its price whatever pricing does later.
CREATE TABLE IF NOT EXISTS booking_charges (
  site_id          text NOT NULL,
  booking_id       text NOT NULL,
  member_id        text,
  guest_name       text,
  guest_email      text,
  currency         char(3) NOT NULL,
  price_minor      integer NOT NULL CHECK (price_minor >= 0),
  -- the price's breakdown as quoted (base, demand multiplier, discounts)
  price_breakdown  jsonb NOT NULL DEFAULT '{}'::jsonb,
  credits_minor    integer NOT NULL DEFAULT 0 CHECK (credits_minor >= 0),
  voucher_minor    integer NOT NULL DEFAULT 0 CHECK (voucher_minor >= 0),
  pass_minutes     integer NOT NULL DEFAULT 0 CHECK (pass_minutes >= 0),
  -- left to pay: billed on the member's next invoice (usage line)
  charge_minor     integer NOT NULL DEFAULT 0 CHECK (charge_minor >= 0),
  refunded_at      timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, booking_id),
  FOREIGN KEY (site_id, booking_id) REFERENCES bookings (site_id, id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS booking_charges_member ON booking_charges (site_id, member_id);

-- Access: zones are sets of doors; credentials (cards, mobile keys, PINs) belong to members.
CREATE TABLE IF NOT EXISTS access_zones (
  site_id   text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id        text NOT NULL CHECK (id ~ '^[a-zA-Z0-9_.:-]{1,64}$'),
  name      text NOT NULL,
  door_ids  text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (site_id, id)
);

CREATE TABLE IF NOT EXISTS credentials (
  site_id     text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id          text NOT NULL CHECK (id ~ '^[a-zA-Z0-9_.:-]{1,64}$'),
  member_id   text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('card', 'mobile', 'pin')),
  -- what the door reader presents (card UID, mobile key id); looked up on every decision
  value       text NOT NULL,
  issued_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  revoke_reason text,
  PRIMARY KEY (site_id, id),
  FOREIGN KEY (site_id, member_id) REFERENCES members (site_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS credentials_active_value ON credentials (site_id, value) WHERE revoked_at IS NULL;

-- Billing. A run is per site and period; what makes it idempotent is billed_periods (one row per contract and period,
-- inserted in the same transaction as the invoice), so a second or concurrent run finds nothing left to bill.
CREATE TABLE IF NOT EXISTS billing_runs (
  site_id       text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id            text NOT NULL,
  period_start  date NOT NULL,
  period_end    date NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  invoices      integer NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, id),
  CHECK (period_end > period_start)
);

-- Gapless numbering: the next number and the last issued hash of each series, taken under a row lock when issuing.
CREATE TABLE IF NOT EXISTS invoice_series (
  site_id      text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  series       text NOT NULL,
  next_number  integer NOT NULL DEFAULT 1 CHECK (next_number >= 1),
  last_hash    text,
  PRIMARY KEY (site_id, series)
);

-- Issued invoices and credit notes. A row is written once, complete, and never changed (a trigger refuses updates and
-- deletes); corrections are credit notes. Each carries the hash of the previous one in its series (Verifactu style).
CREATE TABLE IF NOT EXISTS invoices (
  site_id          text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id               text NOT NULL,
  series           text NOT NULL,
  number           integer NOT NULL CHECK (number >= 1),
  kind             text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
  member_id        text,
  company_id       text,
  -- the buyer as invoiced (tax law keeps it even after a GDPR erasure)
  buyer            jsonb NOT NULL,
  currency         char(3) NOT NULL,
  period_start     date,
  period_end       date,
  issue_date       date NOT NULL,
  due_date         date NOT NULL,
  subtotal_minor   bigint NOT NULL,
  tax_minor        bigint NOT NULL,
  total_minor      bigint NOT NULL,
  corrects_id      text,
  billing_run_id   text,
  previous_hash    text,
  hash             text NOT NULL,
  issued_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, id),
  UNIQUE (site_id, series, number),
  FOREIGN KEY (site_id, corrects_id) REFERENCES invoices (site_id, id),
  CHECK (total_minor = subtotal_minor + tax_minor)
);
CREATE INDEX IF NOT EXISTS invoices_site_member ON invoices (site_id, member_id, issue_date);
CREATE INDEX IF NOT EXISTS invoices_site_due ON invoices (site_id, due_date);

CREATE TABLE IF NOT EXISTS invoice_lines (
  site_id        text NOT NULL,
  invoice_id     text NOT NULL,
  line_no        integer NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('membership', 'proration', 'usage', 'one_off', 'pass', 'correction')),
  description    text NOT NULL,
  quantity       numeric(12, 3) NOT NULL DEFAULT 1,
  unit_minor     bigint NOT NULL,
  amount_minor   bigint NOT NULL,
  tax_rate_bp    integer NOT NULL CHECK (tax_rate_bp >= 0),
  tax_minor      bigint NOT NULL,
  contract_id    text,
  booking_id     text,
  charge_id      text,
  period_start   date,
  period_end     date,
  PRIMARY KEY (site_id, invoice_id, line_no),
  FOREIGN KEY (site_id, invoice_id) REFERENCES invoices (site_id, id)
);
-- a booking's usage is invoiced once
CREATE UNIQUE INDEX IF NOT EXISTS invoice_lines_usage_once ON invoice_lines (site_id, booking_id)
  WHERE kind = 'usage';

CREATE TABLE IF NOT EXISTS billed_periods (
  site_id       text NOT NULL,
  contract_id   text NOT NULL,
  period_start  date NOT NULL,
  invoice_id    text NOT NULL,
  PRIMARY KEY (site_id, contract_id, period_start),
  FOREIGN KEY (site_id, contract_id) REFERENCES contracts (site_id, id)
);

-- Charges outside the plan (a printed badge, a late fee); invoiced once.
CREATE TABLE IF NOT EXISTS one_off_charges (
  site_id       text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id            text NOT NULL,
  member_id     text NOT NULL,
  description   text NOT NULL,
  amount_minor  integer NOT NULL CHECK (amount_minor > 0),
  charge_date   date NOT NULL,
  invoice_id    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, id),
  FOREIGN KEY (site_id, member_id) REFERENCES members (site_id, id)
);

CREATE TABLE IF NOT EXISTS payments (
  site_id       text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id            text NOT NULL,
  member_id     text,
  company_id    text,
  amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
  currency      char(3) NOT NULL,
  -- the gateway adapter that took it ('manual', 'bank_transfer', later 'stripe') and its reference
  method        text NOT NULL,
  reference     text,
  received_at   timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, id)
);

CREATE TABLE IF NOT EXISTS payment_allocations (
  site_id       text NOT NULL,
  payment_id    text NOT NULL,
  invoice_id    text NOT NULL,
  amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
  PRIMARY KEY (site_id, payment_id, invoice_id),
  FOREIGN KEY (site_id, payment_id) REFERENCES payments (site_id, id),
  FOREIGN KEY (site_id, invoice_id) REFERENCES invoices (site_id, id)
);

-- Overdue reminders, one per invoice and level, sent by a job.
CREATE TABLE IF NOT EXISTS invoice_reminders (
  site_id     text NOT NULL,
  invoice_id  text NOT NULL,
  level       integer NOT NULL CHECK (level >= 1),
  sent_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, invoice_id, level),
  FOREIGN KEY (site_id, invoice_id) REFERENCES invoices (site_id, id)
);

CREATE TABLE IF NOT EXISTS audit_log (
  id        bigserial PRIMARY KEY,
  site_id   text,
  at        timestamptz NOT NULL DEFAULT now(),
  actor     text,
  action    text NOT NULL,
  subject   text,
  detail    jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS audit_log_site_at ON audit_log (site_id, at);

-- Issued invoices are immutable: corrections are credit notes, and the hash chain proves nothing was edited.
CREATE OR REPLACE FUNCTION refuse_invoice_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'issued invoices are immutable; issue a credit note instead' USING ERRCODE = 'P0001';
END;
$$;
DROP TRIGGER IF EXISTS invoices_immutable ON invoices;
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION refuse_invoice_change();
DROP TRIGGER IF EXISTS invoice_lines_immutable ON invoice_lines;
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines
  FOR EACH ROW EXECUTE FUNCTION refuse_invoice_change();
