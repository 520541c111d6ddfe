// Teams (班组): a short name an admin gives agents and team leads (一组, 夜班二组). Stored as
// typed; compared through its key, so that Traditional and Simplified, full- and half-width
// spellings of one name are one team. Pure.
import { AppError } from '../shared/errors.ts';
import { normalizeText } from '../text/index.ts';

export const TEAM_MAX_LENGTH = 32;

/** An account of a team with a 工号: the calls ringing to it are the team's. */
export interface TeamMember {
  agentNumber: string;
  /** null: the 工号 at every brand. */
  brand: string | null;
}

/** The form teams are compared in: 一組 / 一组, Ａ组 / a组 are one team. */
export const teamKey = (team: string): string => normalizeText(team.normalize('NFKC')).toLowerCase();

/**
 * A team name as given (trimmed), or the reason it is refused; `path` names the field in the
 * error (body.team, --team).
 */
export function checkTeam(raw: string, path: string): string {
  const team = raw.trim();
  const chars = [...team].length;
  const bad = (zh: string, en: string) =>
    new AppError('validation', { zh: `班组名称${zh}`, en: `the team name ${en}` }, [
      { path, message: en, zh },
    ]);
  if (chars === 0)
    throw bad(
      '不能为空：要清除班组请传 null（命令行：--team ""）',
      'is empty: to clear the team send null (command line: --team "")',
    );
  if (chars > TEAM_MAX_LENGTH)
    throw bad(
      `最长 ${TEAM_MAX_LENGTH} 个字（现为 ${chars} 个）`,
      `is at most ${TEAM_MAX_LENGTH} characters (this one has ${chars})`,
    );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(team))
    throw bad('不能含控制字符（如换行）', 'may not contain control characters (such as a line break)');
  if (teamKey(team) === '') throw bad('须含文字', 'must contain some text');
  return team;
}
