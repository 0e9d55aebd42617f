import Markdown from 'react-markdown';
import type { StudyManifest as Manifest } from '@/utils/data/study';
import { t } from '@/utils/i18n';

// A study's manifest, shown in full before the participant agrees: who runs it, how to reach
// them, what it collects, how long it keeps it, and the consent text. The text comes from the
// study's server, so it is rendered as Markdown into React elements (never as HTML): raw HTML is
// dropped, and images are not loaded (they would tell a third party the page was opened).

const markdownStyles =
  'text-sm leading-relaxed [&_a]:text-indigo-700 [&_a]:underline dark:[&_a]:text-indigo-300 [&_h1]:text-base [&_h1]:font-semibold [&_h2]:text-sm [&_h2]:font-semibold [&_h3]:text-sm [&_h3]:font-semibold [&_ol]:list-decimal [&_ol]:pl-6 [&_ul]:list-disc [&_ul]:pl-6 [&_p]:my-2 [&_code]:rounded [&_code]:bg-zinc-100 [&_code]:px-1 dark:[&_code]:bg-zinc-800';

/** The study's consent text, as Markdown. */
export function ConsentText({ text }: { text: string }) {
  return (
    <div className={markdownStyles}>
      <Markdown
        skipHtml
        disallowedElements={['img']}
        unwrapDisallowed
        components={{ a: ({ href, children }) => <a href={href} target="_blank" rel="noreferrer noopener">{children}</a> }}
      >
        {text}
      </Markdown>
    </div>
  );
}

/** An email address becomes a mail link; a web address, a link; anything else stays text. */
function Contact({ contact }: { contact: string }) {
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact)) return <a href={`mailto:${contact}`}>{contact}</a>;
  if (/^https:\/\/\S+$/.test(contact)) return <a href={contact} target="_blank" rel="noreferrer noopener">{contact}</a>;
  return <>{contact}</>;
}

export function StudyManifest({ manifest, base }: { manifest: Manifest; base: string }) {
  return (
    <article aria-label={t('studyManifestLabel')} className="flex flex-col gap-4">
      <header>
        <h3 className="m-0 text-lg font-semibold">{manifest.name}</h3>
        <p className="m-0 text-xs text-zinc-500 dark:text-zinc-400">{t('studyAddressShown', [base])}</p>
      </header>
      <dl className="m-0 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 text-sm">
        <dt className="font-medium">{t('studyResearchers')}</dt>
        <dd className="m-0">{manifest.researchers.join(', ')}</dd>
        <dt className="font-medium">{t('studyContact')}</dt>
        <dd className="m-0 [&_a]:text-indigo-700 [&_a]:underline dark:[&_a]:text-indigo-300"><Contact contact={manifest.contact} /></dd>
        <dt className="font-medium">{t('studyRetention')}</dt>
        <dd className="m-0">{manifest.retention}</dd>
      </dl>
      <section aria-label={t('studyCollected')}>
        <h4 className="m-0 text-sm font-semibold">{t('studyCollected')}</h4>
        <ul className="m-0 mt-1 list-disc pl-6 text-sm">
          {manifest.collected.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </section>
      <section aria-label={t('studyWhatIsSent')} className="rounded-lg bg-zinc-100 p-3 text-sm dark:bg-zinc-800">
        <h4 className="m-0 text-sm font-semibold">{t('studyWhatIsSent')}</h4>
        <p className="m-0 mt-1">{t('studyWhatIsSentBody')}</p>
      </section>
      <section aria-label={t('studyConsentHeading', [manifest.consent.version])} className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-700">
        <h4 className="m-0 text-sm font-semibold">{t('studyConsentHeading', [manifest.consent.version])}</h4>
        <ConsentText text={manifest.consent.text} />
      </section>
    </article>
  );
}
