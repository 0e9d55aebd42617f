import { z } from 'zod';
import { siteInfo } from '../../sites/registry';
import { readProfile, readSettings } from '../../data/settings';
import { countAll, hasTaskAnswers } from '../../data/counts';
import type { ThoughtTraceDb } from '../../data/db';
import {
  DEFAULT_SETTINGS,
  draftKey,
  isoWithOffset,
  kindForRole,
  labelFitsKind,
  settingsSchema,
  surveyAnswersSchema,
  type SurveyAnswers,
  type ThoughtKind,
  type ThoughtLabel,
  type ConversationRecord,
  type MessageRecord,
  type Settings,
  type Site,
} from '../../data/records';
import { importThoughtTrace } from '../../data/thoughttrace';
import type { CardContext, RecordHistoryResult, RecordMessageResult, SettingsView, Status, TaskContext } from '../../protocol/messages';
import { backgroundRequests, type BackgroundRequest, type OpenConversation } from '../../protocol/requests';
import { rebaseSpans } from '../../redaction/rebase';
import { normalizeSpans, spansFit } from '../../redaction/spans';

/** A request that failed validation. Its message says which field was wrong and how. */
export class InvalidRequestError extends Error {
  override name = 'InvalidRequestError';
}

type Parsed<K extends BackgroundRequest> = z.output<(typeof backgroundRequests)[K]>;

/** Task questions left behind when a tab was closed are asked on the site's next page within this time. */
export const TASK_RETURN_WINDOW_MS = 24 * 3600_000;

/**
 * Every write to the database goes through here, and only the background calls it.
 * Each operation is one Dexie transaction, so a failure leaves nothing half-written.
 */
