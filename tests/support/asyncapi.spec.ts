/**
 * Keeps docs/asyncapi.yaml true: its shape (AsyncAPI 3.0.0, checked with zod), its topics (against the topic parser,
 * the ACL and the sinks that publish), its inbound payload schemas (against the zod schemas, case by case, with a
 * small JSON Schema checker for the subset the document uses), its enums and its outbound shapes (against the
 * TypeScript interfaces, through samples the compiler keeps complete).
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { GrantsPublisher, GrantsService } from '@cw/access';
import { Principal } from '@cw/auth';
import { Clock, ErrorCode } from '@cw/common';
import { AppConfig, Config, configSchema } from '@cw/config';
import {
  ACCESS_GRANT_SOURCES,
  AccessGrant,
  AlertSeverity,
  BOOKING_STATUSES,
  BookingRelease,
  DoorGrant,
  DoorGrantsMessage,
  EVENT_TYPES,
  EventType,
  LiveAlert,
  LiveClientEvents,
  LiveServerEvents,
  OccupancyDelta,
  OccupancySnapshot,
  payloadSchemas,
  ReleaseReason,
  RESOURCE_STATES,
  ResourceState,
  SENSOR_KINDS,
  SiteGrantsNotice,
} from '@cw/events';
import { decodeMqttPayload, parseInboundTopic } from '@cw/ingest';
import { mayPublish, maySubscribe, MqttTransport, PublishOptions } from '@cw/mqtt';
import { NoShowModule, ReleaseSink } from '@cw/noshow';
import { MqttStateSink } from '@cw/occupancy';
import {
  HANDSHAKE_UNAUTHENTICATED,
  HANDSHAKE_UNAVAILABLE,
  LIVE_NAMESPACE,
  LivePublisher,
  LiveTransport,
} from '@cw/realtime';
import { idSchema } from '@cw/sites';
import {
  verifyWebhook,
  WEBHOOK_EVENT_TYPES,
  WebhookBody,
  WebhookDispatcher,
  webhookHeaders,
} from '@cw/webhooks';

const DOC_PATH = join(__dirname, '..', '..', 'docs', 'asyncapi.yaml');
const PREFIX = 'cw';

// ---------------------------------------------------------------------------------------------------------------
// The AsyncAPI 3 shape this document uses, and the JSON Schema subset its schemas may use.

type Json = Record<string, unknown>;

const SCHEMA_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const text = z.string().min(1);
const regexSource = z.string().refine((source) => {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');
const localRef = (prefix: string) => z.object({ $ref: z.string().startsWith(prefix) }).strict();

/** A `$ref` has no siblings (JSON Schema draft 07 ignores them); any keyword outside the subset is refused. */
const schemaNode: z.ZodType<Json> = z.lazy(() =>
  z.union([
    localRef('#/components/schemas/'),
    z
      .object({
        title: text.optional(),
        description: text.optional(),
        type: z.union([z.enum(SCHEMA_TYPES), z.array(z.enum(SCHEMA_TYPES)).min(2)]).optional(),
        enum: z.array(scalar).min(1).optional(),
        const: scalar.optional(),
        minLength: z.number().int().nonnegative().optional(),
        maxLength: z.number().int().nonnegative().optional(),
        pattern: regexSource.optional(),
        format: z.literal('date-time').optional(),
        minimum: z.number().optional(),
        required: z.array(z.string()).min(1).optional(),
        properties: z.record(schemaNode).optional(),
        additionalProperties: z.literal(false).optional(),
        items: schemaNode.optional(),
        oneOf: z.array(schemaNode).min(2).optional(),
        allOf: z.array(schemaNode).min(1).optional(),
        if: schemaNode.optional(),
        then: schemaNode.optional(),
      })
      .strict()
      .refine(
        (node) =>
          (node.required ?? []).every((key) => node.properties !== undefined && key in node.properties),
        'every required field is also among properties',
      )
      .refine((node) => (node.if === undefined) === (node.then === undefined), 'if and then come together'),
  ]),
);

const serverVariable = z.object({ default: z.string(), description: text }).strict();
const server = z
  .object({
    host: text,
    protocol: z.enum(['mqtt', 'ws', 'http', 'https']),
    protocolVersion: text.optional(),
    pathname: z.string().startsWith('/').optional(),
    title: text,
    description: text,
    variables: z.record(serverVariable).optional(),
    security: z.array(localRef('#/components/securitySchemes/')).optional(),
  })
  .strict();
const parameter = z.object({ description: text, examples: z.array(z.string()).min(1).optional() }).strict();
const channel = z
  .object({
    address: text.nullable(),
    title: text,
    description: text,
    servers: z.array(localRef('#/servers/')).min(1),
    parameters: z.record(localRef('#/components/parameters/')).optional(),
    messages: z.record(localRef('#/components/messages/')),
  })
  .strict();
const mqttOperationBinding = z
  .object({
    qos: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    retain: z.boolean().optional(),
    bindingVersion: z.literal('0.2.0'),
  })
  .strict();
