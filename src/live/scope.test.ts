// The one rule of who sees which live call (live/scope.ts), on the brand edges the socket and
// GET /api/cti/live tests do not reach: a 工号 held at one brand only, an every-brand member, a
// lead with a brand, a call not yet rung to anyone.
import { describe, expect, it } from 'vitest';
import { liveScopeOf, sees, seesAgent } from './scope.ts';

const lead = { role: 'team-lead' as const, agentNumber: null, team: '一组' };
const members = [
  { agentNumber: '1101', brand: 'zhonghua' },
  { agentNumber: '2202', brand: null },
];
const call = (brand: string, agentNumber: string | null) => ({ brand, agentNumber });

describe('live scope', () => {
  it('a team lead with a team: the members’ 工号 at their brand, within the lead’s brand', () => {
    const any = liveScopeOf({ ...lead, brand: null }, members);
    expect(sees(any, call('zhonghua', '1101'))).toBe(true);
    // 1101 is a member's at zhonghua only: the same 工号 at chaoyue is someone else's.
    expect(sees(any, call('chaoyue', '1101'))).toBe(false);
    expect(sees(any, call('chaoyue', '2202'))).toBe(true);
    expect(sees(any, call('zhonghua', '3303'))).toBe(false);
    expect(sees(any, call('zhonghua', null))).toBe(false);
    const atZhonghua = liveScopeOf({ ...lead, brand: 'zhonghua' }, members);
    expect(sees(atZhonghua, call('zhonghua', '2202'))).toBe(true);
    expect(sees(atZhonghua, call('chaoyue', '2202'))).toBe(false);
    // No members given: nothing, never the brand.
    expect(sees(liveScopeOf({ ...lead, brand: null }), call('zhonghua', '1101'))).toBe(false);
  });

  it('a team lead without a team and the other supervisors: the brand; an agent: their own', () => {
    for (const role of ['team-lead', 'room-director', 'complaint-desk', 'qa-inspector', 'admin'] as const) {
      const s = liveScopeOf({
        role,
        agentNumber: null,
        brand: 'zhonghua',
        team: role === 'team-lead' ? null : '一组',
      });
      expect(s.kind, role).toBe('brand');
      expect(sees(s, call('zhonghua', '9999'))).toBe(true);
      expect(sees(s, call('chaoyue', '9999'))).toBe(false);
    }
    const agent = liveScopeOf({ role: 'agent', agentNumber: '1101', brand: null, team: '一组' });
    expect(sees(agent, call('chaoyue', '1101'))).toBe(true);
    expect(sees(agent, call('chaoyue', '2202'))).toBe(false);
  });

  it('agents’ states: the same rule, an agent of every brand in every brand’s view', () => {
    const agent = (brand: string | null, agentNumber: string) => ({ brand, agentNumber });
    const director = liveScopeOf({ role: 'room-director', agentNumber: null, brand: 'zhonghua', team: null });
    expect(seesAgent(director, agent('zhonghua', '9999'))).toBe(true);
    expect(seesAgent(director, agent(null, '9999'))).toBe(true);
    expect(seesAgent(director, agent('chaoyue', '9999'))).toBe(false);
    const team = liveScopeOf({ ...lead, brand: null }, members);
    expect(seesAgent(team, agent('zhonghua', '1101'))).toBe(true);
    expect(seesAgent(team, agent('chaoyue', '1101'))).toBe(false);
    expect(seesAgent(team, agent(null, '2202'))).toBe(true);
    expect(seesAgent(team, agent('zhonghua', '3303'))).toBe(false);
    const self = liveScopeOf({ role: 'agent', agentNumber: '1101', brand: 'zhonghua', team: null });
    expect(seesAgent(self, agent('zhonghua', '1101'))).toBe(true);
    expect(seesAgent(self, agent('zhonghua', '2202'))).toBe(false);
  });
});
