import { toUploadLine } from '../../data/upload-record';
import {
  IDLE_UPLOADS,
  readStudyOffer,
  readStudyState,
  readUploadStatus,
  type ConversationUpload,
  type StudyOffer,
  type StudyRows,
  type StudyState,
  type UploadStatus,
} from '../../data/study';
import type { ConversationRecord } from '../../data/records';
import { transition, type StudyEvent } from '../study/machine';
import { storeHelpers, type StoreContext } from './context';

// Every write about the study: its state (through the state machine), the study being read
// before joining, how uploading stands, and what each conversation last sent. One transaction
// each. The queue is no table of its own: it is the conversations approved for upload.

/** A conversation waiting to be sent: the line the preview shows, built now. */
export interface PendingLine {
  conversationId: string;
  uploadId: string;
  line: string;
  /** The hash of a line of this conversation the collector refused, if it did. */
  refusedHash: string | null;
}

/** A line the collector took: which line, so that an edit made while it was on its way is caught. */
export interface SentLine {
  conversationId: string;
  uploadId: string;
  line: string;
  hash: string;
}

const waiting = (c: ConversationRecord) => c.review === 'reviewed' && !c.excluded;

export function studyStore(ctx: StoreContext) {
  const { db, now } = ctx;
  const { getProfile } = storeHelpers(ctx);
  /** Conversations approved for upload and not excluded, read by the review-state index. */
  const approved = () => db.conversations.where('review').equals('reviewed').filter(waiting);

  const row = async <K extends keyof StudyRows>(key: K): Promise<unknown> => (await db.study.get(key))?.value;
  const state = async (): Promise<StudyState> => readStudyState(await row('state'));
  const uploadStatus = async (): Promise<UploadStatus> => readUploadStatus(await row('uploads'));

  /** The line a conversation would send now (call inside a transaction over messages, thoughts and settings). */
  async function lineOf(conversation: ConversationRecord, profile: Awaited<ReturnType<typeof getProfile>>): Promise<string> {
    const [messages, thoughts] = await Promise.all([
      db.messages.where('conversationId').equals(conversation.id).toArray(),
      db.thoughts.where('conversationId').equals(conversation.id).toArray(),
    ]);
    return toUploadLine(conversation, messages, thoughts, profile);
  }

  /** Extra writes some transitions bring, in the same transaction. */
  async function afterTransition(event: StudyEvent, next: StudyState) {
    if (event.type === 'enrol') {
      await db.study.delete('offer');
      await db.study.put({ key: 'uploads', value: IDLE_UPLOADS });
      // A new enrolment is a new participant: fresh upload ids make its conversations unlinkable
      // to anything sent before (another study, or this one before withdrawing), and approvals
      // of uploads to that earlier enrolment do not carry over.
      await db.uploads.clear();
      await db.conversations.toCollection().modify((conversation) => {
        conversation.uploadId = crypto.randomUUID();
        if (conversation.review === 'uploaded' || conversation.review === 'changed') delete conversation.review;
      });
    } else if (event.type === 'withdraw') {
      await db.study.put({ key: 'uploads', value: IDLE_UPLOADS });
    } else if (event.type === 'deleted' && next.state === 'withdrawn') {
      // What was uploaded is gone from the study: nothing here is "uploaded" any more.
      await db.uploads.clear();
      await db.conversations
        .where('review')
        .anyOf(['uploaded', 'changed'])
        .modify((conversation) => {
          delete conversation.review;
        });
      await db.study.put({ key: 'uploads', value: IDLE_UPLOADS });
    }
  }

  return {
    state,
    uploadStatus,
    offer: async (): Promise<StudyOffer | null> => readStudyOffer(await row('offer')),

    /** The study the participant looked up, shown until they join or cancel. */
    async saveOffer(offer: StudyOffer): Promise<void> {
      await db.study.put({ key: 'offer', value: offer });
    },
    async clearOffer(): Promise<void> {
      await db.study.delete('offer');
    },

    /**
     * Moves the study's state by `event` (utils/background/study/machine.ts), with what that
     * brings, in one transaction. Throws a StudyTransitionError when the event cannot happen now.
     */
    async apply(event: StudyEvent): Promise<StudyState> {
      return db.transaction('rw', [db.study, db.conversations, db.uploads], async () => {
        const next = transition(await state(), event);
        await db.study.put({ key: 'state', value: next });
        await afterTransition(event, next);
        return next;
      });
    },

    async setUploadStatus(change: (status: UploadStatus) => UploadStatus): Promise<UploadStatus> {
      return db.transaction('rw', db.study, async () => {
        const next = change(await uploadStatus());
        await db.study.put({ key: 'uploads', value: next });
        return next;
      });
    },

    /** Conversations approved for upload and not excluded, oldest first, each with the line it would send now. */
    async pendingLines(): Promise<PendingLine[]> {
      return db.transaction('r', [db.conversations, db.messages, db.thoughts, db.settings, db.uploads], async () => {
        const profile = await getProfile();
        const conversations = (await approved().toArray()).sort(
          (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id),
        );
        const pending: PendingLine[] = [];
        for (const conversation of conversations) {
          pending.push({
            conversationId: conversation.id,
            uploadId: conversation.uploadId,
            line: await lineOf(conversation, profile),
            refusedHash: (await db.uploads.get(conversation.id))?.refused?.hash ?? null,
          });
        }
        return pending;
      });
    },

    /** Whether anything waits to be sent. */
    async hasPending(): Promise<boolean> {
      return (await approved().count()) > 0;
    },

    /**
     * The collector stored these lines. A conversation becomes `uploaded` only if what it would
     * send now is still exactly that line; one edited meanwhile stays approved and goes again
     * (replacing the copy just sent).
     */
    async markSent(sent: SentLine[], at: string): Promise<void> {
      await db.transaction('rw', [db.conversations, db.messages, db.thoughts, db.settings, db.uploads], async () => {
        const profile = await getProfile();
        for (const item of sent) {
          const conversation = await db.conversations.get(item.conversationId);
          if (!conversation) continue;
          const record: ConversationUpload = { conversationId: item.conversationId, sent: { uploadId: item.uploadId, hash: item.hash, at }, refused: null };
          await db.uploads.put(record);
          if (waiting(conversation) && conversation.uploadId === item.uploadId && (await lineOf(conversation, profile)) === item.line) {
            await db.conversations.update(conversation.id, { review: 'uploaded' });
          }
        }
      });
    },

    /** The collector cannot take this conversation as it is: it is not sent again until it changes. */
    async markRefused(conversationId: string, hash: string, message: string, at: string): Promise<void> {
      await db.transaction('rw', db.uploads, async () => {
        const current = await db.uploads.get(conversationId);
        await db.uploads.put({ conversationId, sent: current?.sent ?? null, refused: { hash, message, at } });
      });
    },

    now: () => now().toISOString(),
  };
}

export type StudyStore = ReturnType<typeof studyStore>;
