// Playbooks (话术库) over HTTP: brands, scenarios with lines rendered, search.
import { z } from 'zod';
import type { Services } from '../../app/application.ts';
import { brandVariables, renderText, type Variables, variableName } from '../../playbook/render.ts';
import { PlaybookSearch } from '../../playbook/search.ts';
import { AppError } from '../../shared/errors.ts';
import { principalOf } from '../access.ts';
import { type Api, errorResponses } from '../schemas.ts';

export async function playbookRoutes(
  app: Api,
  services: Pick<Services, 'catalog' | 'playbooks'>,
): Promise<void> {
  const { catalog } = services;
  const search = new PlaybookSearch(catalog);
  const find = (brand: string) => {
    const pb = catalog.find(brand);
    if (!pb)
      throw new AppError('not-found', {
        zh: `没有品牌“${brand}”；已有品牌：${catalog.brandIds.join(', ')}`,
        en: `no brand '${brand}'; known brands: ${catalog.brandIds.join(', ')}`,
      });
    return pb;
  };

  app.get(
    '/api/playbooks',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['playbooks'],
        summary: 'Brands and their playbooks',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                brand: z.string(),
                name: z.string(),
                hotline: z.string().nullable(),
                version: z.number(),
                scenarioCount: z.number(),
                // The IANA zone of the brand's working hours: where its dates are shown.
                timeZone: z.string(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({
      items: catalog.playbooks.map((pb) => ({
        brand: pb.brand.id,
        name: pb.brand.name,
        hotline: pb.brand.hotline ?? null,
        version: pb.version,
        scenarioCount: pb.scenarios.length,
        timeZone: pb.settings.workingHours.timezone,
      })),
    }),
  );

  app.get(
    '/api/playbooks/search',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['playbooks'],
        summary: 'Find scenarios by Chinese text, full pinyin or pinyin initials',
        querystring: z.object({
          q: z.string().trim().min(1).max(100),
          brand: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                brand: z.string(),
                scenarioId: z.string(),
                title: z.string(),
                stage: z.string(),
                score: z.number(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { q, brand, limit } = request.query;
      if (brand !== undefined) find(brand);
      return { items: search.search(q, { brand, limit }).map(({ matched: _m, ...h }) => h) };
    },
  );

  app.get(
    '/api/playbooks/:brand/scenarios/:scenario',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['playbooks'],
        summary:
          'One scenario with its lines rendered; call variables as query parameters (?agentNumber=1024&surname=王)',
        params: z.object({ brand: z.string().max(50), scenario: z.string().max(100) }),
        querystring: z.record(z.string(), z.string().max(100)),
        response: {
          200: z.object({
            id: z.string(),
            title: z.string(),
            stage: z.string(),
            lines: z.array(
              z.object({ text: z.string(), when: z.string().nullable(), missing: z.array(z.string()) }),
            ),
            steps: z.array(
              z.object({
                text: z.string(),
                ticket: z.string().nullable(),
                escalateTo: z.string().nullable(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const pb = find(request.params.brand);
      const sc = pb.scenarios.find((s) => s.id === request.params.scenario);
      if (!sc)
        throw new AppError('not-found', {
          zh: `品牌“${pb.brand.id}”的话术库中没有场景“${request.params.scenario}”`,
          en: `brand '${pb.brand.id}' has no scenario '${request.params.scenario}'`,
        });
      const vars: Variables = { ...brandVariables(pb) };
      for (const [k, v] of Object.entries(request.query)) {
        try {
          vars[variableName(k)] = v;
        } catch (err) {
          throw new AppError('validation', { zh: `未知的话术变量“${k}”`, en: (err as Error).message }, [
            { path: `querystring.${k}`, message: 'unknown variable', zh: '未知的话术变量' },
          ]);
        }
      }
      const script = pb.brand.script;
      return {
        id: sc.id,
        title: renderText(sc.title, {}, script).text,
        stage: sc.stage,
        lines: sc.lines.map((l) => {
          const r = renderText(l.text, vars, script);
          return { text: r.text, when: l.when ?? null, missing: r.missing };
        }),
        steps: sc.steps.map((st) => ({
          text: renderText(st.text, vars, script).text,
          ticket: st.ticket ?? null,
          escalateTo: st.escalateTo ?? null,
        })),
      };
    },
  );

  const versionSchema = z.object({
    brand: z.string(),
    version: z.number(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
  });

  app.get(
    '/api/playbooks/:brand/versions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['playbooks'],
        summary: 'Every stored version of a brand’s playbook, newest first',
        params: z.object({ brand: z.string().max(50) }),
        response: { 200: z.object({ items: z.array(versionSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const pb = find(request.params.brand);
      return { items: await services.playbooks.versions(pb.brand.id) };
    },
  );

  app.get(
    '/api/playbooks/:brand/versions/:version',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['playbooks'],
        summary: 'The YAML of one stored version',
        params: z.object({ brand: z.string().max(50), version: z.coerce.number().int().min(1) }),
        response: {
          200: z.object({ brand: z.string(), version: z.number(), content: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const pb = find(request.params.brand);
      const content = await services.playbooks.content(pb.brand.id, request.params.version);
      return { brand: pb.brand.id, version: request.params.version, content };
    },
  );

  app.put(
    '/api/playbooks/:brand',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['playbooks'],
        summary:
          'Put a new version of a brand’s playbook in force (the YAML file; its version must be higher)',
        params: z.object({
          brand: z
            .string()
            .regex(/^[a-z][a-z0-9-]*$/)
            .max(50),
        }),
        body: z.strictObject({
          content: z
            .string()
            .min(1)
            .max(512 * 1024),
        }),
        response: { 200: versionSchema, ...errorResponses },
      },
    },
    async (request) =>
      services.playbooks.update(request.params.brand, request.body.content, principalOf(request)),
  );
}
