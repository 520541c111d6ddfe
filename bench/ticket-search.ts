// The ticket list searched by words (`q`) over a large table, both engines: how long a page
// takes for a word found in few tickets, in many, in none, a customer's surname and part of
// a number; and how long migration 2026120520 takes to give every stored ticket its search
// text. A search is a scan of `search_text` (LIKE '%…%': no index serves a substring), so its
// cost grows with the table; this says by how much.
//
//   npx tsx bench/ticket-search.ts [tickets=100000] [customers=20000]
// PostgreSQL: HUASHU_TEST_DATABASE_URL (default postgres://root@127.0.0.1:5432/test), a fresh
// schema dropped afterwards. One run on a 2-core machine shared with other jobs: compare the
// rows within a run.
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { backfillSearchText } from '../src/db/migrations/2026120520_ticket_search.ts';
import { parseTicketSearch } from '../src/tickets/search.ts';
import { shippedCatalog, signInAs, testApp } from '../test/support/app.ts';
import { ENGINES } from '../test/support/store.ts';
import { client, complaintBody } from '../test/tickets/support.ts';

const TICKETS = Number(process.argv[2] ?? 100_000);
const CUSTOMERS = Number(process.argv[3] ?? 20_000);
const SURNAMES = ['王', '李', '張', '刘', '陈', '杨', '黄', '趙', '吴', '周'];
const WORDS = [
  '理赔进度太慢',
  '座席态度差',
  '保单信息有误',
  '续保提醒',
  '退費投訴',
  '电话打不通',
  '短信太多',
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

for (const engine of ENGINES) {
  shippedCatalog();
  const t = await testApp(engine);
  const desk = client(t, await signInAs(t, 'complaint-desk'));
  const model = await desk.ok('/api/tickets', complaintBody());
  const row = await t.store.db
    .selectFrom('tickets')
    .selectAll()
    .where('id', '=', model.id)
    .executeTakeFirstOrThrow();
  const fill = performance.now();
  for (let i = 0; i < TICKETS; i += 500) {
    const batch = Array.from({ length: Math.min(500, TICKETS - i) }, (_, j) => {
      const n = i + j;
      const subject = `${WORDS[n % WORDS.length]} ${n}`;
      const phone = `139${String(n % CUSTOMERS).padStart(8, '0')}`;
      const data = JSON.parse(row.data);
      Object.assign(data, {
        id: `b${String(n).padStart(7, '0')}`,
        subject,
        customerPhone: phone,
        number: null,
      });
      // The rare word: in one ticket in 10,000.
      data.description = n % 10_000 === 7 ? '客户说上次的退费一直没到账' : '客户来电反映问题';
      return {
        ...row,
        id: data.id,
        subject,
        customer_phone: phone,
        number: null,
        data: JSON.stringify(data),
        search_text: null,
        created_at: new Date(Date.parse(row.created_at) - n * 60_000).toISOString(),
      };
    });
    await t.store.db.insertInto('tickets').values(batch).execute();
  }
  for (let i = 0; i < CUSTOMERS; i += 500)
    await t.store.db
      .insertInto('customers')
      .values(
        Array.from({ length: Math.min(500, CUSTOMERS - i) }, (_, j) => {
          const n = i + j;
          const surname = SURNAMES[n % SURNAMES.length] as string;
          return {
            id: `c${n}`,
            phone: `139${String(n).padStart(8, '0')}`,
            surname,
            surname_key: surname.replace('張', '张').replace('趙', '赵'),
            title: n % 2 ? '先生' : '女士',
            notes: '',
            created_at: row.created_at,
            updated_at: row.created_at,
            version: 1,
          };
        }),
      )
      .execute();
  const filled = performance.now() - fill;
  const migrate = performance.now();
  await backfillSearchText(t.store.db);
  const migrated = performance.now() - migrate;
  if (engine === 'postgres') await sql`analyze`.execute(t.store.db);

  const service = t.app.services.tickets;
  const actor = { userId: null, ip: null, role: 'complaint-desk' as const };
  console.log(
    `\n${engine}: ${TICKETS} tickets, ${CUSTOMERS} customers (filled in ${(filled / 1000).toFixed(1)} s); migration backfill ${(migrated / 1000).toFixed(1)} s; load ${loadavg()[0]?.toFixed(1)}`,
  );
  console.log('| search | matches | first page p50 | second page (after) p50 |');
  console.log('|---|---|---|---|');
  for (const q of ['退费', '座席态度', '到账', '不存在的词', '陈女士', '0013', '13900001234']) {
    const parsed = parseTicketSearch(q);
    if (!parsed.ok) throw new Error(q);
    const first: number[] = [];
    const second: number[] = [];
    let total = 0;
    for (let k = 0; k < 5; k++) {
      let at = performance.now();
      const page = await service.list({ search: parsed.terms }, { limit: 20, offset: 0 }, actor);
      first.push(performance.now() - at);
      total = page.total;
      if (page.next) {
        at = performance.now();
        const { decodeTicketCursor } = await import('../src/tickets/cursor.ts');
        const after = decodeTicketCursor(page.next);
        if (after) await service.list({ search: parsed.terms }, { limit: 20, offset: 0, after }, actor);
        second.push(performance.now() - at);
      }
    }
    console.log(
      `| ${q} | ${total}${total > 10_000 ? ' (estimate)' : ''} | ${median(first).toFixed(0)} ms | ${second.length ? `${median(second).toFixed(0)} ms` : '—'} |`,
    );
  }
  await t.close();
}
