// The users the ticket rules look at, read through the repository in the caller's transaction:
// who may own a ticket (workflow.ts WorkerLookup), whom a complaint is about, whether a user
// named in a request exists.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import * as repo from './repository.ts';
import type { Worker, WorkerLookup } from './workflow.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** The injected view of the users the ticket rules look at (workflow.ts WorkerLookup). */
export async function workerLookup(
  db: Db,
  ids: readonly (string | null | undefined)[],
): Promise<WorkerLookup> {
  const found = new Map<string, Worker>();
  for (const id of new Set(ids)) {
    if (!id) continue;
    const u = await repo.findActiveUser(db, id);
    if (u) found.set(id, { id: u.id, role: u.role, agentNumber: u.agentNumber, brand: u.brand });
  }
  return (id) => found.get(id);
}

/**
 * A validation error (at `path`) unless `id` is an active user; with `brand` (the ticket's), one
 * whose account is not limited to another brand (they could not see the ticket).
 */
export async function requireUser(db: Db, id: string, path: string, brand?: string): Promise<void> {
  const u = await repo.findActiveUser(db, id);
  if (!u)
    throw new AppError('validation', { zh: `没有在用的用户“${id}”`, en: `no active user '${id}'` }, [
      { path, message: 'no such active user', zh: '没有这个在用的用户' },
    ]);
  if (brand !== undefined && u.brand !== null && u.brand !== brand)
    throw new AppError(
      'validation',
      {
        zh: `用户“${id}”的账号只处理品牌“${u.brand}”的工单，这张工单属于品牌“${brand}”；请选择品牌“${brand}”或不限品牌的人员`,
        en: `user '${id}' works only on the tickets of brand '${u.brand}' and this ticket is of brand '${brand}': choose someone of brand '${brand}' or of every brand`,
      },
      [
        {
          path,
          message: `works only on brand '${u.brand}'; the ticket is of '${brand}'`,
          zh: `只处理品牌“${u.brand}”；工单属于“${brand}”`,
        },
      ],
    );
}

/**
 * Whom a complaint is about: the 工号 and user given, else nobody. Never the agent of the call it
 * comes from by default: a caller complains to the agent on the line about a product, the
 * service or another colleague far more often than about that agent (seed 002 二.(六)/(七): the
 * agent records the complaint), so whoever opens it says whom it is about. The user is found by
 * the 工号 when exactly one active user of the complaint's brand (or of every brand) has it: a
 * 工号 is unique per brand only. A user limited to another brand is no one a complaint of this
 * brand is about (400).
 */
export async function complaintSubject(
  db: Db,
  d: { aboutAgentNumber?: string; aboutUserId?: string },
  brand: string,
): Promise<{ aboutAgentNumber?: string; aboutUserId?: string }> {
  let number = d.aboutAgentNumber;
  let userId = d.aboutUserId;
  if (userId !== undefined) {
    const u = await repo.findActiveUser(db, userId);
    if (!u)
      throw new AppError(
        'validation',
        {
          zh: `被投诉人“${userId}”不是有效用户`,
          en: `no active user '${userId}' for the complaint to be about`,
        },
        [{ path: 'body.aboutUserId', message: 'no such active user', zh: '没有这个有效用户' }],
      );
    if (u.brand !== null && u.brand !== brand)
      throw new AppError(
        'validation',
        {
          zh: `用户“${userId}”的账号只属于品牌“${u.brand}”，品牌“${brand}”的投诉不能针对其；请选择品牌“${brand}”或不限品牌的人员，或只填工号`,
          en: `user '${userId}' works only for brand '${u.brand}': a complaint of brand '${brand}' is about someone of '${brand}' or of every brand; choose one, or give the 工号 only`,
        },
        [
          {
            path: 'body.aboutUserId',
            message: `works only for brand '${u.brand}'; the complaint is of '${brand}'`,
            zh: `只属于品牌“${u.brand}”；投诉属于“${brand}”`,
          },
        ],
      );
    if (number !== undefined && u.agentNumber !== null && u.agentNumber !== number)
      throw new AppError(
        'validation',
        {
          zh: `用户“${userId}”的工号是 ${u.agentNumber}，不是 ${number}；请只填其中一个，或填一致的两个`,
          en: `user '${userId}' has 工号 ${u.agentNumber}, not ${number}; send one of them, or both matching`,
        },
        [
          {
            path: 'body.aboutAgentNumber',
            message: `user '${userId}' has 工号 ${u.agentNumber}`,
            zh: `用户“${userId}”的工号是 ${u.agentNumber}`,
          },
        ],
      );
    number ??= u.agentNumber ?? undefined;
  }
  if (number !== undefined && userId === undefined) {
    const ids = await repo.activeUserIdsWithAgentNumber(db, number, brand);
    if (ids.length === 1) userId = ids[0];
  }
  return {
    ...(number !== undefined ? { aboutAgentNumber: number } : {}),
    ...(userId !== undefined ? { aboutUserId: userId } : {}),
  };
}
