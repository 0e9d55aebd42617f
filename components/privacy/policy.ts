import type { StaticMessageKey } from '@/utils/i18n';

// The privacy policy's structure; its words are the catalogue's `privacy*` messages. The extension
// page (Privacy.tsx) and the repository's PRIVACY.md (markdown.ts, `npm run -s privacy:md`) both
// come from here, so the policy a participant reads in the extension is the one published.

/** A paragraph, or a list of items. */
export type PolicyBlock = StaticMessageKey | { list: StaticMessageKey[] };

export interface PolicySection {
  heading: StaticMessageKey;
  blocks: PolicyBlock[];
}

export const POLICY_TITLE = 'privacyTitle' satisfies StaticMessageKey;
export const POLICY_UPDATED = 'privacyUpdated' satisfies StaticMessageKey;

export const POLICY: PolicySection[] = [
  { heading: 'privacySummaryHeading', blocks: ['privacySummaryLocal', 'privacySummaryStudy'] },
  {
    heading: 'privacyStoredHeading',
    blocks: [
      'privacyStoredIntro',
      {
        list: [
          'privacyStoredChats',
          'privacyStoredOpened',
          'privacyStoredThoughts',
          'privacyStoredProfile',
          'privacyStoredReview',
          'privacyStoredSettings',
          'privacyStoredStudy',
        ],
      },
      'privacyNotStored',
    ],
  },
  {
    heading: 'privacySentHeading',
    blocks: [
      'privacySentNothing',
      'privacySentJoin',
      'privacySentConsent',
      'privacySentUploadIntro',
      { list: ['privacySentUploadContent', 'privacySentUploadRedacted', 'privacySentUploadIds'] },
      'privacySentEdits',
      'privacySentWithdraw',
      'privacySentTransport',
    ],
  },
  { heading: 'privacySitesHeading', blocks: ['privacySitesBody'] },
  { heading: 'privacyControlHeading', blocks: ['privacyControlBody'] },
  { heading: 'privacyPermissionsHeading', blocks: ['privacyPermissionsBody'] },
  { heading: 'privacyChangesHeading', blocks: ['privacyChangesBody'] },
];
