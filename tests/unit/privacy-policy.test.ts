import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyMarkdown } from '../../components/privacy/markdown';
import { POLICY } from '../../components/privacy/policy';
import en from '../../utils/locales/en.json';

const catalogue = en as Record<string, { message: string }>;

describe('the privacy policy', () => {
  it('is published in PRIVACY.md exactly as the extension shows it (npm run -s privacy:md)', () => {
    expect(readFileSync(resolve(__dirname, '../../PRIVACY.md'), 'utf8')).toBe(policyMarkdown(catalogue));
  });

  it('uses every privacy message of the catalogue, so none is left out of either', () => {
    const used = new Set(['privacyTitle', 'privacyUpdated', ...POLICY.flatMap((s) => [s.heading, ...s.blocks.flatMap((b) => (typeof b === 'string' ? [b] : b.list))])]);
    expect(Object.keys(catalogue).filter((key) => key.startsWith('privacy') && !used.has(key))).toEqual([]);
  });

  it('names the version it describes', () => {
    const { version } = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(catalogue.privacyUpdated!.message).toContain(`ThoughtTrace ${version}`);
  });
});
