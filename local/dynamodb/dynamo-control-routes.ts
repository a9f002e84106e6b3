import { z } from 'zod';
import { ControlRequestError, type ControlRoute } from '../control/route-table';
import { validateFaults, type FaultRegistry, type FaultService, type RegionFaults } from '../faults/fault-registry';
import type { DynamoMeter, MeterTotals } from './dynamo-meter';

const SERVICES: readonly FaultService[] = ['dynamodb', 'events'];
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

const regionFaultsSchema = z.strictObject({
  down: z.enum(['refuse', '503']).optional(),
  slowMs: z.number().int().min(0).max(60_000).optional(),
  throttleRate: z.number().min(0).max(1).optional(),
  internalFailureRate: z.number().min(0).max(1).optional(),
  lostResponseRate: z.number().min(0).max(1).optional(),
  table: z.string().min(1).optional(),
  operation: z.string().min(1).optional(),
  bus: z.string().min(1).optional(),
  remaining: z.number().int().positive().optional(),
});

/** Reads `:service` and `:region`, rejecting anything the registry would silently never match. */
const parseTarget = (params: Record<string, string>): { service: FaultService; region: string } => {
  const service = SERVICES.find((known) => known === params.service);
  if (!service) throw new ControlRequestError(`service must be one of ${SERVICES.join(', ')}, got "${params.service}"`);
  const region = params.region ?? '';
  if (!REGION.test(region)) throw new ControlRequestError(`region must look like us-east-1, got "${region}"`);
  return { service, region };
};

/** Validates a PUT body as RegionFaults, naming every offending field in one message. */
const parseFaults = (body: unknown): RegionFaults => {
  const parsed = regionFaultsSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
    throw new ControlRequestError(`invalid faults: ${problems.join('; ')}`);
  }
  validateFaults(parsed.data);
  return parsed.data;
};

const totalsByRegion = (meter: DynamoMeter): Record<string, MeterTotals> => {
  const regions = [...new Set(meter.snapshot().map((row) => row.region))];
  return Object.fromEntries(regions.map((region) => [region, meter.totals({ region })]));
};

/** Control API routes for injected faults (both services share the registry) and DynamoDB metering. */
export const dynamoControlRoutes = ({
  faults,
  meter,
}: {
  faults: FaultRegistry;
  meter: DynamoMeter;
}): ControlRoute[] => [
  {
    method: 'GET',
    path: '/faults',
    description: 'Lists the faults injected into every service and region.',
    handle: () => ({ body: { faults: faults.list() } }),
  },
  {
    method: 'PUT',
    path: '/faults/:service/:region',
    description:
      'Replaces the faults of one service (dynamodb | events) in one region; body is RegionFaults ' +
      '(down, slowMs, throttleRate, internalFailureRate, lostResponseRate, narrowed by table | operation | bus, ' +
      'remaining), {} heals. Events faults narrowed to a bus are kept per bus, so several buses can be down at once.',
    handle: ({ params, body }) => {
      const { service, region } = parseTarget(params);
      const regionFaults = parseFaults(body);
      faults.set(service, region, regionFaults);
      return { body: { service, region, faults: regionFaults } };
    },
  },
  {
    method: 'DELETE',
    path: '/faults/:service/:region',
    description: 'Heals one service in one region.',
    handle: ({ params }) => {
      const { service, region } = parseTarget(params);
      faults.clear(service, region);
      return { body: { cleared: { service, region } } };
    },
  },
  {
    method: 'DELETE',
    path: '/faults',
    description: 'Heals every service in every region.',
    handle: () => {
      faults.clear();
      return { body: { cleared: 'all' } };
    },
  },
  {
    method: 'GET',
    path: '/metering',
    description: 'DynamoDB requests and consumed capacity per region, table and operation, with totals per region.',
    handle: () => ({
      body: { rows: meter.snapshot(), totals: { all: meter.totals(), byRegion: totalsByRegion(meter) } },
    }),
  },
  {
    method: 'DELETE',
    path: '/metering',
    description: 'Resets the DynamoDB meter.',
    handle: () => {
      meter.reset();
      return { body: { reset: true } };
    },
  },
];
