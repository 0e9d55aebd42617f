import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { suggestForJsonLines } from '../../utils/redaction/jsonl';

const ROOT = path.resolve(import.meta.dirname, '../..');

function pii(contents: string) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'pii-')), 'in.jsonl');
  writeFileSync(file, contents);
  return spawnSync('npm', ['run', '-s', 'pii', '--', file], { cwd: ROOT, encoding: 'utf8' });
}

describe('npm run -s pii -- FILE', () => {
  it('prints one spans line per input line, offsets in JavaScript string indices, nothing else', () => {
    const texts = ['👋 mail ana@example.org', 'nothing here', 'call +44 20 7946 0958 from 10.0.0.7'];
    const run = pii(texts.map((text, id) => JSON.stringify({ id, text })).join('\n') + '\n');
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { spans: Array<{ start: number; end: number; kind: string }> });
    expect(lines.map((line, i) => line.spans.map((span) => [span.kind, texts[i]!.slice(span.start, span.end)]))).toEqual([
      [['email', 'ana@example.org']],
      [],
      [
        ['phone', '+44 20 7946 0958'],
        ['ip', '10.0.0.7'],
      ],
    ]);
  }, 60_000);

  it('names every malformed line on stderr, prints nothing on stdout and exits 1', () => {
    const run = pii('{"text": "fine"}\n{"text": 3}\nnot json\n');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/line 2: expected a JSON object with a string "text"/);
    expect(run.stderr).toMatch(/line 3: not JSON/);
  }, 60_000);
});

describe('suggestForJsonLines', () => {
  it('accepts a file without a final newline, CRLF line ends and an empty file', () => {
    expect(suggestForJsonLines('{"text":"a"}\r\n{"text":"b"}')).toEqual({ ok: true, lines: ['{"spans":[]}', '{"spans":[]}'] });
    expect(suggestForJsonLines('')).toEqual({ ok: true, lines: [] });
  });

  it('counts a blank line as malformed, so that output lines keep matching input lines', () => {
    expect(suggestForJsonLines('{"text":"a"}\n\n{"text":"b"}\n')).toEqual({ ok: false, errors: [expect.stringMatching(/^line 2: not JSON/)] });
  });
});
