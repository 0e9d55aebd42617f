import type { PageReport } from '../protocol/requests';
import type { SiteAdapter } from '../sites/types';
import type { CaptureStatus } from './capture';

/**
 * What this tab tells the popup: what capture sees on the page. Whether recording is on or paused
 * is the participant's choice, which the popup reads itself.
 */
export function pageReport(adapter: SiteAdapter, capture: CaptureStatus, doc: Document): PageReport {
  return {
    site: adapter.site,
    page: capture.kind,
    conversationTitle: adapter.title(doc),
    siteChanged: capture.siteChanged,
    degraded: [...capture.degraded],
  };
}
