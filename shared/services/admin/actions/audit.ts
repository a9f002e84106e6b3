import { z } from 'zod';
import { defineAction } from '../registry';

export const auditList = defineAction({
  name: 'audit.list',
  description: 'Lists the audit log of admin calls for one UTC day (newest first), with the caller of each.',
  mutates: false,
  request: z.strictObject({
    day: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a UTC day such as 2026-11-30')
      .optional(),
    limit: z.number().int().min(1).max(1000).default(100),
  }),
  async run(request, deps) {
    const day = request.day ?? deps.now().toISOString().slice(0, 10);
    return { day, entries: await deps.control.listAudit(day, request.limit) };
  },
});
