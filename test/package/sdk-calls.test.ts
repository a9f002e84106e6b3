import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSdkCallGraph } from './helpers/sdk-calls';
import { ROOT } from './helpers/packaged-stage';

const FIXTURE = path.join('test', 'package', 'fixtures', 'sdk-calls');
const handlers = ['reader', 'publisher'].map((name) => path.join(FIXTURE, 'functions', `${name}.ts`));
const graph = createSdkCallGraph(ROOT, handlers);
const commandsOf = (handler: string) =>
  graph
    .callsFrom(handler)
    .map(
      (call) => `${call.sdkPackage} ${call.command}${call.transactItems ? ` [${call.transactItems.join(',')}]` : ''}`,
    )
    .sort();

describe('SDK call analysis (the basis of the IAM assertions)', () => {
  it('counts only the adapter methods a handler reaches through the interface, and callbacks passed as values', () => {
    expect(commandsOf(handlers[0] ?? '')).toEqual(['client-eventbridge PutEvents', 'lib-dynamodb Get']);
  });

  it('reads the item kinds of a transaction, including items built by a helper', () => {
    expect(commandsOf(handlers[1] ?? '')).toEqual(['lib-dynamodb TransactWrite [ConditionCheck,Put]']);
  });

  it('names the file that constructs each command, which decides the table', () => {
    expect(graph.callsFrom(handlers[1] ?? '').map((call) => call.file)).toEqual([
      path.join(FIXTURE, 'adapters', 'notes-table.ts'),
    ]);
  });
});
