import type { TableCapacity } from './consumed-capacity';

/** Counters for one (region, table, operation). `table` is '' for operations that name no table. */
export interface MeterRow {
  region: string;
  table: string;
  operation: string;
  requests: number;
  readCapacityUnits: number;
  writeCapacityUnits: number;
  errors: number;
}

export type MeterTotals = Pick<MeterRow, 'requests' | 'readCapacityUnits' | 'writeCapacityUnits' | 'errors'>;

export type MeterFilter = Partial<Pick<MeterRow, 'region' | 'table' | 'operation'>>;

/** One request as the proxy saw it, ready to be counted. */
export interface MeteredCall {
  region: string;
  operation: string;
  tables: readonly string[];
  capacity?: ReadonlyMap<string, TableCapacity>;
  error: boolean;
}

/**
 * Counts DynamoDB requests and consumed capacity per region, table and operation.
 * A request naming several tables (BatchWriteItem, TransactWriteItems) counts once on each
 * table's row, so summing `requests` over tables can exceed the number of HTTP requests.
 */
export class DynamoMeter {
  private readonly rows = new Map<string, MeterRow>();

  /** Counts one request, and the capacity it consumed on each table. */
  record(call: MeteredCall): void {
    const tables = call.tables.length > 0 ? call.tables : [''];
    for (const table of tables) {
      const row = this.row(call.region, table, call.operation);
      row.requests += 1;
      if (call.error) row.errors += 1;
    }
    for (const [table, units] of call.capacity ?? []) {
      const row = this.row(call.region, table, call.operation);
      row.readCapacityUnits += units.readCapacityUnits;
      row.writeCapacityUnits += units.writeCapacityUnits;
    }
  }

  /** A copy of every row, sorted by region, table and operation. */
  snapshot(): MeterRow[] {
    const order = (row: MeterRow): string => `${row.region}\u0000${row.table}\u0000${row.operation}`;
    return [...this.rows.values()].map((row) => ({ ...row })).sort((a, b) => order(a).localeCompare(order(b)));
  }

  /** Sums the rows that match every field given in the filter. */
  totals(filter: MeterFilter = {}): MeterTotals {
    const totals: MeterTotals = { requests: 0, readCapacityUnits: 0, writeCapacityUnits: 0, errors: 0 };
    for (const row of this.rows.values()) {
      if (filter.region !== undefined && row.region !== filter.region) continue;
      if (filter.table !== undefined && row.table !== filter.table) continue;
      if (filter.operation !== undefined && row.operation !== filter.operation) continue;
      totals.requests += row.requests;
      totals.readCapacityUnits += row.readCapacityUnits;
      totals.writeCapacityUnits += row.writeCapacityUnits;
      totals.errors += row.errors;
    }
    return totals;
  }

  /** Forgets every count. */
  reset(): void {
    this.rows.clear();
  }

  private row(region: string, table: string, operation: string): MeterRow {
    const key = `${region}\u0000${table}\u0000${operation}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { region, table, operation, requests: 0, readCapacityUnits: 0, writeCapacityUnits: 0, errors: 0 };
      this.rows.set(key, row);
    }
    return row;
  }
}