export function createStore(
  db: ThoughtTraceDb,
  now: () => Date = () => new Date(),
  /** The conversations the browser's tabs show now (the background asks each tab). */
  openConversations: () => Promise<OpenConversation[]> = async () => [],
) {
  async function getProfile(): Promise<SurveyAnswers | null> {
    return readProfile((await db.settings.get('profile'))?.value);
  }

  async function getSettings(): Promise<Settings> {
    return readSettings((await db.settings.get('settings'))?.value);
  }

  async function findConversation(input: {
    site: Site;
    conversationId: string | null;
    siteConversationId: string | null;
  }): Promise<ConversationRecord | undefined> {
    if (input.conversationId) {
      const byId = await db.conversations.get(input.conversationId);
      if (byId) return byId;
    }
    if (input.siteConversationId) {
      return db.conversations
        .where('[site+siteConversationId]')
        .equals([input.site, input.siteConversationId])
        .first();
    }
    return undefined;
  }

  /** The conversation a capture belongs to, created on first use; its metadata refreshed. Call inside a transaction. */
  async function conversationFor(
    input: { site: Site; conversationId: string | null; siteConversationId: string | null; title: string; modelName: string },
    at: Date,
    /** Whether this is activity (a capture) rather than only viewing what was there. */
    touch = true,
  ): Promise<ConversationRecord> {
    const existing = await findConversation(input);
    if (!existing) {
      const created: ConversationRecord = {
        id: crypto.randomUUID(),
        site: input.site,
        siteConversationId: input.siteConversationId,
        title: input.title,
        modelName: input.modelName,
        modelProvider: siteInfo(input.site).provider,
        createdAt: isoWithOffset(at),
        updatedAt: isoWithOffset(at),
        taskSummary: '',
        taskExpectation: '',
        leafMessageId: null,
      };
      await db.conversations.add(created);
      return created;
    }
    const changes: Partial<ConversationRecord> = touch ? { updatedAt: isoWithOffset(at) } : {};
    if (input.siteConversationId && !existing.siteConversationId) changes.siteConversationId = input.siteConversationId;
    if (input.title) changes.title = input.title;
    if (input.modelName) changes.modelName = input.modelName;
    await db.conversations.update(existing.id, changes);
    return { ...existing, ...changes };
  }

  async function addMessage(
    conversationId: string,
    message: Pick<MessageRecord, 'role' | 'content' | 'siteMessageId' | 'parentId' | 'source'>,
    at: Date,
  ): Promise<number> {
    const siblings = await db.messages.where('conversationId').equals(conversationId).toArray();
    const parent = message.parentId === null ? undefined : siblings.find((m) => m.id === message.parentId);
    if (message.parentId !== null && !parent) throw new InvalidRequestError(`No message ${message.parentId} in this conversation`);
    const latest = siblings.reduce((max, m) => Math.max(max, m.datasetId), -1);
    return (await db.messages.add({
      conversationId,
      ...message,
      timestamp: at.toISOString(),
      order: parent ? parent.order + 1 : 0,
      datasetId: Math.max(at.getTime(), latest + 1),
    } as Parameters<typeof db.messages.add>[0])) as number;
  }

  /** An edit to what would be uploaded: an uploaded conversation is then `changed` (call inside a transaction). */
  async function markEdited(conversationId: string): Promise<void> {
    const conversation = await db.conversations.get(conversationId);
    if (conversation?.review === 'uploaded') await db.conversations.update(conversationId, { review: 'changed' });
  }

  const findBySiteId = (conversationId: string, siteMessageId: string) =>
    db.messages.where('[conversationId+siteMessageId]').equals([conversationId, siteMessageId]).first();

  const operations = {
    async recordMessage(input: Parsed<'recordMessage'>): Promise<RecordMessageResult> {
      const settings = await getSettings();
      if (settings.paused) return { captured: false, reason: 'paused' };
      if (!settings.recording[input.site]) return { captured: false, reason: 'off' };
      const at = now();
      return db.transaction('rw', db.conversations, db.messages, db.settings, async () => {
        const conversation = await conversationFor(input, at);
        // The same turn seen again (a reload mid-exchange) is the message already stored.
        const existing = input.siteMessageId ? await findBySiteId(conversation.id, input.siteMessageId) : undefined;
        const messageId =
          existing?.id ??
          (await addMessage(
            conversation.id,
            {
              role: input.role,
              content: input.content,
              siteMessageId: input.siteMessageId,
              parentId: input.parentMessageId === undefined ? conversation.leafMessageId : input.parentMessageId,
              source: 'live',
            },
            at,
          ));
        // Chatting in a conversation makes its task questions due for when the participant leaves it.
        const taskDue = !existing && input.role === 'user' && !conversation.taskAsk && !hasTaskAnswers(conversation);
        await db.conversations.update(conversation.id, { leafMessageId: messageId, ...(taskDue ? { taskAsk: 'due' as const } : {}) });
        const asking = existing ? { reason: false, reaction: false } : await askingFor(settings, conversation, at);
        const ask = input.role === 'user' ? asking.reason : asking.reaction;
        const thenReaction = input.role === 'user' && asking.reason && asking.reaction;
        return { captured: true as const, conversationId: conversation.id, messageId, ask, thenReaction };
      });
    },

    async recordHistory(input: Parsed<'recordHistory'>): Promise<RecordHistoryResult> {
      const settings = await getSettings();
      if (settings.paused) return { captured: false, reason: 'paused' };
      if (!settings.recording[input.site] || !settings.recordOpened) return { captured: false, reason: 'off' };
      const at = now();
      return db.transaction('rw', db.conversations, db.messages, async () => {
        const conversation = await conversationFor(input, at, false);
        const known = await Promise.all(input.turns.map((turn) => findBySiteId(conversation.id, turn.siteMessageId)));
        const firstKnown = known.findIndex(Boolean);
        const hasMessages = (await db.messages.where('conversationId').equals(conversation.id).count()) > 0;
        // Turns that overlap nothing stored cannot be placed (e.g. scrolled far up past a gap).
        if (firstKnown < 0 && hasMessages) return { captured: true as const, conversationId: conversation.id, messageIds: input.turns.map(() => null) };

        const ids: number[] = [];
        let previous: number | null = firstKnown > 0 ? known[firstKnown]!.parentId : null;
        let reparented = false;
        for (const [i, turn] of input.turns.entries()) {
          const stored = known[i];
          if (stored) {
            // A turn newly found right before a stored one now comes between it and its parent.
            if (i > 0 && !known[i - 1] && stored.parentId !== previous) {
              await db.messages.update(stored.id, { parentId: previous });
              reparented = true;
            }
            previous = stored.id;
          } else {
            previous = await addMessage(
              conversation.id,
              { role: turn.role, content: turn.content, siteMessageId: turn.siteMessageId, parentId: previous, source: 'history' },
              at,
            );
          }
          ids.push(previous!);
        }
        if (reparented) await renumber(conversation.id);
        await db.conversations.update(conversation.id, {
          ...(input.atEnd ? { leafMessageId: ids.at(-1)! } : {}),
          ...(known.some((m) => !m) ? { updatedAt: isoWithOffset(at) } : {}),
        });
        return { captured: true as const, conversationId: conversation.id, messageIds: ids };
      });
    },

    async updateConversation(input: Parsed<'updateConversation'>): Promise<void> {
      await db.transaction('rw', db.conversations, async () => {
        const conversation = await db.conversations.get(input.conversationId);
        if (!conversation) throw new InvalidRequestError(`No conversation ${input.conversationId}`);
        const changes: Partial<ConversationRecord> = {};
        if (input.siteConversationId && !conversation.siteConversationId) {
          changes.siteConversationId = input.siteConversationId;
        }
        if (input.title) changes.title = input.title;
        if (input.modelName) changes.modelName = input.modelName;
        if (Object.keys(changes).length) await db.conversations.update(conversation.id, changes);
      });
    },

    /** A draft with no words left (typed, then all deleted) is no draft: it is removed. */
    async saveDraft(input: Parsed<'saveDraft'>): Promise<void> {
      await db.transaction('rw', db.messages, db.drafts, async () => {
        await requireMessageFor(input.messageId, input.kind);
        requireLabelFits(input.label, input.kind);
        if (input.content.trim() === '') return db.drafts.delete(draftKey(input.messageId, input.kind));
        await db.drafts.put({
          key: draftKey(input.messageId, input.kind),
          messageId: input.messageId,
          kind: input.kind,
          content: input.content,
          label: input.label,
          updatedAt: now().toISOString(),
        });
      });
    },

    async discardDraft(input: Parsed<'discardDraft'>): Promise<void> {
      await db.drafts.delete(draftKey(input.messageId, input.kind));
    },

    async addThought(input: Parsed<'addThought'>): Promise<number> {
      return db.transaction('rw', [db.messages, db.thoughts, db.drafts, db.conversations], async () => {
        const message = await requireMessageFor(input.messageId, input.kind);
        requireLabelFits(input.label, input.kind);
        const at = now();
        const id = await db.thoughts.add({
          conversationId: message.conversationId,
          messageId: message.id,
          kind: input.kind,
          content: input.content,
          label: input.label,
          createdAt: at.toISOString(),
          updatedAt: at.toISOString(),
        } as Parameters<typeof db.thoughts.add>[0]);
        await db.drafts.delete(draftKey(input.messageId, input.kind));
        await db.conversations.update(message.conversationId, { updatedAt: isoWithOffset(at) });
        await markEdited(message.conversationId);
        return id as number;
      });
    },

    async updateThought(input: Parsed<'updateThought'>): Promise<void> {
      await db.transaction('rw', db.thoughts, db.conversations, async () => {
        const thought = await db.thoughts.get(input.id);
        if (!thought) throw new InvalidRequestError(`No thought ${input.id}`);
        requireLabelFits(input.label, thought.kind);
        const at = now();
        // Redactions stay on the words they covered; a span whose words were edited goes.
        const redactions = thought.redactions?.length ? rebaseSpans(thought.content, input.content, thought.redactions) : thought.redactions;
        await db.thoughts.update(input.id, { content: input.content, label: input.label, updatedAt: at.toISOString(), redactions });
        await db.conversations.update(thought.conversationId, { updatedAt: isoWithOffset(at) });
        await markEdited(thought.conversationId);
      });
    },

    async setRedactions(input: Parsed<'setRedactions'>): Promise<void> {
      await db.transaction('rw', db.messages, db.thoughts, db.conversations, async () => {
        const target = 'messageId' in input.target ? await db.messages.get(input.target.messageId) : await db.thoughts.get(input.target.thoughtId);
        if (!target) throw new InvalidRequestError('No such message or thought');
        const spans = normalizeSpans(input.spans);
        if (!spansFit(target.content, spans)) throw new InvalidRequestError('A redaction lies outside the text or splits a character');
        if ('messageId' in input.target) await db.messages.update(target.id, { redactions: spans });
        else await db.thoughts.update(target.id, { redactions: spans });
        await markEdited(target.conversationId);
      });
    },

    /** Approve a conversation for upload, or take the approval back (`new`). */
    async setReviewState(input: Parsed<'setReviewState'>): Promise<void> {
      await db.transaction('rw', db.conversations, async () => {
        const conversation = await db.conversations.get(input.conversationId);
        if (!conversation) throw new InvalidRequestError(`No conversation ${input.conversationId}`);
        await db.conversations.update(conversation.id, { review: input.state === 'new' ? undefined : 'reviewed' });
      });
    },

    /** Keep a conversation, or one of its messages, locally only: never uploaded. */
    async setExcluded(input: Parsed<'setExcluded'>): Promise<void> {
      await db.transaction('rw', db.conversations, db.messages, async () => {
        const conversation = await db.conversations.get(input.conversationId);
        if (!conversation) throw new InvalidRequestError(`No conversation ${input.conversationId}`);
        if (input.messageId === undefined) await db.conversations.update(conversation.id, { excluded: input.excluded });
        else {
          const message = await db.messages.get(input.messageId);
          if (message?.conversationId !== conversation.id) throw new InvalidRequestError(`No message ${input.messageId} in this conversation`);
          await db.messages.update(message.id, { excluded: input.excluded });
        }
        await markEdited(conversation.id);
      });
    },

    async deleteThought(input: Parsed<'deleteThought'>): Promise<void> {
      await db.transaction('rw', db.thoughts, db.conversations, async () => {
        const thought = await db.thoughts.get(input.id);
        if (!thought) return;
        await db.thoughts.delete(input.id);
        await db.conversations.update(thought.conversationId, { updatedAt: isoWithOffset(now()) });
        await markEdited(thought.conversationId);
      });
    },

    async deleteConversation(input: Parsed<'deleteConversation'>): Promise<void> {
      await db.transaction('rw', [db.conversations, db.messages, db.thoughts, db.drafts], async () => {
        const messageIds = (await db.messages.where('conversationId').equals(input.id).primaryKeys()) as number[];
        await db.drafts.where('messageId').anyOf(messageIds).delete();
        await db.thoughts.where('conversationId').equals(input.id).delete();
        await db.messages.where('conversationId').equals(input.id).delete();
        await db.conversations.delete(input.id);
      });
    },

    /**
     * "Delete all my data": every conversation, message, thought, draft, import in progress and
     * the profile. Settings stay (recording on or off is the participant's standing choice).
     */
    async deleteAllData(): Promise<void> {
      await db.transaction('rw', [db.conversations, db.messages, db.thoughts, db.drafts, db.importBatches, db.settings], async () => {
        await Promise.all([db.conversations.clear(), db.messages.clear(), db.thoughts.clear(), db.drafts.clear(), db.importBatches.clear()]);
        await db.settings.delete('profile');
      });
    },

    async updateTask(input: Parsed<'updateTask'>): Promise<void> {
      await db.transaction('rw', db.conversations, async () => {
        const conversation = await db.conversations.get(input.conversationId);
        if (!conversation) throw new InvalidRequestError(`No conversation ${input.conversationId}`);
        if (conversation.taskSummary === input.taskSummary && conversation.taskExpectation === input.taskExpectation) return;
        await db.conversations.update(conversation.id, { taskSummary: input.taskSummary, taskExpectation: input.taskExpectation });
        await markEdited(conversation.id);
      });
    },

    async leftConversation(input: Parsed<'leftConversation'>): Promise<boolean> {
      if (!(await mayAskTask())) return false;
      const conversation = await db.conversations.get(input.conversationId);
      if (!conversation || !taskDue(conversation)) return false;
      // Still open in another tab: not left yet.
      if (isOpen(conversation, await openConversations())) return false;
      return markTaskAsked(conversation.id);
    },

    async taskQuestionsOnReturn(input: Parsed<'taskQuestionsOnReturn'>): Promise<string | null> {
      if (!(await mayAskTask())) return null;
      const since = now().getTime() - TASK_RETURN_WINDOW_MS;
      const due = (await db.conversations.filter((c) => c.site === input.site && taskDue(c) && Date.parse(c.updatedAt) >= since).toArray())
        .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
      if (!due.length) return null;
      // Left by closing its tab: not open in any tab, this new page included.
      const open = await openConversations();
      for (const conversation of due) {
        if (!isOpen(conversation, open) && (await markTaskAsked(conversation.id))) return conversation.id;
      }
      return null;
    },

    async getTaskContext(input: Parsed<'getTaskContext'>): Promise<TaskContext> {
      const [conversation, settings] = await Promise.all([db.conversations.get(input.conversationId), getSettings()]);
      if (!conversation) throw new InvalidRequestError(`No conversation ${input.conversationId}`);
      return {
        title: conversation.title,
        site: conversation.site,
        taskSummary: conversation.taskSummary,
        taskExpectation: conversation.taskExpectation,
        timeoutSeconds: settings.cardTimeoutSeconds,
      };
    },

    async setPaused(input: Parsed<'setPaused'>): Promise<void> {
      await writeSettings((settings) => ({ ...settings, paused: input.paused }));
    },

    async startRecording(input: Parsed<'startRecording'>): Promise<void> {
      await writeSettings((settings) => ({
        ...settings,
        recording: { ...settings.recording, ...Object.fromEntries(input.sites.map((site) => [site, true])) },
        recordOpened: input.recordOpened,
      }));
    },

    async updateSettings(input: Parsed<'updateSettings'>): Promise<void> {
      await writeSettings((settings) => ({ ...settings, ...input }));
    },

    async snooze(input: Parsed<'snooze'>): Promise<void> {
      const until = input.minutes ? new Date(now().getTime() + input.minutes * 60_000).toISOString() : null;
      await writeSettings((settings) => ({ ...settings, snoozedUntil: until }));
    },

    async setConversationQuiet(input: Parsed<'setConversationQuiet'>): Promise<void> {
      const updated = await db.conversations.update(input.conversationId, { quiet: input.quiet });
      if (!updated && !(await db.conversations.get(input.conversationId))) {
        throw new InvalidRequestError(`No conversation ${input.conversationId}`);
      }
    },

    async saveProfile(input: Parsed<'saveProfile'>): Promise<void> {
      if (input.profile) await db.settings.put({ key: 'profile', value: input.profile });
      else await db.settings.delete('profile');
    },

    async getSettings(): Promise<SettingsView> {
      return { settings: await getSettings(), profile: await getProfile() };
    },

    async importConversations(input: Parsed<'importConversations'>) {
      return importThoughtTrace(db, input.conversations);
    },

    async stageImport(input: Parsed<'stageImport'>): Promise<void> {
      await db.importBatches.put({ importId: input.importId, index: input.index, conversations: input.conversations });
    },

    async commitImport(input: Parsed<'commitImport'>) {
      return db.transaction('rw', [db.importBatches, db.conversations, db.messages, db.thoughts], async () => {
        const batches = await db.importBatches.where('importId').equals(input.importId).sortBy('index');
        await db.importBatches.where('importId').equals(input.importId).delete();
        if (batches.length !== input.batches || batches.some((batch, i) => batch.index !== i)) {
          throw new InvalidRequestError(`Part of the file did not arrive (${batches.length} of ${input.batches} parts): nothing was imported`);
        }
        return importThoughtTrace(db, batches.flatMap((batch) => batch.conversations));
      });
    },

    async discardImport(input: Parsed<'discardImport'>): Promise<void> {
      await db.importBatches.where('importId').equals(input.importId).delete();
    },

    async getStatus(): Promise<Status> {
      const [settings, counts] = await Promise.all([getSettings(), countAll(db)]);
      return { paused: settings.paused, recording: settings.recording, ...counts };
    },

    async getCardContext(input: Parsed<'getCardContext'>): Promise<CardContext> {
      const message = await requireMessageFor(input.messageId, input.kind);
      const [draft, settings] = await Promise.all([
        db.drafts.get(draftKey(input.messageId, input.kind)),
        getSettings(),
      ]);
      // Code points, not UTF-16 units, so an emoji is never cut in half.
      const flat = [...message.content.replace(/\s+/g, ' ').trim()];
      const thoughts = await db.thoughts.where('messageId').equals(message.id).sortBy('id');
      return {
        excerpt: flat.length > 160 ? `${flat.slice(0, 157).join('')}…` : flat.join(''),
        draft: draft ? { content: draft.content, label: draft.label } : null,
        timeoutSeconds: settings.cardTimeoutSeconds,
        conversationId: message.conversationId,
        thoughts: thoughts.map((t) => ({ id: t.id, content: t.content, label: t.label })),
      };
    },
  } satisfies { [K in BackgroundRequest]: (input: Parsed<K>) => Promise<unknown> };

  /**
   * Which thoughts to ask about the turn of a message just captured live: its prompt's reason and
   * its reply's reaction. Capture never depends on it; only the interruption does. A reply follows
   * the decision made for its prompt's turn.
   */
  async function askingFor(settings: Settings, conversation: ConversationRecord, at: Date): Promise<{ reason: boolean; reaction: boolean }> {
    if (isSnoozed(settings, at) || conversation.quiet) return { reason: false, reaction: false };
    let thisTurn = true;
    // Counting turns is needed only when asking on every Nth.
    if (settings.everyNth > 1) {
      const turn = await db.messages
        .where('conversationId')
        .equals(conversation.id)
        .filter((m) => m.role === 'user' && m.source === 'live')
        .count();
      thisTurn = (Math.max(turn, 1) - 1) % settings.everyNth === 0;
    }
    return { reason: thisTurn && settings.ask !== 'reactions', reaction: thisTurn && settings.ask !== 'reasons' };
  }

  /** Task questions may be asked now: not paused, not snoozed, not turned off. */
  async function mayAskTask(): Promise<boolean> {
    const settings = await getSettings();
    return !settings.paused && settings.askTask && !isSnoozed(settings, now());
  }

  /** Chatted in, never asked, not silenced and not answered yet. */
  function taskDue(conversation: ConversationRecord): boolean {
    return conversation.taskAsk === 'due' && !conversation.quiet && !hasTaskAnswers(conversation);
  }

  function isOpen(conversation: ConversationRecord, open: OpenConversation[]): boolean {
    return open.some(
      (page) =>
        page.conversationId === conversation.id ||
        (page.siteConversationId !== null && page.site === conversation.site && page.siteConversationId === conversation.siteConversationId),
    );
  }

  /** Asked once, whichever tab asks first. */
  function markTaskAsked(conversationId: string): Promise<boolean> {
    return db.transaction('rw', db.conversations, async () => {
      const current = await db.conversations.get(conversationId);
      if (current?.taskAsk !== 'due') return false;
      await db.conversations.update(conversationId, { taskAsk: 'asked' });
      return true;
    });
  }

  function isSnoozed(settings: Settings, at: Date): boolean {
    return settings.snoozedUntil !== null && Date.parse(settings.snoozedUntil) > at.getTime();
  }

  async function writeSettings(change: (settings: Settings) => Settings) {
    await db.transaction('rw', db.settings, async () => {
      await db.settings.put({ key: 'settings', value: change(await getSettings()) });
    });
  }

  /** Recomputes every message's depth from the parent links, after history was put in front of stored turns. */
  async function renumber(conversationId: string) {
    const messages = await db.messages.where('conversationId').equals(conversationId).toArray();
    const children = new Map<number | null, MessageRecord[]>();
    for (const m of messages) children.set(m.parentId, [...(children.get(m.parentId) ?? []), m]);
    const changed: MessageRecord[] = [];
    const visit = (parentId: number | null, order: number) => {
      for (const child of children.get(parentId) ?? []) {
        if (child.order !== order) changed.push({ ...child, order });
        visit(child.id, order + 1);
      }
    };
    visit(null, 0);
    await db.messages.bulkPut(changed);
  }

  async function requireMessageFor(messageId: number, kind: 'reason' | 'reaction') {
    const message = await db.messages.get(messageId);
    if (!message) throw new InvalidRequestError(`No message ${messageId}`);
    if (kindForRole(message.role) !== kind) {
      throw new InvalidRequestError(`A ${kind} cannot be written about a ${message.role} message`);
    }
    return message;
  }

  function requireLabelFits(label: ThoughtLabel | '', kind: ThoughtKind) {
    if (!labelFitsKind(label, kind)) throw new InvalidRequestError(`"${label}" is not a ${kind} label`);
  }

  /**
   * After an update from a version that recorded from install: a participant who had settings
   * then keeps recording on every site, as before. A new install starts with recording off.
   */
  async function keepRecordingAfterUpdate(): Promise<void> {
    await db.transaction('rw', db.settings, async () => {
      const row = await db.settings.get('settings');
      if (!row || (row.value as { recording?: unknown }).recording !== undefined) return;
      await db.settings.put({ key: 'settings', value: { ...(row.value as object), recording: { chatgpt: true, claude: true, gemini: true } } });
    });
  }

  /** Validates `data` against the request's schema, then runs it. Bad input writes nothing. */
  async function handle<K extends BackgroundRequest>(
    type: K,
    data: unknown,
  ): Promise<Awaited<ReturnType<(typeof operations)[K]>>> {
    const schema = Object.hasOwn(backgroundRequests, type) ? backgroundRequests[type] : undefined;
    if (!schema) throw new InvalidRequestError(`Unknown request "${String(type)}"`);
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new InvalidRequestError(`Invalid "${type}" request: ${z.prettifyError(parsed.error)}`);
    }
    const run = operations[type] as (input: unknown) => Promise<Awaited<ReturnType<(typeof operations)[K]>>>;
    return run(parsed.data);
  }

  /** The conversation a message belongs to: what a card about that message may act on. */
  async function conversationOfMessage(messageId: number): Promise<string | null> {
    return (await db.messages.get(messageId))?.conversationId ?? null;
  }

  /** The site a stored conversation is on: what a chat page's content script may write to. */
  async function siteOfConversation(conversationId: string): Promise<Site | 'import' | null> {
    return (await db.conversations.get(conversationId))?.site ?? null;
  }

  return { ...operations, handle, conversationOfMessage, siteOfConversation, keepRecordingAfterUpdate };
}

export type Store = ReturnType<typeof createStore>;
