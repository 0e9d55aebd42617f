// Writes PRIVACY.md from the catalogue: `npm run -s privacy:md` after editing the privacy* messages.
import { readFileSync, writeFileSync } from 'node:fs';
import { policyMarkdown } from '../components/privacy/markdown';

const root = new URL('..', import.meta.url);
const catalogue = JSON.parse(readFileSync(new URL('utils/locales/en.json', root), 'utf8')) as Record<string, { message: string }>;
writeFileSync(new URL('PRIVACY.md', root), policyMarkdown(catalogue));
