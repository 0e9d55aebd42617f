import { createRoot } from 'react-dom/client';
import { Popup } from '@/components/Popup';
import '@/components/styles.css';

createRoot(document.getElementById('root')!).render(<Popup />);
