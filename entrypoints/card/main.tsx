import { createRoot } from 'react-dom/client';
import { TaskCard } from '@/components/card/TaskCard';
import { ThoughtCard } from '@/components/card/ThoughtCard';
import { TurnWaiting } from '@/components/card/TurnWaiting';
import { bindCard } from '@/components/card/frame';
import '@/components/styles.css';
import { sendMessage } from '@/utils/protocol/messages';
import { cardBindingSchema, cardHandoverSchema, type CardBinding } from '@/utils/protocol/card';
import { applyTheme } from '@/utils/theme';

applyTheme(document, new URLSearchParams(location.search).get('theme'));

function render({ card }: CardBinding) {
  createRoot(document.getElementById('root')!).render(
    card.kind === 'task' ? <TaskCard conversationId={card.conversationId} />
    : card.kind === 'waiting' ? <TurnWaiting />
    : <ThoughtCard messageId={card.messageId} kind={card.kind} />,
  );
}

// The content script hands this page its card's id once it has loaded; the background then says
// which card that is. A frame the chat page made itself is never handed a valid id: it shows nothing.
let shown = false;
const onHandover = async (event: MessageEvent) => {
  const handover = cardHandoverSchema.safeParse(event.data);
  if (event.source !== window.parent || !handover.success) return;
  const reply = cardBindingSchema.safeParse(await sendMessage('whichCard', { card: handover.data.card }).catch(() => null));
  if (!reply.success || shown) return;
  const bound = reply.data;
  shown = true;
  window.removeEventListener('message', onHandover);
  bindCard(bound);
  render(bound);
};
window.addEventListener('message', onHandover);
