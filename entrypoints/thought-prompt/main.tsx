import { createRoot } from 'react-dom/client';
import { TaskPrompt } from '@/components/TaskPrompt';
import { ThoughtPrompt } from '@/components/ThoughtPrompt';
import { TurnWaiting } from '@/components/TurnWaiting';
import { cardParamsSchema } from '@/components/prompt-frame';
import '@/components/styles.css';
import { applyTheme } from '@/utils/theme';

const params = new URLSearchParams(location.search);
applyTheme(document, params.get('theme'));

// The content script chose the card; a malformed address (nobody else opens this page) shows nothing.
const card = cardParamsSchema.safeParse(Object.fromEntries(params));
if (card.success) {
  const { data } = card;
  createRoot(document.getElementById('root')!).render(
    data.kind === 'task' ? <TaskPrompt conversationId={data.conversationId} />
    : data.kind === 'waiting' ? <TurnWaiting />
    : <ThoughtPrompt messageId={data.messageId} kind={data.kind} />,
  );
}
