import type { ConversationStatsRow } from '@/utils/data/db';
import type { ConversationRecord, Site } from '@/utils/data/records';

// The list's filters, as pure functions over what the list already holds (the conversations and
// their thought counts), so they cost no database read.

/** Where a conversation's review stands, as the list shows it. */
export type ReviewState = 'new' | 'reviewed' | 'uploaded' | 'changed';
export const reviewState = (conversation: ConversationRecord): ReviewState => conversation.review ?? 'new';

export interface Filters {
  site: Site | 'import' | '';
  model: string;
  /** `YYYY-MM-DD` (local days, as a date input gives them), inclusive; '' for open-ended. */
  from: string;
  to: string;
  thoughts: '' | 'with' | 'without';
  /** `reviewed` includes those since uploaded and not changed: approved as they are. */
  review: '' | 'new' | 'reviewed' | 'changed';
  /** `uploaded` includes those changed since; `not-uploaded` leaves out the excluded, which never will be. */
  upload: '' | 'not-uploaded' | 'uploaded' | 'excluded';
}

export const NO_FILTERS: Filters = { site: '', model: '', from: '', to: '', thoughts: '', review: '', upload: '' };

export const activeFilters = (filters: Filters): number => Object.values(filters).filter((value) => value !== '').length;

/** Local midnight starting `day` (`YYYY-MM-DD`), or the one `after` days later (daylight-saving days included). */
function midnight(day: string, after = 0): number {
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + after);
  return date.getTime();
}

/** Whether a conversation passes every filter. Dates are its last activity, as the list shows and sorts by. */
export function passes(conversation: ConversationRecord, thoughts: number, filters: Filters, updatedAt = Date.parse(conversation.updatedAt)): boolean {
  if (filters.site && conversation.site !== filters.site) return false;
  if (filters.model && conversation.modelName !== filters.model) return false;
  if (filters.from && updatedAt < midnight(filters.from)) return false;
  if (filters.to && updatedAt >= midnight(filters.to, 1)) return false;
  if (filters.thoughts && (thoughts > 0) !== (filters.thoughts === 'with')) return false;
  const state = reviewState(conversation);
  if (filters.review === 'new' && state !== 'new') return false;
  if (filters.review === 'reviewed' && state !== 'reviewed' && state !== 'uploaded') return false;
  if (filters.review === 'changed' && state !== 'changed') return false;
  if (filters.upload === 'not-uploaded' && (state === 'uploaded' || state === 'changed' || conversation.excluded)) return false;
  if (filters.upload === 'uploaded' && state !== 'uploaded' && state !== 'changed') return false;
  if (filters.upload === 'excluded' && !conversation.excluded) return false;
  return true;
}

export interface ListedConversation {
  conversation: ConversationRecord;
  /** Epoch milliseconds of its last activity. */
  updatedAt: number;
}

/** Newest first, by the instant of last activity (imported timestamps carry any offset, so not by string). */
export function newestFirst(conversations: readonly ConversationRecord[]): ListedConversation[] {
  return conversations
    .map((conversation) => ({ conversation, updatedAt: Date.parse(conversation.updatedAt) }))
    .sort((a, b) => b.updatedAt - a.updatedAt || (a.conversation.id < b.conversation.id ? -1 : 1));
}

/** The listed conversations that match the search (null: no search) and pass the filters, in list order. */
export function shownConversations(
  listed: readonly ListedConversation[],
  stats: ReadonlyMap<string, ConversationStatsRow>,
  filters: Filters,
  found: ReadonlySet<string> | null,
): ListedConversation[] {
  const any = activeFilters(filters) > 0;
  if (!any && !found) return listed as ListedConversation[];
  return listed.filter(
    ({ conversation, updatedAt }) =>
      (!found || found.has(conversation.id)) && (!any || passes(conversation, stats.get(conversation.id)?.thoughts ?? 0, filters, updatedAt)),
  );
}