const httpOperationBinding = z
  .object({ method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']), bindingVersion: z.literal('0.3.0') })
  .strict();
const operation = z
  .object({
    action: z.enum(['send', 'receive']),
    channel: localRef('#/channels/'),
    title: text,
    description: text.optional(),
    messages: z.array(localRef('#/channels/')).min(1),
    reply: z
      .object({ channel: localRef('#/channels/'), messages: z.array(localRef('#/channels/')).min(1) })
      .strict()
      .optional(),
    bindings: z
      .object({ mqtt: mqttOperationBinding.optional(), http: httpOperationBinding.optional() })
      .strict()
      .optional(),
  })
  .strict();
const messageExample = z
  .object({
    name: text.optional(),
    summary: text.optional(),
    headers: z.record(z.string()).optional(),
    payload: z.unknown(),
  })
  .strict();
const message = z
  .object({
    name: text.optional(),
    title: text,
    summary: text.optional(),
    description: text.optional(),
    contentType: z.literal('application/json').optional(),
    headers: schemaNode.optional(),
    payload: schemaNode,
    bindings: z
      .object({
        http: z.object({ headers: schemaNode, bindingVersion: z.literal('0.3.0') }).strict(),
      })
      .strict()
      .optional(),
    examples: z.array(messageExample).min(1).optional(),
  })
  .strict();
const securityScheme = z.discriminatedUnion('type', [
  z.object({ type: z.literal('userPassword'), description: text }).strict(),
  z.object({ type: z.literal('http'), scheme: z.literal('bearer'), description: text }).strict(),
]);
const asyncApiDocument = z
  .object({
    asyncapi: z.literal('3.0.0'),
    info: z
      .object({
        title: text,
        version: text,
        description: text,
        license: z.object({ name: text, url: z.string().url() }).strict(),
      })
      .strict(),
    defaultContentType: z.literal('application/json'),
    servers: z.record(server),
    channels: z.record(channel),
    operations: z.record(operation),
    components: z
      .object({
        securitySchemes: z.record(securityScheme),
        parameters: z.record(parameter),
        messages: z.record(message),
        schemas: z.record(schemaNode),
      })
      .strict(),
  })
  .strict();
type AsyncApiDocument = z.infer<typeof asyncApiDocument>;
type Message = AsyncApiDocument['components']['messages'][string];
type Operation = AsyncApiDocument['operations'][string];

const rawDocument: unknown = parse(readFileSync(DOC_PATH, 'utf8'));
const shape = asyncApiDocument.safeParse(rawDocument);
if (!shape.success) {
  const issues = shape.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
  throw new Error(`docs/asyncapi.yaml does not have the expected AsyncAPI 3 shape:\n${issues}`);
}
const doc = shape.data;

// ---------------------------------------------------------------------------------------------------------------
// Navigating the document.

function resolvePointer(ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local references are used: ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => {
      if (node === null || typeof node !== 'object' || !(key in node))
        throw new Error(`unresolved reference ${ref}`);
      return (node as Json)[key];
    }, rawDocument);
}

function allRefs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(allRefs);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [value] : allRefs(value),
  );
}

const refSchema = z.object({ $ref: z.string() });

function componentSchema(name: string): Json {
  const schema = doc.components.schemas[name];
  if (!schema) throw new Error(`components.schemas.${name} is missing`);
  return schema;
}

function schemaAt(ref: string): Json {
  return componentSchema(ref.replace('#/components/schemas/', ''));
}

/** A channel's message reference (`#/channels/x/messages/y`) to the message it stands for. */
function messageAt(ref: string): Message {
  const target = refSchema.safeParse(resolvePointer(ref));
  const name = (target.success ? target.data.$ref : ref).replace('#/components/messages/', '');
  const found = doc.components.messages[name];
  if (!found) throw new Error(`${ref} does not lead to a component message`);
  return found;
}

function channelKey(op: Operation): string {
  return op.channel.$ref.replace('#/channels/', '');
}

function operationsOn(key: string): Operation[] {
  return Object.values(doc.operations).filter((op) => channelKey(op) === key);
}

function channelsOn(serverKey: string): string[] {
  return Object.entries(doc.channels)
    .filter(([, ch]) => ch.servers.some((s) => s.$ref === `#/servers/${serverKey}`))
    .map(([key]) => key);
}

function onlyOperation(key: string): Operation {
  const ops = operationsOn(key);
  if (ops.length !== 1)
    throw new Error(`channel ${key} should have exactly one operation, has ${ops.length}`);
  return ops[0];
}

function onlyMessage(op: Operation): Message {
  if (op.messages.length !== 1) throw new Error(`${op.title}: expected one message`);
  return messageAt(op.messages[0].$ref);
}

function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no sample value for {${name}} in ${template}`);
    return value;
  });
}

/** Property names of an object schema, through `$ref` and `allOf`. */
function propertyNames(schema: Json): string[] {
  if (typeof schema.$ref === 'string') return propertyNames(schemaAt(schema.$ref));
  const own = Object.keys((schema.properties as Json | undefined) ?? {});
  const inherited = ((schema.allOf as Json[] | undefined) ?? []).flatMap(propertyNames);
  return [...new Set([...own, ...inherited])].sort();
}

function requiredNames(schema: Json): string[] {
  if (typeof schema.$ref === 'string') return requiredNames(schemaAt(schema.$ref));
  const own = (schema.required as string[] | undefined) ?? [];
  const inherited = ((schema.allOf as Json[] | undefined) ?? []).flatMap(requiredNames);
  return [...new Set([...own, ...inherited])].sort();
}

function propertySchema(schema: Json, name: string): Json {
  if (typeof schema.$ref === 'string') return propertySchema(schemaAt(schema.$ref), name);
  const property = (schema.properties as Record<string, Json> | undefined)?.[name];
  if (!property) throw new Error(`no property ${name}`);
  return typeof property.$ref === 'string' ? schemaAt(property.$ref) : property;
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();

// ---------------------------------------------------------------------------------------------------------------
// A JSON Schema checker for the subset above (draft 07 semantics; string lengths in code points).

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

function isDateTime(value: string): boolean {
  const match = RFC3339.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const offsetHour = match[9] === undefined ? 0 : Number(match[9]);
  const offsetMinute = match[10] === undefined ? 0 : Number(match[10]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month < 1 || month > 12) return false;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return (
    day >= 1 &&
    day <= days &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 60 &&
    offsetHour <= 23 &&
    offsetMinute <= 59
  );
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      throw new Error(`unknown type ${type}`);
  }
}

function validate(schema: Json, value: unknown, path = '$'): string[] {
  if (typeof schema.$ref === 'string') return validate(schemaAt(schema.$ref), value, path);
  const errors: string[] = [];
  const fail = (why: string) => errors.push(`${path}: ${why}`);
  if (schema.type !== undefined) {
    const types = (Array.isArray(schema.type) ? schema.type : [schema.type]) as string[];
    if (!types.some((type) => hasType(value, type))) return [`${path}: is not ${types.join(' or ')}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => allowed === value)) fail('is not in enum');
  if ('const' in schema && schema.const !== value) fail(`is not ${String(schema.const)}`);
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) fail('is too short');
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) fail('is too long');
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      fail('does not match the pattern');
    if (schema.format === 'date-time' && !isDateTime(value)) fail('is not a date-time');
  }
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum)
    fail('is below the minimum');
  if (hasType(value, 'object')) {
    const object = value as Json;
    const properties = (schema.properties as Record<string, Json> | undefined) ?? {};
    for (const key of (schema.required as string[] | undefined) ?? [])
      if (!(key in object)) fail(`misses ${key}`);
    for (const [key, sub] of Object.entries(properties))
      if (key in object) errors.push(...validate(sub, object[key], `${path}.${key}`));
    if (schema.additionalProperties === false)
      for (const key of Object.keys(object)) if (!(key in properties)) fail(`has unknown field ${key}`);
  }
  if (Array.isArray(value) && schema.items !== undefined)
    value.forEach((item, index) => errors.push(...validate(schema.items as Json, item, `${path}[${index}]`)));
  if (Array.isArray(schema.oneOf)) {
    const matches = (schema.oneOf as Json[]).filter((sub) => validate(sub, value, path).length === 0).length;
    if (matches !== 1) fail(`matches ${matches} of oneOf`);
  }
  for (const sub of (schema.allOf as Json[] | undefined) ?? []) errors.push(...validate(sub, value, path));
  if (schema.if !== undefined && validate(schema.if as Json, value, path).length === 0)
    errors.push(...validate(schema.then as Json, value, path));
  return errors;
}

