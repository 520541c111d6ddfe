// Live assist follows the scorecard in force without a restart: a call gets the rules of the
// version in force at its ring (FlowSetup.scorecardVersion, which the CTI took with the live
// call) and keeps them to its hang-up; a version published meanwhile is for the calls that ring
// after it. Publishing reaches every process as `scorecard.changed` (src/scorecards), whose
// handler hands the new version here: no look at the store per call.
import type { Inspector } from '../qa/engine.ts';
import type { CallFlowFactory } from './model.ts';

/** Versions whose flow factory is kept: the one in force and the few before it. */
const KEPT_VERSIONS = 4;

export class ScorecardFlows {
  private readonly byVersion = new Map<number | null, CallFlowFactory>();
  private current: number | null;

  constructor(
    /** The engine with an inspector's rules (flow.ts's createFlowFactory over LiveRules). */
    private readonly make: (inspector: Inspector) => CallFlowFactory,
    inspector: Inspector,
    version: number | null = null,
  ) {
    this.current = version;
    this.byVersion.set(version, make(inspector));
  }

  /** The version calls that ring from now on get (null: the shipped file). */
  get versionInForce(): number | null {
    return this.current;
  }

  /** Calls that ring from now on get this version's rules; calls in progress keep theirs. */
  use(inspector: Inspector, version: number): void {
    this.byVersion.delete(version);
    this.byVersion.set(version, this.make(inspector));
    this.current = version;
    for (const old of this.byVersion.keys()) {
      if (this.byVersion.size <= KEPT_VERSIONS) break;
      if (old !== version) this.byVersion.delete(old);
    }
  }

  /**
   * Keeps an older version's rules for the calls that rang under it (a restart replays them,
   * service.ts `restore`), without changing the version in force.
   */
  keep(inspector: Inspector, version: number): void {
    if (!this.byVersion.has(version)) this.byVersion.set(version, this.make(inspector));
  }

  /** Whether calls of this version get its own rules here. */
  has(version: number | null): boolean {
    return this.byVersion.has(version);
  }

  /**
   * The flow of a call that just rang, with its version's rules. A version no longer kept here
   * would take KEPT_VERSIONS publishes between the CTI's ring and this call: the one in force.
   */
  readonly factory: CallFlowFactory = (setup) => {
    const wanted = setup.scorecardVersion === undefined ? this.current : setup.scorecardVersion;
    const make = this.byVersion.get(wanted) ?? this.byVersion.get(this.current);
    if (!make) throw new Error('no scorecard in force'); // unreachable: the constructor sets one
    return make(setup);
  };
}
