import { z } from 'zod';

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const BUS_NAME = /^[.\-_A-Za-z0-9]{1,256}$/;
// Units s, m, h, d; six digits are plenty (999999d) and keep the milliseconds a safe integer.
const DURATION = /^[1-9]\d{0,5}[smhd]$/;

const region = z.string().regex(REGION, 'must be an AWS region such as eu-west-1');
const name = z.string().regex(NAME, 'must be lowercase letters, digits and dashes (at most 63)');

// Which paths are allowed is checked when compiling, so the message can name the refused path.
const pathList = (max: number) =>
  z.array(z.string()).min(1, 'must name at least one path').max(max, `must name at most ${max} paths`);

const sourceSchema = z.strictObject({
  source: z.string().min(1).max(256),
  idempotencyKey: z
    .union([z.string(), pathList(8)], { error: 'must be a key path such as detail.orderId, or a list of key paths' })
    .optional()
    .describe('Path, or paths, of the idempotency key; when absent the EventBridge event id is used.'),
  dedupeWindow: z
    .string()
    .regex(DURATION, 'must be a duration such as 30m, 12h or 7d (a whole number and one of s, m, h, d)')
    .optional()
    .describe('How long a repeated key is dropped as a duplicate; at most the retention of the source.'),
  residency: name.describe('The residency zone every event of this source belongs to.'),
});

const targetSchema = z.strictObject({
  buses: z.record(region, z.string().regex(BUS_NAME, 'must be an EventBridge bus name')),
  failover: z.array(region).min(1),
});

const routeSchema = z.strictObject({
  name,
  tenant: name,
  pattern: z.record(z.string(), z.unknown()),
  targets: z.array(name).min(1).max(5),
  mode: z.enum(['local', 'fanout', 'pinned']),
  regions: z.array(region).min(1).optional(),
  fields: pathList(64).optional().describe('Allow-list of detail paths the targets receive; nothing else is sent.'),
  redact: pathList(64).optional().describe('Detail paths whose values the targets receive as sha256: digests.'),
});

/** The shape of a routes catalog document, before cross-reference checks. */
export const catalogSchema = z.strictObject({
  version: z.number().int().positive(),
  description: z.string().max(1024).optional(),
  zones: z.record(name, z.array(region).min(1)),
  tenants: z.record(
    name,
    z.strictObject({
      retentionDays: z.number().int().min(1, 'must be at least 1 day').optional(),
      sources: z.array(sourceSchema).min(1),
    }),
  ),
  targets: z.record(name, targetSchema),
  routes: z.array(routeSchema).min(1),
});

export type CatalogDocument = z.infer<typeof catalogSchema>;
export type RouteDocument = z.infer<typeof routeSchema>;
export type TargetDocument = z.infer<typeof targetSchema>;
export type SourceDocument = z.infer<typeof sourceSchema>;
export type TenantDocument = CatalogDocument['tenants'][string];
