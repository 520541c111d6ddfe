// The cursor of a ticket list page (`next`, sent back as `after`): where the last ticket of
// the page stands in the list's order, so the next page starts right after it (keyset
// pagination: an index seek, however deep the page, and no ticket skipped or repeated when
// new ones arrive meanwhile). Opaque to clients: base64url of a small JSON array. Pure.
/** The sort key of the last ticket of a page, for the sort the page was listed in. */
export type TicketCursor =
  | { sort: 'created'; createdAt: string; id: string }
  | { sort: 'deadline'; deadline: string | null; createdAt: string; id: string };

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeTicketCursor(c: TicketCursor): string {
  const key = c.sort === 'created' ? ['c', c.createdAt, c.id] : ['d', c.deadline, c.createdAt, c.id];
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The cursor a string encodes, or undefined when it is not one of ours. */
export function decodeTicketCursor(s: string): TicketCursor | undefined {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(key)) return undefined;
  const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 100;
  const isInstant = (v: unknown): v is string => typeof v === 'string' && INSTANT.test(v);
  if (key[0] === 'c' && key.length === 3 && isInstant(key[1]) && isId(key[2]))
    return { sort: 'created', createdAt: key[1], id: key[2] };
  if (
    key[0] === 'd' &&
    key.length === 4 &&
    (key[1] === null || isInstant(key[1])) &&
    isInstant(key[2]) &&
    isId(key[3])
  )
    return { sort: 'deadline', deadline: key[1], createdAt: key[2], id: key[3] };
  return undefined;
}
