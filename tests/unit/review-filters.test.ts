import { describe, expect, it } from 'vitest';
import { NO_FILTERS, activeFilters, newestFirst, passes, shownConversations, type Filters } from '../../components/review/filters';
import type { ConversationRecord } from '../../utils/data/records';

const conversation = (id: string, overrides: Partial<ConversationRecord> = {}): ConversationRecord => ({
  id,
  uploadId: crypto.randomUUID(),
  site: 'chatgpt',
  siteConversationId: null,
  title: id,
  modelName: 'GPT-5.4',
  modelProvider: 'OpenAI',
  createdAt: '2026-04-10T08:00:00.000+00:00',
  updatedAt: '2026-04-10T08:00:00.000+00:00',
  taskSummary: '',
  taskExpectation: '',
  leafMessageId: null,
  ...overrides,
});

const local = (day: string, time: string) => new Date(`${day}T${time}`).toISOString();
const only = (filters: Partial<Filters>) => ({ ...NO_FILTERS, ...filters });

describe('the review list', () => {
  it('lists newest first by the instant of last activity, whatever offset a timestamp carries', () => {
    const listed = newestFirst([
      conversation('a', { updatedAt: '2026-04-10T09:00:00.000+00:00' }),
      // Later than "a" though its text sorts first.
      conversation('b', { updatedAt: '2026-04-10T06:30:00.000-03:00' }),
      conversation('c', { updatedAt: '2026-04-09T23:00:00.000+00:00' }),
    ]);
    expect(listed.map(({ conversation: c }) => c.id)).toEqual(['b', 'a', 'c']);
  });

  it('filters by local days of last activity, both ends included', () => {
    const at = (time: string) => conversation(time, { updatedAt: local('2026-04-10', time) });
    expect(passes(at('00:00:00'), 0, only({ from: '2026-04-10' }))).toBe(true);
    expect(passes(conversation('x', { updatedAt: local('2026-04-09', '23:59:59') }), 0, only({ from: '2026-04-10' }))).toBe(false);
    expect(passes(at('23:59:59'), 0, only({ to: '2026-04-10' }))).toBe(true);
    expect(passes(conversation('y', { updatedAt: local('2026-04-11', '00:00:00') }), 0, only({ to: '2026-04-10' }))).toBe(false);
  });

  it('filters by site, model, thoughts, review state and upload state', () => {
    const reviewed = conversation('r', { review: 'reviewed' });
    const uploaded = conversation('u', { review: 'uploaded', site: 'claude', modelName: 'Claude Opus 4.6' });
    const changed = conversation('c', { review: 'changed' });
    const excluded = conversation('e', { excluded: true });
    const fresh = conversation('n');
    const all = [reviewed, uploaded, changed, excluded, fresh];
    const ids = (filters: Partial<Filters>, thoughts = (c: ConversationRecord) => (c.id === 'n' ? 2 : 0)) =>
      all.filter((c) => passes(c, thoughts(c), only(filters))).map((c) => c.id);
    expect(ids({ site: 'claude' })).toEqual(['u']);
    expect(ids({ model: 'GPT-5.4' })).toEqual(['r', 'c', 'e', 'n']);
    expect(ids({ thoughts: 'with' })).toEqual(['n']);
    expect(ids({ thoughts: 'without' })).toEqual(['r', 'u', 'c', 'e']);
    expect(ids({ review: 'new' })).toEqual(['e', 'n']);
    expect(ids({ review: 'reviewed' })).toEqual(['r', 'u']);
    expect(ids({ review: 'changed' })).toEqual(['c']);
    expect(ids({ upload: 'uploaded' })).toEqual(['u', 'c']);
    expect(ids({ upload: 'not-uploaded' })).toEqual(['r', 'n']);
    expect(ids({ upload: 'excluded' })).toEqual(['e']);
    expect(activeFilters(only({ site: 'claude', upload: 'excluded' }))).toBe(2);
  });

  it('shows what both the search and the filters let through, in list order', () => {
    const listed = newestFirst([conversation('a'), conversation('b', { site: 'gemini' }), conversation('c')]);
    const stats = new Map();
    expect(shownConversations(listed, stats, NO_FILTERS, null)).toBe(listed);
    expect(shownConversations(listed, stats, NO_FILTERS, new Set(['c', 'b'])).map(({ conversation: c }) => c.id)).toEqual(['b', 'c']);
    expect(shownConversations(listed, stats, only({ site: 'chatgpt' }), new Set(['c', 'b'])).map(({ conversation: c }) => c.id)).toEqual(['c']);
  });
});
