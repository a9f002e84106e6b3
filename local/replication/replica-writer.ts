import {
  DeleteItemCommand,
  PutItemCommand,
  type AttributeValue as SdkAttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from 'aws-lambda';
import { isConditionalCheckFailed } from '../../shared/adapters/aws-errors';
import { toLambdaImage } from '../dynamodb-streams/stream-record';
import { heldImageCondition } from './held-image';
import { canonicalImage, toSdkImage, type ItemImage, type ItemVersion } from './item-version';

/**
 * What writing a version into a region did: `changed` (a stream record follows), `unchanged` (the
 * item already held it), or `refused` because the item was not the image expected: the region holds
 * a write the replicator has not read (`refused` is what it holds).
 */
export type ReplicaWriteOutcome = 'changed' | 'unchanged' | { refused: ItemImage };

interface PendingEcho {
  content: string;
  version: ItemVersion;
}

/**
 * Writes replicated versions into one region (one item at a time, items in parallel), and remembers what it wrote so the
 * stream records those writes cause are recognised as echoes rather than new local writes.
 */
export class ReplicaWriter {
  private readonly echoes = new Map<string, PendingEcho[]>();
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    readonly region: string,
    private readonly client: DynamoDBClient,
  ) {}

  /** Runs writes of one item in this region one after another, so a check-then-write cannot interleave; other items run in parallel. */
  serially<T>(item: string, task: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(item) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.catch(() => undefined);
    this.chains.set(item, settled);
    void settled.then(() => {
      if (this.chains.get(item) === settled) this.chains.delete(item);
    });
    return run;
  }

  /**
   * Writes `version` (a put of its image, or a delete) if the item still is `held`, the image the
   * replicator last knew there. DynamoDB writes no stream record for a write that changes nothing,
   * so `unchanged` tells the caller no echo will come.
   */
  async write(
    tableName: string,
    keyId: string,
    keys: Record<string, AttributeValue>,
    version: ItemVersion,
    held: ItemImage,
  ): Promise<ReplicaWriteOutcome> {
    const id = `${tableName}|${keyId}`;
    const echo: PendingEcho = { content: canonicalImage(version.image), version };
    // Registered before writing: the stream record can be read before the write call returns.
    this.echoes.set(id, [...(this.echoes.get(id) ?? []), echo]);
    const condition = { ...heldImageCondition(keys, held), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const };
    try {
      const out = version.image
        ? await this.client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: toSdkImage(version.image),
              ReturnValues: 'ALL_OLD',
              ...condition,
            }),
          )
        : await this.client.send(
            new DeleteItemCommand({
              TableName: tableName,
              Key: toSdkImage(keys),
              ReturnValues: 'ALL_OLD',
              ...condition,
            }),
          );
      const changed = canonicalImage(out.Attributes ? toLambdaImage(out.Attributes) : null) !== echo.content;
      if (!changed) this.forget(id, echo);
      return changed ? 'changed' : 'unchanged';
    } catch (error) {
      this.forget(id, echo);
      if (isConditionalCheckFailed(error)) {
        const current = (error as { Item?: Record<string, SdkAttributeValue> }).Item;
        return { refused: current ? toLambdaImage(current) : null };
      }
      throw error;
    }
  }

  /** The last version this writer wrote into the item whose stream record is still unread: what the item holds, as far as it knows. */
  lastUnread(tableName: string, keyId: string): ItemVersion | undefined {
    return this.echoes.get(`${tableName}|${keyId}`)?.at(-1)?.version;
  }

  /** The version this writer applied that produced a stream record with this content, if any. */
  takeEcho(tableName: string, keyId: string, content: string): ItemVersion | undefined {
    const id = `${tableName}|${keyId}`;
    const match = this.echoes.get(id)?.find((echo) => echo.content === content);
    if (!match) return undefined;
    this.forget(id, match);
    return match.version;
  }

  /** Whether this writer wrote `version` of the item and its stream record has not been read yet. */
  awaitsEcho(tableName: string, keyId: string, version: ItemVersion): boolean {
    return this.echoes.get(`${tableName}|${keyId}`)?.some((echo) => echo.version === version) ?? false;
  }

  get pendingEchoes(): number {
    let count = 0;
    for (const list of this.echoes.values()) count += list.length;
    return count;
  }

  private forget(id: string, echo: PendingEcho): void {
    const rest = (this.echoes.get(id) ?? []).filter((e) => e !== echo);
    if (rest.length > 0) this.echoes.set(id, rest);
    else this.echoes.delete(id);
  }
}
