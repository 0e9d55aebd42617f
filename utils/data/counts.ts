import type { ThoughtTraceDb } from './db';
import type { ConversationRecord } from './records';

/** Whether the participant answered either task question of a conversation. */
export const hasTaskAnswers = (conversation: ConversationRecord): boolean =>
  conversation.taskSummary.trim() !== '' || conversation.taskExpectation.trim() !== '';

/** What the popup counts. */
export interface Counts {
  conversations: number;
  thoughts: number;
  /** Conversations the participant chatted in whose two task questions are both unanswered. */
  tasksUnanswered: number;
}

export async function countAll(db: ThoughtTraceDb): Promise<Counts> {
  const [conversations, thoughts, tasksUnanswered] = await Promise.all([
    db.conversations.count(),
    db.thoughts.count(),
    db.conversations.filter((c) => c.taskAsk !== undefined && !hasTaskAnswers(c)).count(),
  ]);
  return { conversations, thoughts, tasksUnanswered };
}
