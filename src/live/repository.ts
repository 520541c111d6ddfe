// Live assist's tables: the journal of each live call's inputs (journal.ts), one row an input,
// written as the input is taken and deleted when the call ends.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { JournalEntry, LiveJournal } from './journal.ts';

export class SqlLiveJournal implements LiveJournal {
  constructor(private readonly db: Kysely<DB>) {}

  async append(callId: string, n: number, entry: JournalEntry): Promise<void> {
    await this.db
      .insertInto('live_inputs')
      .values({ call_id: callId, n, data: JSON.stringify(entry) })
      .execute();
  }

  async drop(callId: string): Promise<void> {
    await this.db.deleteFrom('live_inputs').where('call_id', '=', callId).execute();
  }

  async load(): Promise<Map<string, JournalEntry[]>> {
    const rows = await this.db
      .selectFrom('live_inputs')
      .select(['call_id', 'data'])
      .orderBy('call_id')
      .orderBy('n')
      .execute();
    const out = new Map<string, JournalEntry[]>();
    for (const r of rows) {
      let list = out.get(r.call_id);
      if (!list) {
        list = [];
        out.set(r.call_id, list);
      }
      list.push(JSON.parse(r.data) as JournalEntry);
    }
    return out;
  }
}
