import { z } from 'zod';
import { reactionLabelSchema, reasonLabelSchema } from './labels.js';
import { isoTimestampSchema } from './time.js';

// One ThoughtTrace conversation (CONTRACTS.md section 1). Every object is strict and its keys are
// declared in the public release's order, so `JSON.stringify(schema.parse(x))` writes a line the
// way the release does, whatever order the input had.

export const surveyAnswersSchema = z.object({
  age: z.string(),
  gender: z.string(),
  education: z.string(),
  occupation: z.string(),
  frequency: z.string(),
  purposes: z.string(),
});
export type SurveyAnswers = z.infer<typeof surveyAnswersSchema>;

const thoughtSchema = <L extends z.ZodType>(label: L) =>
  z.strictObject({
    content: z.string(),
    timestamp: isoTimestampSchema,
    label: z.union([label, z.literal('')]),
  });
export const thoughtTraceReasonSchema = thoughtSchema(reasonLabelSchema);
export const thoughtTraceReactionSchema = thoughtSchema(reactionLabelSchema);
export type ThoughtTraceReason = z.infer<typeof thoughtTraceReasonSchema>;
export type ThoughtTraceReaction = z.infer<typeof thoughtTraceReactionSchema>;
export type ThoughtTraceThought = ThoughtTraceReason | ThoughtTraceReaction;

export const thoughtTraceUserMessageSchema = z.strictObject({
  content: z.string(),
  timestamp: isoTimestampSchema,
  type: z.literal('user'),
  id: z.number().int(),
  reasons: z.array(thoughtTraceReasonSchema),
});

export const thoughtTraceAssistantMessageSchema = z.strictObject({
  content: z.string(),
  timestamp: isoTimestampSchema,
  type: z.literal('assistant'),
  id: z.number().int(),
  reactions: z.array(thoughtTraceReactionSchema),
});

export const thoughtTraceMessageSchema = z.discriminatedUnion('type', [
  thoughtTraceUserMessageSchema,
  thoughtTraceAssistantMessageSchema,
]);
export type ThoughtTraceMessage = z.infer<typeof thoughtTraceMessageSchema>;

export const thoughtTraceConversationSchema = z
  .strictObject({
    id: z.string().min(1),
    messages: z.array(thoughtTraceMessageSchema),
    model_name: z.string(),
    // The public release also names providers we do not capture from (xAI, Xiaomi).
    model_provider: z.string(),
    created_at: isoTimestampSchema,
    updated_at: isoTimestampSchema,
    task_summary: z.string(),
    task_expectation: z.string(),
    survey_answers: z.array(surveyAnswersSchema).max(1),
  })
  .superRefine((conversation, ctx) => {
    const ids = conversation.messages.map((m) => m.id);
    ids.forEach((id, i) => {
      if (i > 0 && id <= ids[i - 1]!) {
        ctx.addIssue({ code: 'custom', path: ['messages', i, 'id'], message: 'message ids must increase' });
      }
    });
  });
export type ThoughtTraceConversation = z.infer<typeof thoughtTraceConversationSchema>;
