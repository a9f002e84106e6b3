import { RouterHarness } from './local/harness/router-harness';
const main = async () => {
  const h = await RouterHarness.start();
  try {
    h.rc.cloud.dynamodb.meter.reset();
    const t0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 10000));
    const cpu = process.cpuUsage(t0);
    const rows = h.rc.cloud.dynamodb.meter.snapshot();
    const byOp = new Map<string, number>();
    for (const r of rows) byOp.set(`${r.operation} ${r.table.replace('switchyard-local-','')}`, (byOp.get(`${r.operation} ${r.table.replace('switchyard-local-','')}`) ?? 0) + r.requests);
    console.log('requests/10s', rows.reduce((n, r) => n + r.requests, 0), 'node cpu s', (cpu.user + cpu.system) / 1e6);
    console.log([...byOp].sort((a, b) => b[1] - a[1]).slice(0, 25));
  } finally { await h.stop(); }
};
main().catch((e) => { console.error(e); process.exit(1); });
