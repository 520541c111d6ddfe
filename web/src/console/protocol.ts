// The live-assist socket's messages, as the console reads them: names for the types generated
// from the server's own schemas (src/live/protocol.ts, published in the OpenAPI document's
// components; `npm run gen:api`). Nothing here is written by hand but the console's own choices.
import { LiveButton, LiveStage } from '../api/enums.gen';
import type { components } from '../api/schema';

type Schemas = components['schemas'];

export type ServerMessage = Schemas['LiveServerMessage'];
export type LiveErrorMessage = Schemas['LiveErrorMessage'];
export type ClientMessage = Schemas['LiveClientMessage'];
export type LiveEvent = Schemas['LiveEvent'];
export type SnapshotCall = Schemas['LiveSnapshotCall'];
export type RingCard = Schemas['RingCard'];
export type TimerLimits = Schemas['TimerLimits'];
export type Inspection = Schemas['CallResult'];
export type AgentStateView = Schemas['AgentStateView'];
export type AgentStateRules = Schemas['AgentStateRules'];
export type {
  LiveButton as Button,
  LiveCallStatus,
  LiveStage as StageId,
  LiveStageState as StageState,
  LiveTimer as TimerName,
  LiveTimerState as TimerState,
  Speaker,
} from '../api/enums.gen';

/** The line buttons the console shows ('reconnected' is pressed for the agent, on a reconnection). */
export const BUTTONS = LiveButton.filter((b): b is Exclude<LiveButton, 'reconnected'> => b !== 'reconnected');

/** The stages of the checklist, in call order. */
export const STAGE_IDS = LiveStage;
