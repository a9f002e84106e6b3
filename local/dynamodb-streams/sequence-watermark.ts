/**
 * DynamoDB Local numbers the stream records of one database (here, one region) in a single
 * sequence, and answers GetRecords by walking that sequence from the iterator's position until it
 * finds records of the shard asked for. A quiet shard's poll therefore reads every record the
 * region wrote since that shard's last one, every other table's included: with tens of thousands
 * of them (a replay of 10,000 deliveries writes two ledger rows each), the polls of the quiet
 * shards take the engine's one SQLite thread and everything else waits. AWS has no such cost.
 *
 * The watermark is the highest sequence number any reader of the region has been handed. Every
 * record up to it was committed before it was handed out, so a read sent afterwards that comes
 * back empty proves its shard holds nothing up to the watermark, and the reader may move its
 * iterator past it (see shard-loop). One watermark per engine database: a reader given another
 * database's watermark could skip its own records.
 */
export interface SequenceWatermark {
  /** The highest sequence number handed to any reader so far, if any. */
  highest(): bigint | undefined;
  /** Records a sequence number a GetRecords answer carried. */
  observe(sequenceNumber: string): void;
}

/** A watermark for one engine database. */
export const createSequenceWatermark = (): SequenceWatermark => {
  let highest: bigint | undefined;
  return {
    highest: () => highest,
    observe: (sequenceNumber) => {
      if (!/^\d+$/.test(sequenceNumber)) return;
      const value = BigInt(sequenceNumber);
      if (highest === undefined || value > highest) highest = value;
    },
  };
};

/** One watermark per region, for the readers of one local cloud's engine (one database per region). */
export class RegionWatermarks {
  private readonly byRegion = new Map<string, SequenceWatermark>();

  of(region: string): SequenceWatermark {
    const existing = this.byRegion.get(region);
    if (existing) return existing;
    const created = createSequenceWatermark();
    this.byRegion.set(region, created);
    return created;
  }
}

/**
 * The sequence number a DynamoDB Local shard iterator reads from next, or undefined for any other
 * shape. The engine writes `<stream ARN>|001|<base64 of "<shard id>|<number>|<time>">`
 * (its ShardIterator class); only a number found exactly there is trusted.
 */
export const iteratorPosition = (iterator: string): bigint | undefined => {
  const parts = iterator.split('|');
  const serial = parts.indexOf('001');
  const encoded = serial >= 0 ? parts[serial + 1] : undefined;
  if (!encoded || !/^[A-Za-z0-9+/]+=*$/.test(encoded)) return undefined;
  const fields = Buffer.from(encoded, 'base64').toString('utf8').split('|');
  const position = fields[1];
  return fields.length === 3 && position && /^\d+$/.test(position) ? BigInt(position) : undefined;
};
