// A source file's Chinese string and template literals: what a test that holds every Chinese text
// the code writes to a renderer of it in English scans (note-text.test.ts, notification-text.test.ts).

const HAN = /\p{Script=Han}/u;

/**
 * The string and template literals of a TypeScript source that hold Chinese, each `${…}` written
 * `{}` (a nested template is a literal of its own); comments and regular expressions skipped.
 */
export function chineseLiterals(source: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = source.length;
  // Reads a template literal from after its backtick; returns the index after its closing one.
  const template = (from: number): number => {
    let text = '';
    let j = from;
    while (j < n && source[j] !== '`') {
      if (source[j] === '\\') {
        text += source.slice(j, j + 2);
        j += 2;
      } else if (source[j] === '$' && source[j + 1] === '{') {
        text += '{}';
        j = code(j + 2, '}');
      } else text += source[j++];
    }
    if (HAN.test(text)) out.push(text);
    return j + 1;
  };
  const quoted = (from: number, q: string): number => {
    let j = from;
    let text = '';
    while (j < n && source[j] !== q) {
      if (source[j] === '\\') {
        text += source.slice(j, j + 2);
        j += 2;
      } else text += source[j++];
    }
    if (HAN.test(text)) out.push(text);
    return j + 1;
  };
  // Code up to the closing `until` (a brace of `${…}`), or the end; returns the index after it.
  const code = (from: number, until?: string): number => {
    let depth = 0;
    let j = from;
    while (j < n) {
      const c = source[j] as string;
      if (c === '/' && source[j + 1] === '/')
        j = source.indexOf('\n', j) === -1 ? n : source.indexOf('\n', j);
      else if (c === '/' && source[j + 1] === '*') j = source.indexOf('*/', j) + 2;
      else if (c === '/' && /[=(,:;!&|?{}[\n]\s*$/.test(source.slice(Math.max(0, j - 20), j))) {
        // A regular expression: to its closing slash (classes may hold one).
        let k = j + 1;
        let inClass = false;
        while (k < n && (source[k] !== '/' || inClass)) {
          if (source[k] === '\\') k++;
          else if (source[k] === '[') inClass = true;
          else if (source[k] === ']') inClass = false;
          k++;
        }
        j = k + 1;
      } else if (c === '`') j = template(j + 1);
      else if (c === "'" || c === '"') j = quoted(j + 1, c);
      else if (c === '{') {
        depth++;
        j++;
      } else if (c === '}') {
        if (depth === 0 && until === '}') return j + 1;
        depth--;
        j++;
      } else j++;
    }
    return j;
  };
  while (i < n) i = code(i);
  return out;
}
