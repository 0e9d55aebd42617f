import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '@/utils/data/db';
import type { ConversationRecord } from '@/utils/data/records';
import { readStudyOffer, readStudyState, readUploadStatus, type ConversationUpload, type StudyOffer, type StudyState, type UploadStatus } from '@/utils/data/study';

// What the study's pages read, as live queries (components/live.ts's rule): the state, the study
// being read before joining, how uploading stands, and where each conversation stands, as the
// background writes them.

/** Where one conversation stands with the study, in the participant's terms. */
export type ConversationStatus =
  | { kind: 'excluded' }
  | { kind: 'not-approved' }
  | { kind: 'waiting' }
  | { kind: 'refused'; message: string; at: string }
  | { kind: 'uploaded'; at: string | null }
  | { kind: 'changed' };

export function conversationStatus(conversation: ConversationRecord, upload: ConversationUpload | undefined): ConversationStatus {
  if (conversation.excluded) return { kind: 'excluded' };
  switch (conversation.review) {
    case 'uploaded':
      return { kind: 'uploaded', at: upload?.sent?.at ?? null };
    case 'changed':
      return { kind: 'changed' };
    case 'reviewed':
      // A refusal stands until the conversation changes; the uploader tells by its line's hash, so
      // here it shows until the next upload attempt clears or renews it.
      return upload?.refused ? { kind: 'refused', message: upload.refused.message, at: upload.refused.at } : { kind: 'waiting' };
    default:
      return { kind: 'not-approved' };
  }
}

export interface StudyView {
  state: StudyState;
  offer: StudyOffer | null;
  uploads: UploadStatus;
  /** The conversations the participant approved (waiting, uploaded, changed since, refused), newest first. */
  conversations: { conversation: ConversationRecord; status: ConversationStatus }[];
  /** How many others are not approved (they stay out of the list: the review page is where to approve them). */
  notApproved: number;
  counts: { waiting: number; uploaded: number; changed: number; refused: number };
}

/** Everything the study's pages show; undefined while the first read runs. */
export function useStudy(): StudyView | undefined {
  return useLiveQuery(async () => {
    const database = db();
    // By the review-state index: a study concerns the approved conversations, which are few beside all of them.
    const [rows, approved, total, uploads] = await Promise.all([
      database.study.toArray(),
      database.conversations.where('review').anyOf(['reviewed', 'uploaded', 'changed']).toArray(),
      database.conversations.count(),
      database.uploads.toArray(),
    ]);
    const conversations = approved.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    const value = (key: string) => rows.find((row) => row.key === key)?.value;
    const byConversation = new Map(uploads.map((upload) => [upload.conversationId, upload]));
    const listed = conversations.map((conversation) => ({ conversation, status: conversationStatus(conversation, byConversation.get(conversation.id)) }));
    const count = (kind: ConversationStatus['kind']) => listed.filter((c) => c.status.kind === kind).length;
    return {
      state: readStudyState(value('state')),
      offer: readStudyOffer(value('offer')),
      uploads: readUploadStatus(value('uploads')),
      conversations: listed,
      notApproved: total - listed.length,
      counts: { waiting: count('waiting'), uploaded: count('uploaded'), changed: count('changed'), refused: count('refused') },
    };
  }, []);
}
