import { t } from '@/utils/i18n';
import { POLICY, POLICY_TITLE, POLICY_UPDATED } from './policy';

/** The privacy policy, in full, inside the extension (PRIVACY.md is the same text). */
export function Privacy() {
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-4 px-8 py-10 text-sm leading-relaxed text-zinc-800 dark:text-zinc-200">
      <header className="flex flex-col gap-1">
        <h1 className="m-0 text-2xl font-semibold text-zinc-900 dark:text-zinc-100">{t(POLICY_TITLE)}</h1>
        <p className="m-0 text-zinc-500 italic dark:text-zinc-400">{t(POLICY_UPDATED)}</p>
      </header>
      {POLICY.map((section) => (
        <section key={section.heading} aria-labelledby={section.heading} className="flex flex-col gap-2">
          <h2 id={section.heading} className="m-0 mt-2 text-base font-semibold text-zinc-900 dark:text-zinc-100">
            {t(section.heading)}
          </h2>
          {section.blocks.map((block) =>
            typeof block === 'string' ? (
              <p key={block} className="m-0">
                {t(block)}
              </p>
            ) : (
              <ul key={block.list[0]} className="m-0 flex list-disc flex-col gap-1 pl-5">
                {block.list.map((key) => (
                  <li key={key}>{t(key)}</li>
                ))}
              </ul>
            ),
          )}
        </section>
      ))}
    </main>
  );
}
