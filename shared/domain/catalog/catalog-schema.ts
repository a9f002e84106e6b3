import { z } from 'zod';

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const BUS_NAME = /^[.\-_A-Za-z0-9]{1,256}$/;
const KEY_PATH = /^(detail|source|detail-type|id|resources)(\.[^.\s]+)*$/;

const region = z.string().regex(REGION, 'must be an AWS region such as eu-west-1');
const name = z.string().regex(NAME, 'must be lowercase letters, digits and dashes (at most 63)');

const sourceSchema = z.strictObject({
  source: z.string().min(1).max(256),
  idempotencyKey: z
    .string()
    .regex(KEY_PATH, 'must be a dotted path into the event such as detail.orderId')
    .optional()
    .describe('Path of the idempotency key; when absent the EventBridge event id is used.'),
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
});

/** The shape of a routes catalog document, before cross-reference checks. */
export const catalogSchema = z.strictObject({
  version: z.number().int().positive(),
  description: z.string().max(1024).optional(),
  zones: z.record(name, z.array(region).min(1)),
  tenants: z.record(name, z.strictObject({ sources: z.array(sourceSchema).min(1) })),
  targets: z.record(name, targetSchema),
  routes: z.array(routeSchema).min(1),
});

export type CatalogDocument = z.infer<typeof catalogSchema>;
export type RouteDocument = z.infer<typeof routeSchema>;
export type TargetDocument = z.infer<typeof targetSchema>;
export type SourceDocument = z.infer<typeof sourceSchema>;
