// Lets tsc (which does not read .svelte files) type imports of components; svelte-check checks them fully.
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<any>;
  export default component;
}

// Stylesheets are bundled by Vite.
declare module '*.css';
