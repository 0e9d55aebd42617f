import type { ConversationRecord, MessageRecord, SurveyAnswers, ThoughtRecord, ThoughtTraceConversation } from './records';
import { toThoughtTrace } from './thoughttrace';
import { stripUrlQueries } from '../redaction/url';

// What a study receives. The review page's preview and the upload both build it here, so the
// participant sees byte for byte what is sent.

/**
 * One conversation as a study receives it: the ThoughtTrace record with the participant's
 * redactions applied, the messages they excluded left out (with their thoughts), every URL without
 * its query and fragment, and the conversation's random upload id in place of any local or site
 * id. Nothing else about the participant, the site or the page goes with it.
 */
export function toUploadRecord(
  conversation: ConversationRecord,
  messages: MessageRecord[],
  thoughts: ThoughtRecord[],
  profile: SurveyAnswers | null,
): ThoughtTraceConversation {
  return toThoughtTrace(conversation, messages, thoughts, profile, {
    id: conversation.uploadId,
    keep: (message) => !message.excluded,
    text: stripUrlQueries,
  });
}

/** The upload's line for one conversation: exactly what is sent, and what the preview shows. */
export const toUploadLine = (...args: Parameters<typeof toUploadRecord>): string => JSON.stringify(toUploadRecord(...args));
