// Customers (客户) over HTTP, by phone number in any common spelling: lookup, create, update
// with the version last seen, history (calls and tickets), and the same-day repeat caller.
import { z } from 'zod';
import type { UserRole } from '../../accounts/roles.ts';
import type { Services } from '../../app/application.ts';
import { TITLES } from '../../customers/model.ts';
import { phoneSchema } from '../../customers/schemas.ts';
import { ALL_ROLES, callScopeOf, principalOf } from '../access.ts';
import { bilingual } from '../language.ts';
import { type Api, errorResponses, instantSchema, page, pageQuery } from '../schemas.ts';
import { callSummarySchema, repeatCallerSchema } from './calls.ts';

/** Who may record and edit customers: everyone who talks to them or handles their tickets. */
export const CUSTOMER_EDITORS: readonly UserRole[] = [
  'agent',
  'team-lead',
  'room-director',
  'complaint-desk',
  'admin',
];

export const customerSchema = z
  .object({
    id: z.string(),
    phone: z.string(),
    surname: z.string().nullable(),
    title: z.enum(TITLES).nullable(),
    notes: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Customer' });

const surname = z.string().trim().min(1).max(20);
const notes = z.string().max(2000);

const ticketSummarySchema = z.object({
  id: z.string(),
  number: z.string().nullable().describe('the short number read out to the caller; null before numbers'),
  brand: z.string(),
  type: z.string(),
  status: z.string(),
  subject: z.string(),
  callId: z.string().nullable(),
  createdAt: z.string(),
  nextDeadlineAt: z.string().nullable(),
});

const phoneParams = z.object({ phone: phoneSchema });

export async function customerRoutes(
  app: Api,
  services: Pick<Services, 'customers' | 'calls'>,
): Promise<void> {
  const { customers, calls } = services;

  app.get(
    '/api/customers',
    {
      config: { access: ALL_ROLES },
      schema: {
        tags: ['customers'],
        summary: 'Customers, recently changed first; by digits of the number or by surname',
        querystring: z.object({
          phone: z
            .string()
            .transform((s) => s.replace(/[\s-]/g, ''))
            .pipe(
              z
                .string()
                .regex(
                  /^\d{3,15}$/,
                  bilingual({ zh: '应为号码中的 3–15 位数字', en: 'expected 3–15 digits of the number' }),
                ),
            )
            .optional(),
          surname: z.string().trim().min(1).max(20).optional(),
          ...pageQuery,
        }),
        response: { 200: page(customerSchema), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const r = await customers.list({
        ...(q.phone !== undefined ? { phoneContains: q.phone } : {}),
        ...(q.surname !== undefined ? { surname: q.surname } : {}),
        limit: q.limit,
        offset: q.offset,
      });
      return { ...r, limit: q.limit, offset: q.offset };
    },
  );

  app.post(
    '/api/customers',
    {
      config: { access: CUSTOMER_EDITORS },
      schema: {
        tags: ['customers'],
        summary: 'Record a customer (409 if the number is already one)',
        body: z.strictObject({
          phone: phoneSchema,
          surname: surname.optional(),
          title: z.enum(TITLES).optional(),
          notes: notes.optional(),
        }),
        response: { 201: customerSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const c = await customers.create(
        {
          phone: b.phone,
          surname: b.surname ?? null,
          title: b.title ?? null,
          notes: b.notes ?? '',
        },
        principalOf(request),
      );
      return reply.status(201).send(c);
    },
  );

  app.get(
    '/api/customers/:phone',
    {
      config: { access: ALL_ROLES },
      schema: {
        tags: ['customers'],
        summary: 'A customer by phone number',
        params: phoneParams,
        response: { 200: customerSchema, ...errorResponses },
      },
    },
    async (request) => customers.get(request.params.phone),
  );

  app.patch(
    '/api/customers/:phone',
    {
      config: { access: CUSTOMER_EDITORS },
      schema: {
        tags: ['customers'],
        summary: 'Change a customer; send the version you saw (409 if someone changed it since)',
        params: phoneParams,
        body: z.strictObject({
          version: z.number().int().min(1),
          surname: surname.nullable().optional(),
          title: z.enum(TITLES).nullable().optional(),
          notes: notes.optional(),
        }),
        response: { 200: customerSchema, ...errorResponses },
      },
    },
    async (request) => {
      const b = request.body;
      return customers.update(
        request.params.phone,
        {
          version: b.version,
          ...(b.surname !== undefined ? { surname: b.surname } : {}),
          ...(b.title !== undefined ? { title: b.title } : {}),
          ...(b.notes !== undefined ? { notes: b.notes } : {}),
        },
        principalOf(request),
      );
    },
  );

  app.get(
    '/api/customers/:phone/history',
    {
      config: { access: ALL_ROLES },
      schema: {
        tags: ['customers'],
        summary:
          "A number's customer record, latest calls and tickets, newest first. An agent sees their own calls whole; of a colleague's call only when, which brand, answered or not and what it was about (agent and qa null; no subject for a harassment call)",
        params: phoneParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: {
          200: z.object({
            phone: z.string(),
            customer: customerSchema.nullable(),
            calls: z.array(callSummarySchema),
            tickets: z.array(ticketSummarySchema),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      customers.history(
        request.params.phone,
        request.query.limit,
        callScopeOf(request),
        principalOf(request).brand,
      ),
  );

  app.get(
    '/api/customers/:phone/repeat',
    {
      config: { access: ALL_ROLES },
      schema: {
        tags: ['customers'],
        summary:
          "Same-day repeat caller: did the number call the brand earlier today (the brand's time zone), and about what. A brand-limited account hears only of its brand's calls (its brand when none is given; 403 for another). To an agent, a colleague's earlier call shows no agent (and no subject or prompt for a harassment call)",
        params: phoneParams,
        querystring: z.object({
          brand: z.string().trim().min(1).max(50).optional(),
          at: instantSchema.optional(),
        }),
        response: { 200: repeatCallerSchema, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const brand = q.brand !== undefined ? calls.brandId(q.brand, 'querystring.brand') : null;
      const phone = request.params.phone;
      const scope = callScopeOf(request);
      const rc = await calls.repeatCaller(phone, brand, q.at ? new Date(q.at) : undefined, scope);
      return customers.repeatCallerFor(phone, rc, scope);
    },
  );
}
