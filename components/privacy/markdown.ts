import { POLICY, POLICY_TITLE, POLICY_UPDATED } from './policy';

/** The policy as Markdown, from the catalogue's messages (given as data, so plain Node can run it). */
export function policyMarkdown(messages: Record<string, { message: string }>): string {
  const text = (key: string) => {
    const message = messages[key]?.message;
    if (message === undefined) throw new Error(`The catalogue has no message ${key}`);
    return message;
  };
  const lines = [
    '<!-- Generated from utils/locales/en.json (privacy* messages) by `npm run -s privacy:md`; edit those, not this file. -->',
    '',
    `# ${text(POLICY_TITLE)}`,
    '',
    `*${text(POLICY_UPDATED)}*`,
  ];
  for (const section of POLICY) {
    lines.push('', `## ${text(section.heading)}`);
    for (const block of section.blocks) {
      lines.push('', ...(typeof block === 'string' ? [text(block)] : block.list.map((key) => `- ${text(key)}`)));
    }
  }
  return `${lines.join('\n')}\n`;
}
