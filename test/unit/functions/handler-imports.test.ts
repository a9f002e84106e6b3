import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../../stages/lib/deployment-settings';

// Every function the stage deploys.
const HANDLERS = FUNCTIONS;

describe('handler modules', () => {
  it.each(HANDLERS)(
    '%s can be imported with an empty environment: its dependencies are built at the first invocation',
    async (name) => {
      // Prepare: nothing the function needs is set.
      const saved = { ...process.env };
      for (const variable of ['STAGE', 'AWS_REGION', 'STAGE_REGIONS']) delete process.env[variable];
      try {
        // Act
        const module = (await import(`../../../functions/${name}/handler`)) as {
          handler: unknown;
          createHandler: unknown;
        };
        // Assess
        expect(typeof module.handler).toBe('function');
        expect(typeof module.createHandler).toBe('function');
      } finally {
        process.env = saved;
      }
    },
  );
});
