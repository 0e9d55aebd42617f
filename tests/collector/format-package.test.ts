import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

// The collector, and any researcher's script, loads the format with plain Node: no bundler, no
// browser, nothing of the extension.
describe('@thoughttrace/format', () => {
  it('imports in plain Node from the repository root and parses the public examples', () => {
    const script = `
      import('@thoughttrace/format').then(({ parseThoughtTraceJsonl, REASON_LABELS, REACTION_LABELS }) => {
        const text = require('node:fs').readFileSync(process.argv[1], 'utf8');
        const { conversations, errors } = parseThoughtTraceJsonl(text);
        console.log(JSON.stringify({ conversations: conversations.length, errors, labels: REASON_LABELS.length + REACTION_LABELS.length }));
      });`;
    const examples = path.resolve(root, '../shared/data/thoughttrace-examples.jsonl');
    const output = execFileSync(process.execPath, ['-e', script, examples], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({ conversations: 12, errors: [], labels: 12 });
  });

  it('depends on zod alone', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'packages/format/package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies)).toEqual(['zod']);
    expect(manifest.devDependencies ?? {}).toEqual({});
  });
});
