/** Entry of the portal page. */
import './styles.css';
import './app.js';