const accepts = (schema: Json, value: unknown): boolean => validate(schema, value).length === 0;

// ---------------------------------------------------------------------------------------------------------------
// Samples the compiler keeps complete: an object literal typed as the interface has exactly its fields.

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const SERVER_EVENTS = [
  'snapshot',
  'occupancy',
  'release',
  'alert',
  'batch',
] as const satisfies readonly (keyof LiveServerEvents)[];
const CLIENT_EVENTS = ['join', 'leave'] as const satisfies readonly (keyof LiveClientEvents)[];
const RELEASE_REASONS = ['no_show', 'ghost'] as const satisfies readonly ReleaseReason[];
const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const satisfies readonly AlertSeverity[];
const listsComplete: [
  Same<(typeof SERVER_EVENTS)[number], keyof LiveServerEvents>,
  Same<(typeof CLIENT_EVENTS)[number], keyof LiveClientEvents>,
  Same<(typeof RELEASE_REASONS)[number], ReleaseReason>,
  Same<(typeof ALERT_SEVERITIES)[number], AlertSeverity>,
] = [true, true, true, true];

/** The error codes LiveGateway.join answers with. */
const JOIN_ERRORS = [
  ErrorCode.Unauthenticated,
  ErrorCode.Validation,
  ErrorCode.Forbidden,
  ErrorCode.NotFound,
  ErrorCode.Unavailable,
];

const sampleState: ResourceState = {
  siteId: 'hq',
  resourceId: 'room-101',
  state: 'awaiting_checkin',
  occupancy: 0,
  bookingId: 'bk-42',
  since: '2026-03-01T09:00:00.000Z',
};
const sampleDelta: OccupancyDelta = {
  siteId: 'hq',
  resourceId: 'room-101',
  state: 'released',
  occupancy: null,
  bookingId: 'bk-42',
  since: '2026-03-01T09:15:00.000Z',
  previous: 'awaiting_checkin',
};
const sampleSnapshot: OccupancySnapshot = {
  siteId: 'hq',
  at: '2026-03-01T09:01:00.000Z',
  resources: [sampleState, { ...sampleState, resourceId: 'desk-7', state: 'free', bookingId: null }],
};
const sampleRelease: BookingRelease = {
  releaseId: 'rel_hq_bk-42',
  siteId: 'hq',
  bookingId: 'bk-42',
  resourceId: 'room-101',
  memberId: null,
  reason: 'no_show',
  bookingStart: '2026-03-01T09:00:00.000Z',
  bookingEnd: '2026-03-01T10:00:00.000Z',
  decidedAt: '2026-03-01T09:15:00.000Z',
  releasedAt: '2026-03-01T09:15:00.412Z',
};
const sampleAlert: LiveAlert = {
  siteId: 'hq',
  kind: 'device_offline',
  severity: 'warning',
  message: 'Sensor room-101-pir has sent nothing for 30 minutes',
  resourceId: null,
  at: '2026-03-01T09:30:00.000Z',
};
const sampleWebhookBody: WebhookBody = {
  type: 'booking.released',
  timestamp: '2026-03-01T09:15:00.431Z',
  data: sampleRelease,
};
const sampleDoorGrant: DoorGrant = {
  credential: '04A2B3C4D5E6F7',
  member: 'm-17',
  from: '2026-03-02T07:00:00.000Z',
  to: '2026-03-02T19:00:00.000Z',
  source: 'contract',
};
const sampleGrant: AccessGrant = { ...sampleDoorGrant, doors: ['front-door'] };
const sampleDoorGrants: DoorGrantsMessage = {
  siteId: 'hq',
  doorId: 'front-door',
  generatedAt: '2026-03-02T07:00:01.118Z',
  from: '2026-03-02T07:00:00.000Z',
  to: '2026-03-04T07:00:00.000Z',
  grants: [sampleDoorGrant],
};
const sampleGrantsNotice: SiteGrantsNotice = {
  siteId: 'hq',
  generatedAt: '2026-03-02T07:00:01.118Z',
  from: '2026-03-02T07:00:00.000Z',
  to: '2026-03-04T07:00:00.000Z',
  grants: [sampleGrant],
};
const sampleGrantsWebhookBody: WebhookBody<'access.grants'> = {
  type: 'access.grants',
  timestamp: '2026-03-02T07:00:01.204Z',
  data: sampleGrantsNotice,
};
type JoinReply = Parameters<Parameters<LiveClientEvents['join']>[1]>[0];
const sampleAcks: JoinReply[] = [{ ok: true }, { ok: false, error: ErrorCode.Forbidden }];

