// A brand's ticket policy: its canonical id and its deadline policy, from its playbook
// settings in the catalog. The policy is kept until the catalog changes (a playbook update).
import type { Catalog } from '../playbook/catalog.ts';
import { AppError } from '../shared/errors.ts';
import { type DeadlinePolicy, deadlinePolicyFromSettings } from './deadlines.ts';

export class BrandPolicies {
  private readonly cache = new Map<string, { revision: number; policy: DeadlinePolicy }>();

  constructor(private readonly catalog: Catalog) {}

  /** The brand's deadline policy from its playbook settings (cached until the catalog changes). */
  policyFor(brand: string): DeadlinePolicy {
    const cached = this.cache.get(brand);
    if (cached && cached.revision === this.catalog.revision) return cached.policy;
    const pb = this.catalog.find(brand);
    if (!pb)
      throw new AppError('rule-violation', {
        zh: `品牌“${brand}”已没有话术库，无法计算时限；请恢复其话术库`,
        en: `brand '${brand}' has no playbook any more, so its deadlines cannot be counted; restore its playbook`,
      });
    const policy = deadlinePolicyFromSettings(pb.settings);
    this.cache.set(brand, { revision: this.catalog.revision, policy });
    return policy;
  }

  /** The brand's canonical id from an id, name or alias; a validation error naming the known ones. */
  brandId(brand: string): string {
    const pb = this.catalog.find(brand);
    if (!pb)
      throw new AppError(
        'validation',
        {
          zh: `未知品牌“${brand}”；已有品牌：${this.catalog.brandIds.join(', ')}`,
          en: `unknown brand '${brand}'; known brands: ${this.catalog.brandIds.join(', ')}`,
        },
        [{ path: 'body.brand', message: 'unknown brand', zh: '未知品牌' }],
      );
    return pb.brand.id;
  }
}
