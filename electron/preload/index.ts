// The preload (sandboxed, context-isolated): exposes window.portwatch, the contract's verbs and events.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.js';

contextBridge.exposeInMainWorld('portwatch', createBridge(ipcRenderer));