const SAMPLE_PARAMETERS: Record<string, string> = {
  site: 'hq',
  door: 'front-door',
  sensor: 'room-101-pir',
  resource: 'room-101',
  booking: 'bk-42',
};

const principal = (role: Principal['role'], siteId: string | null): Principal => ({
  keyId: `key-${role}`,
  name: role,
  role,
  siteId,
  memberId: null,
});

// ---------------------------------------------------------------------------------------------------------------
// Inbound payloads: the document's schema against the platform, case by case.

const VALID_SAMPLES: Record<EventType, Json> = {
  door: {
    id: 'evt-0001',
    ts: '2026-03-01T09:00:00Z',
    credential: 'badge-7f3a',
    member: 'm-17',
    direction: 'in',
    result: 'granted',
    method: 'badge',
  },
  sensor: { id: 'co2-101-1', ts: '2026-03-01T09:00:00Z', kind: 'co2', value: 612.5 },
  booking: {
    id: 'bk-42-v1',
    ts: '2026-02-27T16:20:00Z',
    booking: 'bk-42',
    resource: 'room-101',
    member: 'm-17',
    start: '2026-03-01T09:00:00Z',
    end: '2026-03-01T10:00:00Z',
    status: 'created',
  },
};

/** Valid times all fall strictly between the sample booking's start and end, so swapping one in keeps end > start. */
const DATE_VALUES = [
  '2026-03-01T09:30:00Z',
  '2026-03-01T09:30:00.123456Z',
  '2026-03-01T10:30:00+01:00',
  '2026-03-01T04:30:00.5-05:00',
  '2026-03-01T09:30:00',
  '2026-03-01 09:30:00Z',
  '2026-03-01',
  '2026-03-01t09:30:00z',
  '2026-02-29T09:30:00Z',
  '2026-04-31T09:30:00Z',
  '2026-03-01T24:30:00Z',
  '2026-03-01T09:60:00Z',
  '2026-03-01T09:30:60Z',
  '2026-03-01T09:30:00+1:00',
  '1772357400',
];
const STRING_VALUES = [
  '',
  'x',
  'x'.repeat(32),
  'x'.repeat(33),
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(128),
  'x'.repeat(129),
  'x'.repeat(256),
  'x'.repeat(257),
  'room:1.a_b-c',
  'a b',
  'a/b',
  'Ünïcode',
];
const OTHER_VALUES: unknown[] = [null, 42, -1, 0.5, true, false, [], {}];
const SENSOR_VALUES: unknown[] = [0, 1, 2, -1, 0.5, 1e9, -40.5, true, false, '1', null];

interface Case {
  name: string;
  payload: unknown;
}

function zodObjectOf(schema: z.ZodTypeAny): z.ZodObject<z.ZodRawShape> {
  let inner = schema;
  while (inner instanceof z.ZodEffects) inner = inner.innerType() as z.ZodTypeAny;
  if (!(inner instanceof z.ZodObject)) throw new Error('expected a zod object');
  return inner as z.ZodObject<z.ZodRawShape>;
}

function zodEnumValues(field: z.ZodTypeAny): string[] {
  const inner = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodTypeAny) : field;
  return inner instanceof z.ZodEnum ? [...(inner.options as string[])] : [];
}

function docEnumValues(schema: Json, field: string): string[] {
  const property = propertySchema(schema, field);
  return Array.isArray(property.enum) ? property.enum.map(String) : [];
}

function casesFor(type: EventType, eventSchema: Json): Case[] {
  const valid = VALID_SAMPLES[type];
  const fields = Object.keys(zodObjectOf(payloadSchemas[type]).shape);
  const cases: Case[] = [
    { name: 'the valid sample', payload: valid },
    { name: 'an unknown field', payload: { ...valid, extra: 1 } },
    { name: 'a string', payload: 'hello' },
    { name: 'null', payload: null },
    { name: 'a number', payload: 42 },
  ];
  for (const field of fields) {
    const { [field]: _dropped, ...without } = valid;
    cases.push({ name: `without ${field}`, payload: without });
    const enumValues = new Set([...zodEnumValues(zodObjectOf(payloadSchemas[type]).shape[field])]);
    if (propertyNames(eventSchema).includes(field))
      for (const value of docEnumValues(eventSchema, field)) enumValues.add(value);
    const values = [...enumValues, 'not_a_value', ...DATE_VALUES, ...STRING_VALUES, ...OTHER_VALUES];
    for (const value of values)
      cases.push({ name: `${field} = ${JSON.stringify(value)}`, payload: { ...valid, [field]: value } });
  }
  if (type === 'sensor') {
    const kinds = new Set<string>([...SENSOR_KINDS, ...docEnumValues(eventSchema, 'kind')]);
    for (const kind of kinds)
      for (const value of SENSOR_VALUES)
        cases.push({
          name: `kind ${kind}, value ${JSON.stringify(value)}`,
          payload: { ...valid, kind, value },
        });
  }
  return cases;
}

/** The one rule JSON Schema cannot state: a booking ends after it starts (BookingEvent's description says it). */
function onlyEndAfterStart(result: z.SafeParseReturnType<unknown, unknown>): boolean {
  return (
    !result.success &&
    result.error.issues.every(
      (issue) => issue.path.join('.') === 'end' && issue.message === 'must be after start',
    )
  );
}

interface InboundChannel {
  key: string;
  type: EventType;
  topic: string;
  message: Message;
  eventSchema: Json;
}

function inboundChannels(): InboundChannel[] {
  return channelsOn('mqtt')
    .filter((key) => onlyOperation(key).action === 'receive')
    .map((key) => {
      const topic = fill(doc.channels[key].address ?? '', SAMPLE_PARAMETERS);
      const route = parseInboundTopic(topic, PREFIX);
      if (!route) throw new Error(`${topic} (channel ${key}) is not an inbound topic of the platform`);
      const message = onlyMessage(onlyOperation(key));
      const single = (message.payload.oneOf as Json[] | undefined)?.[0];
      if (!single) throw new Error(`${key}: the payload is oneOf [event, array of events]`);
      const eventSchema = typeof single.$ref === 'string' ? schemaAt(single.$ref) : single;
      return { key, type: route.type, topic, message, eventSchema };
    });
}

