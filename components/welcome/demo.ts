import type { CardChannel, CardSend } from '../card/frame';
import type { CloseOutcome } from '@/utils/protocol/card';
import type { RequestData } from '@/utils/protocol/requests';
import type { ThoughtKind, ThoughtLabel } from '@/utils/data/records';
import { t } from '@/utils/i18n';

// The welcome page's demo conversation gives the real thought card a channel that keeps
// everything on the page: drafts, saved thoughts and "ask less" choices live in memory and go
// when the page does. Nothing reaches the background, so the demo never becomes a conversation,
// is never exported and is never uploaded.

/** The demo's two messages, as the card names them. */
export const DEMO_PROMPT = 1;
export const DEMO_REPLY = 2;

export interface DemoThought {
  kind: ThoughtKind;
  content: string;
  label: ThoughtLabel | '';
}

/** How long an untouched demo card stays: long enough to read the walkthrough beside it. */
const DEMO_TIMEOUT_SECONDS = 600;

/** What the participant did in the demo, for the walkthrough to show at its end. */
export interface DemoRecord {
  thoughts: DemoThought[];
  /** The "ask less" choice made in a card, as its button reads. */
  askedLess: string | null;
}

/**
 * The channel of the demo's cards. `excerpt` is what the card quotes of its message; `closed`
 * hears how a card closed, as a content script would.
 */
export function demoChannel(record: DemoRecord, excerpt: (messageId: number) => string, closed: (outcome: CloseOutcome) => void): CardChannel {
  const drafts = new Map<string, { content: string; label: ThoughtLabel | '' }>();
  const send = (async (type, data) => {
    switch (type) {
      case 'getCardContext': {
        const { messageId, kind } = data as RequestData<'getCardContext'>;
        return { excerpt: excerpt(messageId), draft: drafts.get(`${messageId}:${kind}`) ?? null, timeoutSeconds: DEMO_TIMEOUT_SECONDS, conversationId: 'demo', thoughts: [] };
      }
      case 'saveDraft': {
        const { messageId, kind, content, label } = data as RequestData<'saveDraft'>;
        drafts.set(`${messageId}:${kind}`, { content, label: label ?? '' });
        return undefined;
      }
      case 'discardDraft': {
        const { messageId, kind } = data as RequestData<'discardDraft'>;
        drafts.delete(`${messageId}:${kind}`);
        return undefined;
      }
      case 'addThought': {
        const { messageId, kind, content, label } = data as RequestData<'addThought'>;
        drafts.delete(`${messageId}:${kind}`);
        record.thoughts.push({ kind, content, label: label ?? '' });
        return record.thoughts.length;
      }
      case 'snooze':
        record.askedLess = t('snoozeForAnHour');
        return undefined;
      case 'setConversationQuiet':
        record.askedLess = t('cardNotInConversation');
        return undefined;
      case 'updateSettings': {
        const { ask } = data as RequestData<'updateSettings'>;
        record.askedLess = ask === 'reactions' ? t('cardStopAskingReasons') : ask === 'reasons' ? t('cardStopAskingReactions') : t('cardEveryThird');
        return undefined;
      }
      default:
        throw new Error(`The demo card cannot ${type}`);
    }
  }) as CardSend;
  return {
    send,
    tellHost: (report) => {
      if (report.type === 'closed') closed(report.outcome);
    },
  };
}
