// The YAML editor of the playbooks and the scorecards: the text, and above it the check's
// findings (file:line:col and the message); a click on one puts the cursor there.
import { Alert, List, Typography } from 'antd';
import { useRef } from 'react';
import type { ApiError } from '../api/client';

export interface LintFinding {
  line: number | null;
  col: number | null;
  where: string;
  message: string;
}

/** `body.content:42:15 scenarios[1].lines[0].text` → line 42, column 15, the field. */
export function lintFindings(error: ApiError, file: string): LintFinding[] {
  return error.details.map((d) => {
    const m = /^body\.content(?::(\d+):(\d+))?\s*(.*)$/.exec(d.path ?? '');
    const line = m?.[1] ? Number(m[1]) : null;
    const col = m?.[2] ? Number(m[2]) : null;
    const field = m?.[3] ?? d.path ?? '';
    return {
      line,
      col,
      where: `${file}${line !== null ? `:${line}:${col}` : ''}${field ? ` ${field}` : ''}`,
      message: d.message,
    };
  });
}

export function YamlEditor({
  text,
  onChange,
  findings,
  findingsTitle,
  height,
  testId,
}: {
  text: string | null;
  onChange(text: string): void;
  findings: readonly LintFinding[];
  findingsTitle: string;
  height: number;
  testId: string;
}) {
  const area = useRef<HTMLTextAreaElement | null>(null);
  /** Puts the cursor on line:col of the YAML. */
  const jump = (f: LintFinding) => {
    const el = area.current;
    if (!el || f.line === null || text === null) return;
    const lines = text.split('\n');
    const offset =
      lines.slice(0, f.line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, (f.col ?? 1) - 1);
    el.focus();
    el.setSelectionRange(offset, offset);
    const lineHeight = el.scrollHeight / Math.max(1, lines.length);
    el.scrollTop = Math.max(0, (f.line - 5) * lineHeight);
  };
  return (
    <>
      {findings.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={findingsTitle}
          style={{ marginBottom: 8 }}
          description={
            <List
              size="small"
              dataSource={[...findings]}
              renderItem={(f) => (
                <List.Item>
                  <Typography.Link onClick={() => jump(f)} data-testid="lint-finding">
                    <Typography.Text code>{f.where}</Typography.Text> {f.message}
                  </Typography.Link>
                </List.Item>
              )}
            />
          }
        />
      )}
      <textarea
        ref={area}
        value={text ?? ''}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        data-testid={testId}
        style={{ width: '100%', height, fontFamily: 'monospace', fontSize: 13, lineHeight: 1.5, tabSize: 2 }}
      />
    </>
  );
}