/** What the platform does with one MQTT message on the topic: every item stored, or some refused. */
function platformAccepts(channel: InboundChannel, payload: unknown): boolean {
  const route = parseInboundTopic(channel.topic, PREFIX)!;
  const decoded = decodeMqttPayload(route, channel.topic, Buffer.from(JSON.stringify(payload)), 5000);
  return decoded.refusals.length === 0;
}

// ---------------------------------------------------------------------------------------------------------------

describe('docs/asyncapi.yaml', () => {
  it('has the AsyncAPI 3.0.0 shape and only the JSON Schema subset the checker knows', () => {
    expect(asyncApiDocument.safeParse(rawDocument).success).toBe(true);
    expect(listsComplete).toEqual([true, true, true, true]);
  });

  it('resolves every reference, and operations use messages of their own channel', () => {
    for (const ref of allRefs(rawDocument)) expect(() => resolvePointer(ref)).not.toThrow();
    for (const [name, op] of Object.entries(doc.operations)) {
      for (const { $ref } of op.messages)
        expect([name, $ref.startsWith(`${op.channel.$ref}/messages/`)]).toEqual([name, true]);
      if (op.reply)
        for (const { $ref } of op.reply.messages)
          expect([name, $ref.startsWith(`${op.reply.channel.$ref}/messages/`)]).toEqual([name, true]);
    }
  });

  it('declares exactly the parameters of each address and the variables of each host', () => {
    for (const [key, ch] of Object.entries(doc.channels))
      expect([key, sorted(placeholders(ch.address ?? ''))]).toEqual([
        key,
        sorted(Object.keys(ch.parameters ?? {})),
      ]);
    for (const [key, s] of Object.entries(doc.servers))
      expect([key, sorted(placeholders(s.host))]).toEqual([key, sorted(Object.keys(s.variables ?? {}))]);
  });

  it('states the configuration defaults it quotes', () => {
    const defaults = configSchema.shape;
    expect(doc.servers.mqtt.variables?.port.default).toBe(String(defaults.MQTT_PORT.parse(undefined)));
    expect(doc.servers.live.variables?.port.default).toBe(String(defaults.PORT.parse(undefined)));
    expect(defaults.MQTT_TOPIC_PREFIX.parse(undefined)).toBe(PREFIX);
    const maxBatch = defaults.HTTP_MAX_BATCH.parse(undefined);
    for (const { key } of inboundChannels())
      expect(doc.channels[key].description).toContain(`default ${maxBatch}, per message`);
    const webhook = doc.channels.webhook.description;
    expect(webhook).toContain(`(default ${defaults.WEBHOOK_MAX_ATTEMPTS.parse(undefined)})`);
    expect(webhook).toContain(`default ${defaults.WEBHOOK_TIMEOUT_MS.parse(undefined) / 1000} s`);
    expect(webhook).toContain(`${defaults.WEBHOOK_RETRY_BASE_MS.parse(undefined) / 1000} s, then five times`);
  });

  describe('MQTT', () => {
    it('documents exactly the inbound topics the platform ingests, which devices may publish on their site', () => {
      const inbound = inboundChannels();
      expect(sorted(inbound.map((ch) => ch.type))).toEqual(sorted(EVENT_TYPES));
      for (const ch of inbound) {
        const route = parseInboundTopic(ch.topic, PREFIX)!;
        expect(route.siteId).toBe(SAMPLE_PARAMETERS.site);
        expect(route.deviceId).toBe(ch.type === 'booking' ? null : SAMPLE_PARAMETERS[ch.type]);
        expect(ch.message.name).toBe(ch.type);
        expect(mayPublish(principal('device', 'hq'), ch.topic, PREFIX)).toBe(true);
        expect(mayPublish(principal('device', 'annex'), ch.topic, PREFIX)).toBe(false);
        expect(mayPublish(principal('admin', null), ch.topic, PREFIX)).toBe(true);
        expect(mayPublish(principal('manager', null), ch.topic, PREFIX)).toBe(false);
      }
    });

    it('documents outbound topics that nobody but the platform may publish and a site key may subscribe to', () => {
      const outbound = channelsOn('mqtt').filter((key) => onlyOperation(key).action === 'send');
      expect(sorted(outbound)).toEqual(['accessGrants', 'release', 'state']);
      for (const key of outbound) {
        const address = doc.channels[key].address ?? '';
        expect(address.startsWith(`${PREFIX}/{site}/`)).toBe(true);
        const topic = fill(address, SAMPLE_PARAMETERS);
        expect(parseInboundTopic(topic, PREFIX)).toBeNull();
        expect(mayPublish(principal('admin', null), topic, PREFIX)).toBe(false);
        const filter = fill(address, { ...SAMPLE_PARAMETERS, resource: '+', booking: '+', door: '+' });
        expect(maySubscribe(principal('integration', 'hq'), filter, PREFIX)).toBe(true);
        expect(maySubscribe(principal('integration', 'annex'), filter, PREFIX)).toBe(false);
      }
    });

    it('matches what MqttStateSink publishes: topic, QoS, retain and a ResourceState', async () => {
      const published: { topic: string; payload: string; options: PublishOptions }[] = [];
      const transport = {
        publish: async (topic: string, payload: string | Buffer, options: PublishOptions) => {
          published.push({ topic, payload: payload.toString(), options });
        },
      } as unknown as MqttTransport;
      const config = new AppConfig({ MQTT_TOPIC_PREFIX: PREFIX } as unknown as Config);
      await new MqttStateSink(transport, config).changed(sampleDelta);

      const op = onlyOperation('state');
      expect(published).toHaveLength(1);
      const [sent] = published;
      expect(sent.topic).toBe(
        fill(doc.channels.state.address ?? '', {
          site: sampleDelta.siteId,
          resource: sampleDelta.resourceId,
        }),
      );
      expect(sent.options.qos).toBe(op.bindings?.mqtt?.qos);
      expect(sent.options.retain ?? false).toBe(op.bindings?.mqtt?.retain ?? false);
      const payload: unknown = JSON.parse(sent.payload);
      const schema = onlyMessage(op).payload;
      expect(validate(schema, payload)).toEqual([]);
      expect(sorted(Object.keys(payload as Json))).toEqual(propertyNames(schema));
    });

    it('matches what the MQTT release sink publishes: topic, QoS, retain and a BookingRelease', async () => {
      // MqttReleaseSink is not exported by @cw/noshow; the module that provides it leads to it.
      const providers = (Reflect.getMetadata('providers', NoShowModule) ?? []) as unknown[];
      const SinkClass = providers.find(
        (provider) => typeof provider === 'function' && provider.name === 'MqttReleaseSink',
      ) as (new (mqtt: MqttTransport, config: AppConfig) => ReleaseSink) | undefined;
      expect(SinkClass).toBeDefined();
      const published: { topic: string; payload: string; options: PublishOptions }[] = [];
      const transport = {
        publish: async (topic: string, payload: string | Buffer, options: PublishOptions) => {
          published.push({ topic, payload: payload.toString(), options });
        },
      } as unknown as MqttTransport;
      const config = new AppConfig({ MQTT_TOPIC_PREFIX: PREFIX } as unknown as Config);
      await new SinkClass!(transport, config).deliver(sampleRelease);

      const op = onlyOperation('release');
      expect(published).toHaveLength(1);
      const [sent] = published;
      expect(sent.topic).toBe(
        fill(doc.channels.release.address ?? '', {
          site: sampleRelease.siteId,
          booking: sampleRelease.bookingId,
        }),
      );
      expect(sent.options.qos).toBe(op.bindings?.mqtt?.qos);
      expect(sent.options.retain ?? false).toBe(op.bindings?.mqtt?.retain ?? false);
      const payload: unknown = JSON.parse(sent.payload);
      const schema = onlyMessage(op).payload;
      expect(validate(schema, payload)).toEqual([]);
      expect(sorted(Object.keys(payload as Json))).toEqual(propertyNames(schema));
    });
  });

  describe('access grants', () => {
    it('match what GrantsPublisher publishes: topic, QoS, retain, a DoorGrantsMessage, and the webhook data', async () => {
      const published: { topic: string; payload: string; options: PublishOptions }[] = [];
      const transport = {
        publish: async (topic: string, payload: string | Buffer, options: PublishOptions) => {
          published.push({ topic, payload: payload.toString(), options });
        },
      } as unknown as MqttTransport;
      const notices: { type: string; data: unknown }[] = [];
      const dispatcher = {
        publish: async (_site: string, type: string, _id: string, data: unknown) => {
          notices.push({ type, data });
          return [];
        },
      } as unknown as WebhookDispatcher;
      const grants = {
        publishedDoorIds: async () => ['front-door'],
        grants: async () => [sampleGrant],
      } as unknown as GrantsService;
      const clock = { now: () => new Date('2026-03-02T07:20:00Z') } as unknown as Clock;
      const config = new AppConfig({ MQTT_TOPIC_PREFIX: PREFIX } as unknown as Config);
      await new GrantsPublisher(grants, transport, dispatcher, config, clock).publishSite('hq');

      const op = onlyOperation('accessGrants');
      expect(published).toHaveLength(1);
      const [sent] = published;
      expect(sent.topic).toBe(
        fill(doc.channels.accessGrants.address ?? '', { site: 'hq', door: 'front-door' }),
      );
      expect(sent.options.qos).toBe(op.bindings?.mqtt?.qos);
      expect(sent.options.retain ?? false).toBe(op.bindings?.mqtt?.retain ?? false);
      const payload: unknown = JSON.parse(sent.payload);
      const schema = onlyMessage(op).payload;
      expect(validate(schema, payload)).toEqual([]);
      expect(sorted(Object.keys(payload as Json))).toEqual(propertyNames(schema));

      expect(notices.map((n) => n.type)).toEqual(['access.grants']);
      const body = componentSchema('AccessGrantsWebhookBody');
      expect(
        validate(body, {
          type: 'access.grants',
          timestamp: '2026-03-02T07:20:00.000Z',
          data: notices[0].data,
        }),
      ).toEqual([]);
    });
  });

  describe('inbound payload schemas', () => {
    it('list the fields, required fields and enums of the zod schemas', () => {
      for (const ch of inboundChannels()) {
        const shape = zodObjectOf(payloadSchemas[ch.type]).shape;
        expect([ch.type, propertyNames(ch.eventSchema)]).toEqual([ch.type, sorted(Object.keys(shape))]);
        const required = Object.keys(shape).filter((field) => !shape[field].isOptional());
        expect([ch.type, requiredNames(ch.eventSchema)]).toEqual([ch.type, sorted(required)]);
        expect(ch.eventSchema.additionalProperties).toBe(false);
        for (const field of Object.keys(shape)) {
          const zodValues = zodEnumValues(shape[field]);
          if (zodValues.length > 0)
            expect([ch.type, field, docEnumValues(ch.eventSchema, field)]).toEqual([
              ch.type,
              field,
              zodValues,
            ]);
        }
      }
      expect(componentSchema('SensorKind').enum).toEqual([...SENSOR_KINDS]);
      expect(componentSchema('BookingStatus').enum).toEqual([...BOOKING_STATUSES]);
    });

    it('accept exactly what the platform accepts, one event and in arrays, on a table of cases', () => {
      const disagreements: string[] = [];
      let compared = 0;
      for (const ch of inboundChannels()) {
        const valid = VALID_SAMPLES[ch.type];
        for (const { name, payload } of casesFor(ch.type, ch.eventSchema)) {
          const zodResult = payloadSchemas[ch.type].safeParse(payload);
          const platform = platformAccepts(ch, payload);
          if (platform !== zodResult.success)
            disagreements.push(`${ch.type} ${name}: decoder and zod differ`);
          const expected = platform || onlyEndAfterStart(zodResult);
          const documented = accepts(ch.message.payload, payload);
          const inArray = accepts(ch.message.payload, [valid, payload]);
          if (documented !== expected)
            disagreements.push(`${ch.type} ${name}: platform ${platform}, document ${documented}`);
          if (inArray !== expected)
            disagreements.push(`${ch.type} ${name} in an array: platform ${platform}, document ${inArray}`);
          compared++;
        }
        expect(accepts(ch.message.payload, [])).toBe(platformAccepts(ch, []));
        expect(accepts(ch.message.payload, [valid, valid])).toBe(true);
      }
      expect(disagreements).toEqual([]);
      expect(compared).toBeGreaterThan(500);
    });

    it('differ from the platform only where the document says so', () => {
      const byType = new Map(inboundChannels().map((ch) => [ch.type, ch]));
      const gaps: {
        name: string;
        type: EventType;
        payload: Json;
        platform: boolean;
        mention?: [string, string];
      }[] = [
        // The document asks for the strict RFC 3339 form; the platform is more lenient: safe for producers.
        { name: 'time without seconds', type: 'door', payload: { ts: '2026-03-01T09:00Z' }, platform: true },
        {
          name: 'offset without colon',
          type: 'door',
          payload: { ts: '2026-03-01T10:00:00+0100' },
          platform: true,
        },
        {
          name: 'end not after start',
          type: 'booking',
          payload: { end: '2026-03-01T09:00:00Z' },
          platform: false,
          mention: ['BookingEvent', '`end` must be after `start`'],
        },
        {
          name: 'id of 65 emoji (130 UTF-16 code units)',
          type: 'door',
          payload: { id: '\u{1F600}'.repeat(65) },
          platform: false,
          mention: ['EventId', 'UTF-16 code units'],
        },
      ];
      for (const gap of gaps) {
        const ch = byType.get(gap.type)!;
        const payload = { ...VALID_SAMPLES[gap.type], ...gap.payload };
        expect([gap.name, platformAccepts(ch, payload)]).toEqual([gap.name, gap.platform]);
        expect([gap.name, accepts(ch.message.payload, payload)]).toEqual([gap.name, !gap.platform]);
        if (gap.mention) expect(componentSchema(gap.mention[0]).description).toContain(gap.mention[1]);
      }
    });

    it('have examples the platform accepts', () => {
      for (const ch of inboundChannels()) {
        expect(ch.message.examples?.length).toBeGreaterThan(0);
        for (const example of ch.message.examples ?? []) {
          expect(validate(ch.message.payload, example.payload)).toEqual([]);
          expect([ch.type, example.name, platformAccepts(ch, example.payload)]).toEqual([
            ch.type,
            example.name,
            true,
          ]);
        }
      }
    });
  });

  describe('outbound shapes', () => {
    const shapes: [string, object][] = [
      ['ResourceState', sampleState],
      ['OccupancyDelta', sampleDelta],
      ['OccupancySnapshot', sampleSnapshot],
      ['BookingRelease', sampleRelease],
      ['LiveAlert', sampleAlert],
      ['BookingReleasedWebhookBody', sampleWebhookBody],
      ['DoorGrant', sampleDoorGrant],
      ['AccessGrant', sampleGrant],
      ['DoorGrantsMessage', sampleDoorGrants],
      ['SiteGrantsNotice', sampleGrantsNotice],
      ['AccessGrantsWebhookBody', sampleGrantsWebhookBody],
    ];

    it.each(shapes)(
      '%s lists exactly the fields of the interface, all required, and accepts the sample',
      (name, sample) => {
        const schema = componentSchema(name);
        expect(propertyNames(schema)).toEqual(sorted(Object.keys(sample)));
        expect(requiredNames(schema)).toEqual(sorted(Object.keys(sample)));
        expect(validate(schema, sample)).toEqual([]);
      },
    );

    it('accept the nulls the interfaces allow and refuse what they do not', () => {
      const release = componentSchema('BookingRelease');
      expect(validate(release, { ...sampleRelease, memberId: 'm-17' })).toEqual([]);
      expect(accepts(release, { ...sampleRelease, bookingId: null })).toBe(false);
      expect(accepts(release, { ...sampleRelease, reason: 'expired' })).toBe(false);
      const state = componentSchema('ResourceState');
      expect(validate(state, { ...sampleState, occupancy: null, bookingId: null })).toEqual([]);
      expect(accepts(state, { ...sampleState, occupancy: -1 })).toBe(false);
      expect(accepts(state, { ...sampleState, state: 'unknown' })).toBe(false);
      expect(accepts(state, { ...sampleState, since: 'yesterday' })).toBe(false);
      expect(validate(componentSchema('LiveAlert'), { ...sampleAlert, resourceId: 'room-101' })).toEqual([]);
    });

    it('use the enums of the code', () => {
      expect(componentSchema('ResourceStateName').enum).toEqual([...RESOURCE_STATES]);
      expect(docEnumValues(componentSchema('BookingRelease'), 'reason')).toEqual([...RELEASE_REASONS]);
      expect(docEnumValues(componentSchema('LiveAlert'), 'severity')).toEqual([...ALERT_SEVERITIES]);
      const bodyTypes = operationsOn('webhook').flatMap((op) =>
        docEnumValues(onlyMessage(op).payload, 'type'),
      );
      expect(sorted(bodyTypes)).toEqual(sorted(WEBHOOK_EVENT_TYPES));
      expect(componentSchema('AccessGrantSource').enum).toEqual([...ACCESS_GRANT_SOURCES]);
    });

    it('have examples that fit them', () => {
      const outbound = Object.entries(doc.components.messages).filter(
        ([name]) => !['DoorEvents', 'SensorReadings', 'BookingEvents'].includes(name),
      );
      for (const [name, msg] of outbound)
        for (const example of msg.examples ?? []) {
          expect([name, validate(msg.payload, example.payload)]).toEqual([name, []]);
          if (example.headers && msg.headers)
            expect([name, validate(msg.headers, example.headers)]).toEqual([name, []]);
        }
    });
  });

  describe('socket.io /live', () => {
    const liveOps = operationsOn('live');

    it('is the namespace of the gateway, with handshake auth and its refusals', () => {
      expect(doc.channels.live.address).toBe(LIVE_NAMESPACE);
      expect(doc.servers.live.pathname).toBe(LIVE_NAMESPACE);
      expect(channelsOn('live')).toEqual(['live']);
      expect(doc.servers.live.description).toContain(`\`${HANDSHAKE_UNAUTHENTICATED}\``);
      expect(doc.servers.live.description).toContain(`\`${HANDSHAKE_UNAVAILABLE}\``);
      expect(doc.servers.live.description).toContain('auth: { token:');
    });

    it('sends exactly the server events and receives exactly the client events', () => {
      const names = (action: string) =>
        sorted(liveOps.filter((op) => op.action === action).map((op) => onlyMessage(op).name ?? ''));
      expect(names('send')).toEqual(sorted(SERVER_EVENTS));
      expect(names('receive')).toEqual(sorted(CLIENT_EVENTS));
    });

    it('documents what LivePublisher emits', () => {
      const emitted: { room: string; event: string; payload: unknown }[] = [];
      const roomOf = (room: string) => ({
        emit: (event: string, payload: unknown) => emitted.push({ room, event, payload }),
      });
      const transport = {
        room: (siteId: string) => roomOf(siteId),
        batchedRoom: (siteId: string) => roomOf(`${siteId}:batched`),
      } as unknown as LiveTransport;
      const publisher = new LivePublisher(transport);
      publisher.occupancy(sampleDelta);
      publisher.release(sampleRelease);
      publisher.alert(sampleAlert);
      publisher.flush();
      expect(emitted.map((e) => e.event)).toEqual(['occupancy', 'release', 'alert', 'batch']);
      const sends = liveOps.filter((op) => op.action === 'send').map(onlyMessage);
      for (const { event, payload } of emitted) {
        const msg = sends.find((m) => m.name === event);
        expect(msg).toBeDefined();
        expect([event, validate(msg!.payload, payload)]).toEqual([event, []]);
        expect(sorted(Object.keys(payload as Json))).toEqual(propertyNames(msg!.payload));
      }
      const snapshot = sends.find((m) => m.name === 'snapshot')!;
      expect(validate(snapshot.payload, sampleSnapshot)).toEqual([]);
    });

    it('takes join as {site, batch?} and leave as {site} with a site id, and acknowledges join', () => {
      const siteRequest = z.object({ site: idSchema }).strict(); // LiveGateway's request schemas
      const joinRequest = z.object({ site: idSchema, batch: z.boolean().optional() }).strict();
      const join = liveOps.find((op) => op.action === 'receive' && onlyMessage(op).name === 'join')!;
      const leave = liveOps.find((op) => op.action === 'receive' && onlyMessage(op).name === 'leave')!;
      expect(leave.reply).toBeUndefined();
      const requests: unknown[] = [
        { site: 'hq' },
        { site: 'site_2-b' },
        { site: 'x'.repeat(64) },
        { site: 'x'.repeat(65) },
        { site: '' },
        { site: 'h.q' },
        { site: 'h:q' },
        { site: 42 },
        { site: 'hq', extra: 1 },
        {},
        'hq',
        null,
      ];
      const joinRequests = [...requests, { site: 'hq', batch: true }, { site: 'hq', batch: 'yes' }];
      for (const [op, schema, cases] of [
        [join, joinRequest, joinRequests],
        [leave, siteRequest, [...requests, { site: 'hq', batch: true }]],
      ] as const)
        for (const request of cases)
          expect([request, accepts(onlyMessage(op).payload, request)]).toEqual([
            request,
            schema.safeParse(request).success,
          ]);

      expect(join.reply?.messages).toHaveLength(1);
      const ack = messageAt(join.reply!.messages[0].$ref).payload;
      for (const reply of sampleAcks) expect(validate(ack, reply)).toEqual([]);
      for (const wrong of [{ ok: false }, { ok: true, error: 'forbidden' }, { ok: 'yes' }, {}])
        expect([wrong, accepts(ack, wrong)]).toEqual([wrong, false]);
      const described = componentSchema('JoinAck').description ?? '';
      for (const code of JOIN_ERRORS) expect(described).toContain(`\`${code}\``);
    });
  });

  describe('webhooks', () => {
    const ops = operationsOn('webhook');

    it('POSTs each webhook event type with the Standard Webhooks headers', () => {
      expect(sorted(ops.map((o) => onlyMessage(o).name ?? ''))).toEqual(sorted(WEBHOOK_EVENT_TYPES));
      const headers = webhookHeaders(
        `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
        'rel_hq_bk-42',
        1772356501,
        '{}',
      );
      for (const op of ops) {
        const msg = onlyMessage(op);
        expect([msg.name, op.action, op.bindings?.http?.method]).toEqual([msg.name, 'send', 'POST']);
        expect(msg.headers).toEqual(msg.bindings?.http.headers);
        expect(docEnumValues(msg.payload, 'type')).toEqual([msg.name]);
        const headerSchema = msg.headers!;
        expect(requiredNames(headerSchema)).toEqual(sorted([...Object.keys(headers), 'content-type']));
        expect(validate(headerSchema, { ...headers, 'content-type': 'application/json' })).toEqual([]);
        expect(
          accepts(headerSchema, {
            ...headers,
            'content-type': 'application/json',
            'webhook-signature': 'abc',
          }),
        ).toBe(false);
      }
    });

    it('has a signed example per event type that verifies with the secret it names', () => {
      for (const op of ops) {
        const msg = onlyMessage(op);
        const secret = /whsec_[A-Za-z0-9+/=]+/.exec(msg.description ?? '')?.[0];
        expect([msg.name, secret]).toEqual([msg.name, expect.any(String)]);
        const example = msg.examples?.[0];
        expect(example?.headers).toBeDefined();
        const body = JSON.stringify(example!.payload);
        const nowS = Number(example!.headers!['webhook-timestamp']);
        expect([msg.name, verifyWebhook(secret!, example!.headers!, body, { nowS })]).toEqual([
          msg.name,
          true,
        ]);
        expect(verifyWebhook(secret!, example!.headers!, `${body} `, { nowS })).toBe(false);
      }
    });
  });
});
