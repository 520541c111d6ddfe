// The minimum password strength, checked wherever a password is set (new user, reset, first
// admin). Pure: no I/O. Long passphrases pass ('correct horse 1'); what fails is what
// attackers try first: short, one kind of character, the username, the common lists.
import { AppError } from '../shared/errors.ts';

export const MIN_PASSWORD_LENGTH = 10;

export const PASSWORD_RULE_ZH =
  '密码至少 10 个字符，须包含至少两类字符（小写字母、大写字母、汉字、数字、空格或符号），不能与用户名相同，也不能是常见密码';
export const PASSWORD_RULE_EN =
  'a password needs at least 10 characters of at least two kinds (lower-case letters, upper-case letters, Chinese characters, digits, spaces or symbols), must not be the username and must not be a common password';

/**
 * The most common passwords of at least 10 characters (shorter ones fail the length rule
 * anyway), from the public leak lists, Chinese ones included; compared after normalise().
 * Kept small and in code: a few dozen entries catch most of what a guessing attack tries.
 */
const COMMON = new Set([
  '1234567890',
  '0123456789',
  '12345678910',
  '123456789a',
  'a123456789',
  'a1234567890',
  'aa123456789',
  'abc1234567',
  'abcd123456',
  'abcdefghij',
  'abcdefg123',
  'qwertyuiop',
  'qwerty1234',
  'qwerty123456',
  'qwertyuiop123',
  '1q2w3e4r5t',
  '1qaz2wsx3edc',
  'zaq12wsxcde3',
  'asdfghjkl1',
  'password12',
  'password123',
  'password1234',
  'passw0rd123',
  'pssw0rd123',
  'iloveyou12',
  'iloveyou123',
  'woaini1314',
  'woaini5201314',
  '5201314520',
  'admin12345',
  'admin123456',
  'administrator',
  'administrator1',
  'welcome123',
  'letmein123',
  'changeme123',
  'huashu1234',
  'huashu123456',
  '1111111111',
  '1234512345',
  '1234554321',
  '1234qwer',
  'qq123456789',
]);

/** Lower case, full-width folded, separators and spaces dropped: 'Password-123' → 'password123'. */
function normalise(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

function classes(password: string): number {
  const kinds = new Set<string>();
  for (const ch of password) {
    if (/\p{Ll}/u.test(ch)) kinds.add('lower');
    else if (/\p{Lu}/u.test(ch)) kinds.add('upper');
    else if (/\p{L}/u.test(ch))
      kinds.add('uncased'); // 汉字 and other letters without case
    else if (/\p{N}/u.test(ch)) kinds.add('digit');
    else kinds.add('other'); // spaces and symbols
  }
  return kinds.size;
}

/** What is wrong with a password, or [] when it is strong enough. */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH)
    problems.push(`少于 ${MIN_PASSWORD_LENGTH} 个字符 / shorter than ${MIN_PASSWORD_LENGTH} characters`);
  if (classes(password) < 2) problems.push('只有一类字符 / only one kind of character');
  const n = normalise(password);
  if (n !== '' && n === normalise(username)) problems.push('与用户名相同 / the same as the username');
  if (COMMON.has(n)) problems.push('是常见密码 / a common password');
  return problems;
}

/** Throws a 400 naming the field and the whole rule when the password is too weak. */
export function assertStrongPassword(password: string, username: string, path = 'body.password'): void {
  const problems = passwordProblems(password, username);
  if (problems.length === 0) return;
  // Each problem reads "中文 / English"; the Chinese answer shows only the Chinese halves.
  const zh = problems.map((p) => p.split(' / ')[0]).join('；');
  const en = problems.map((p) => p.split(' / ')[1] ?? p).join('; ');
  throw new AppError(
    'validation',
    { zh: `密码太弱（${zh}）。${PASSWORD_RULE_ZH}。`, en: `password too weak (${en}): ${PASSWORD_RULE_EN}` },
    [{ path, message: `${en}. ${PASSWORD_RULE_EN}`, zh: `${zh}。${PASSWORD_RULE_ZH}` }],
  );
}
