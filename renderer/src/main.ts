// Start-up: platform (Electron preload or browser bridge), engine client,
// stores, then the workbench.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { getPlatform } from './platform/bridge';
import { connectEngine } from './platform/connect';
import { EngineClient } from './platform/engine-client';
import { setServices } from './platform/services';
import './styles.css';

const platform = getPlatform();
const client = new EngineClient({
  // The engine's own log lines go to the developer console.
  onEvent: (e) => {
    if (e.type === 'log') console[e.level](`[engine] ${e.message}`);
  },
});
setServices({ platform, client });

const app = createApp(App);
app.use(createPinia());
connectEngine(platform, client);
app.mount('#app');
