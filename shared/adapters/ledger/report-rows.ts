import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReportRow } from '../../domain/reconcile/report';
import { LEDGER_JOB } from '../../table-definitions';
import { storeError } from '../aws-errors';
import type { JobItemExpiry } from './job-rows';
import type { Page } from './ledger-queries';

/** Reconcile report rows, in the ledger of the zone whose events they name. */
export const reportRows = (
  client: DynamoDBDocumentClient,
  tableOf: (zone: string) => string,
  expiresAt: JobItemExpiry,
) => ({
  /** Writes report rows (idempotent: a part that redoes a slice writes the same rows again). */
  async putReportRows(zone: string, reportId: string, rows: readonly ReportRow[], now: string): Promise<void> {
    const table = tableOf(zone);
    for (let i = 0; i < rows.length; i += 25) {
      let pending = rows.slice(i, i + 25).map((row) => ({
        PutRequest: {
          Item: {
            ...row,
            id: LEDGER_JOB.report(reportId),
            sk: LEDGER_JOB.reportRow(row.keyDigest, row.to),
            eventKey: row.id,
            kind: 'report-row',
            expiresAt: expiresAt(zone, now),
          },
        },
      }));
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt > 5)
          throw storeError(table, 'BatchWriteItem(report)', new Error(`${pending.length} rows unwritten`));
        try {
          const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
          pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
        } catch (error) {
          throw storeError(table, 'BatchWriteItem(report)', error);
        }
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  },

  /** One page of a report's rows in this zone. */
  async reportRows(zone: string, reportId: string, limit: number, page?: string): Promise<Page<ReportRow>> {
    const table = tableOf(zone);
    try {
      const out = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'id = :id',
          ExpressionAttributeValues: { ':id': LEDGER_JOB.report(reportId) },
          Limit: limit,
          ...(page ? { ExclusiveStartKey: JSON.parse(Buffer.from(page, 'base64url').toString('utf8')) } : {}),
        }),
      );
      const items = (out.Items ?? []).map((item) => {
        const { id: _pk, sk: _sk, kind: _kind, expiresAt: _exp, eventKey, ...row } = item;
        return { ...row, id: String(eventKey) } as ReportRow;
      });
      const next = out.LastEvaluatedKey
        ? Buffer.from(JSON.stringify(out.LastEvaluatedKey), 'utf8').toString('base64url')
        : undefined;
      return { items, ...(next ? { next } : {}) };
    } catch (error) {
      throw storeError(table, 'Query(report)', error);
    }
  },
});

export type ReportRows = ReturnType<typeof reportRows>;
