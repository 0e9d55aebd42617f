import type { Settings } from '@/utils/data/records';
import type { PageReport } from '@/utils/protocol/requests';

/** Where capture stands on a chat tab, as the popup says it. */
export type PageState = 'capturing' | 'paused' | 'off' | 'private' | 'not-a-conversation' | 'site-changed';

/**
 * The tab's state from what its content script sees and what the participant chose. A private
 * chat says so first; a site with recording off says that before anything about the page.
 */
export function pageState(report: PageReport, settings: Pick<Settings, 'paused' | 'recording'>): PageState {
  if (report.page === 'private') return 'private';
  if (!settings.recording[report.site]) return 'off';
  if (report.page === 'other') return 'not-a-conversation';
  if (report.siteChanged) return 'site-changed';
  return settings.paused ? 'paused' : 'capturing';
}
