import { createRoot } from 'react-dom/client';
import { Review } from '@/components/Review';
import '@/components/styles.css';

createRoot(document.getElementById('root')!).render(<Review />);
