// Entry point: pick the transport (the desktop app's preload bridge, else the server's WebSocket), build the
// one client and the state, mount the dashboard.
import { mount } from 'svelte';
import App from './App.svelte';
import { PortwatchClient } from './api/client.js';
import { BridgeTransport, findBridge } from './api/bridge-transport.js';
import { WebSocketTransport, messageTimes, sameOriginWsUrl } from './api/ws-transport.js';
import { MonitorState } from './state/monitor.svelte.js';
import { Theme } from './state/theme.svelte.js';
import { Navigation } from './state/navigation.svelte.js';
import { WizardState } from './wizard/wizard-state.svelte.js';
import { chartUpdateTimes } from './charts/setup.js';
import './styles.css';

const bridge = findBridge(window);
const transport = bridge ? new BridgeTransport(bridge) : new WebSocketTransport({ url: sameOriginWsUrl(window.location) });
const client = new PortwatchClient(transport);
const state = new MonitorState(client);
const theme = new Theme(window);
const nav = new Navigation(window);
const wizard = new WizardState(client);

// Read by the benchmark: chart redraw and message handling durations (bounded), nothing else.
(window as unknown as { __portwatchPerf: unknown }).__portwatchPerf = { chartUpdateTimes, messageTimes };

mount(App, { target: document.getElementById('app')!, props: { monitor: state, theme, nav, wizard } });
