import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSdkCallGraph } from './helpers/sdk-calls';
import { ROOT } from './helpers/packaged-stage';

const FIXTURE = path.join('test', 'package', 'fixtures', 'sdk-calls');
const handlers = ['reader', 'publisher', 'tagger'].map((name) => path.join(FIXTURE, 'functions', `${name}.ts`));
const [reader = '', publisher = '', tagger = ''] = handlers;
const graph = createSdkCallGraph(ROOT, handlers);
const commandsOf = (handler: string) =>
  graph
    .callsFrom(handler)
    .map(
      (call) =>
        `${call.sdkPackage} ${call.command}${call.transactItems ? ` [${call.transactItems.join(',')}]` : ''}${call.usesIndex ? ' (index)' : ''}`,
    )
    .sort();
const tags = (name: string) => `${path.join(FIXTURE, 'adapters', 'tags-table.ts')}:${name}`;

describe('SDK call analysis (the basis of the IAM assertions)', () => {
  it('counts only the adapter methods a handler reaches through the interface, and callbacks passed as values', () => {
    expect(commandsOf(reader)).toEqual(['client-eventbridge PutEvents', 'lib-dynamodb Get']);
  });

  it('reads the item kinds of a transaction, including items built by a helper', () => {
    expect(commandsOf(publisher)).toEqual(['lib-dynamodb TransactWrite [ConditionCheck,Put]']);
  });

  it('names the file that constructs each command, which decides the table', () => {
    expect(graph.callsFrom(publisher).map((call) => call.file)).toEqual([
      path.join(FIXTURE, 'adapters', 'notes-table.ts'),
    ]);
  });

  it('follows inferred adapter types, spread members, destructured deps and shorthand members, and skips what is never called', () => {
    expect(commandsOf(tagger)).toEqual(['lib-dynamodb Put', 'lib-dynamodb Query (index)']);
  });

  it('reports the adapter members reached and the constants read on the way', () => {
    const reach = graph.reachFrom(tagger);

    expect([...reach.members].filter((m) => m.includes('tags-table')).sort()).toEqual([tags('byOwner'), tags('tag')]);
    expect([...reach.constants].filter((c) => c.startsWith('TAG_INDEX'))).toEqual(['TAG_INDEX.byOwner']);
  });

  it('resolves what a factory exposes through its declared type, and what one member reaches on its own', () => {
    expect(graph.membersReturnedBy(`${tagger}:peer`)).toEqual([tags('byOwner')]);
    expect(graph.reachFromMember(tags('untag')).calls.map((c) => c.command)).toEqual(['Delete']);
  });
});
