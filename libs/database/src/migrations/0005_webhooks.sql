-- Webhooks (DESIGN.md, "External contracts"): who subscribed to which events, one delivery per event and subscription,
-- and every attempt made to deliver it.

CREATE TABLE IF NOT EXISTS webhook_subscriptions (
  id              text PRIMARY KEY,
  -- null: events of every site (only a key spanning every site may create it); otherwise that one site's events
  site_id         text REFERENCES sites (id) ON DELETE CASCADE,
  url             text NOT NULL,
  -- event types such as 'booking.released', or '*' for all of them
  events          text[] NOT NULL CHECK (cardinality(events) > 0),
  -- Unlike API key secrets this one is stored as is: every delivery computes an HMAC with it, which a hash cannot do.
  -- It is shown to the subscriber once, at creation, and never returned by the API afterwards.
  secret          text NOT NULL,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  disabled_reason text,
  created_by      text,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS webhook_subscriptions_site ON webhook_subscriptions (site_id) WHERE status = 'active';

CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id              text PRIMARY KEY,
  subscription_id text NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  site_id         text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  event_type      text NOT NULL,
  -- the publisher's event id: the `webhook-id` header, stable across retries, and the idempotency key
  event_id        text NOT NULL,
  payload         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'disabled')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- the last attempt number allowed before the delivery fails; a manual redeliver raises it
  max_attempts    integer NOT NULL CHECK (max_attempts >= 1),
  next_attempt_at timestamptz,
  last_status     integer,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  UNIQUE (subscription_id, event_id)
);

CREATE INDEX IF NOT EXISTS webhook_deliveries_recent ON webhook_deliveries (subscription_id, created_at DESC);
-- what a process re-queues at boot (the in-process queue forgets its jobs on restart)
CREATE INDEX IF NOT EXISTS webhook_deliveries_pending ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

CREATE TABLE IF NOT EXISTS webhook_attempts (
  delivery_id text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt     integer NOT NULL CHECK (attempt >= 1),
  at          timestamptz NOT NULL,
  -- null when no HTTP answer came (timeout, connection error, refused address)
  status_code integer,
  error       text,
  duration_ms integer NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
