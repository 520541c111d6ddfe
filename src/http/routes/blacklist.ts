// The blacklist (黑名单) over HTTP. Supervisors and admins manage it; an agent lists the number
// of a harassment call in one step (`callId`). Removal keeps the entry with who and why.
import { z } from 'zod';
import type { Services } from '../../app/application.ts';
import { BLACKLIST_STATUSES } from '../../blacklist/model.ts';
import { phoneFilterSchema, phoneSchema } from '../../customers/schemas.ts';
import { ALL_ROLES, principalOf, SUPERVISORS } from '../access.ts';
import { type Api, errorResponses, instantSchema, page, pageQuery } from '../schemas.ts';

export const blacklistEntrySchema = z
  .object({
    id: z.string(),
    phone: z.string(),
    reason: z.string(),
    addedBy: z.string().nullable(),
    addedAt: z.string(),
    expiresAt: z.string().nullable(),
    callId: z.string().nullable(),
    removedAt: z.string().nullable(),
    removedBy: z.string().nullable(),
    removalReason: z.string().nullable(),
    status: z.enum(BLACKLIST_STATUSES).meta({ id: 'BlacklistStatus' }),
  })
  .meta({ id: 'BlacklistEntry' });

export async function blacklistRoutes(app: Api, services: Pick<Services, 'blacklist'>): Promise<void> {
  const { blacklist } = services;

  app.get(
    '/api/blacklist',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['blacklist'],
        summary: 'Blacklist entries, newest first; by number (or 尾号) and status (active, expired, removed)',
        querystring: z.object({
          phone: phoneFilterSchema.optional(),
          status: z.enum(BLACKLIST_STATUSES).optional(),
          ...pageQuery,
        }),
        response: { 200: page(blacklistEntrySchema), ...errorResponses },
      },
    },
    async (request) => {
      const { phone, status, limit, offset } = request.query;
      const r = await blacklist.list(
        { ...(phone ? { phone } : {}), ...(status ? { status } : {}) },
        { limit, offset },
      );
      return { items: r.items.map((e) => blacklist.view(e)), total: r.total, limit, offset };
    },
  );

  app.get(
    '/api/blacklist/check',
    {
      config: { access: ALL_ROLES },
      schema: {
        tags: ['blacklist'],
        summary: 'Whether a number is refused now (the CTI ring event answers this too)',
        querystring: z.object({ phone: phoneSchema }),
        response: {
          200: z.object({ blacklisted: z.boolean(), entry: blacklistEntrySchema.nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const e = await blacklist.check(request.query.phone);
      return { blacklisted: e !== null, entry: e ? blacklist.view(e) : null };
    },
  );

  app.post(
    '/api/blacklist',
    {
      config: { access: ['agent', ...SUPERVISORS] },
      schema: {
        tags: ['blacklist'],
        summary:
          'List a number: by hand (supervisors, admins: phone and reason), or in one step from a harassment call (callId; agents: their own calls)',
        body: z
          .strictObject({
            phone: phoneSchema.optional(),
            callId: z.string().min(1).max(128).optional(),
            reason: z.string().trim().min(1).max(500).optional(),
            expiresAt: instantSchema.nullable().optional(),
          })
          .refine((b) => b.phone !== undefined || b.callId !== undefined, {
            path: ['phone'],
            message: 'give the number, or callId to list the caller of a harassment call',
            params: { zh: '请填写号码，或填写 callId 以将骚扰电话的来电号码加入黑名单' },
          }),
        response: { 201: blacklistEntrySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const entry = await blacklist.add(
        {
          ...(b.phone !== undefined ? { phone: b.phone } : {}),
          ...(b.callId !== undefined ? { callId: b.callId } : {}),
          ...(b.reason !== undefined ? { reason: b.reason } : {}),
          expiresAt: b.expiresAt ? new Date(b.expiresAt) : null,
        },
        principalOf(request),
      );
      return reply.status(201).send(blacklist.view(entry));
    },
  );

  app.get(
    '/api/blacklist/:id',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['blacklist'],
        summary: 'One blacklist entry',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: blacklistEntrySchema, ...errorResponses },
      },
    },
    async (request) => blacklist.view(await blacklist.get(request.params.id)),
  );

  app.post(
    '/api/blacklist/:id/remove',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['blacklist'],
        summary: 'Take a number off the blacklist, saying why (the entry is kept, with who removed it)',
        params: z.object({ id: z.string().min(1).max(100) }),
        body: z.strictObject({ reason: z.string().trim().min(1).max(500) }),
        response: { 200: blacklistEntrySchema, ...errorResponses },
      },
    },
    async (request) => {
      const e = await blacklist.remove(request.params.id, request.body.reason, principalOf(request));
      return blacklist.view(e);
    },
  );
}
