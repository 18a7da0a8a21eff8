// The URL fragment that opens the wizard (#wizard) or one destination (#destination=<key>, as the desktop
// app's notifications link), read on load and on every hashchange; and the destination shown selected.
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import { Navigation, parseHash } from '../../renderer/src/state/navigation.svelte.js';
import DestinationsTable from '../../renderer/src/components/DestinationsTable.svelte';
import { destinationLabel } from '../../renderer/src/wizard/wizard-format.js';
import { makeDestination } from '../node/service/make-sample.js';

afterEach(() => {
  window.location.hash = '';
  document.body.innerHTML = '';
});

describe('parseHash', () => {
  it('reads #wizard and #destination=<encoded key>, and anything else as the plain dashboard', () => {
    const key = 'net:[4026531840]|10.0.0.1|fd00::1|443';
    expect(parseHash('#wizard')).toEqual({ view: 'wizard' });
    expect(parseHash(`#destination=${encodeURIComponent(key)}`)).toEqual({ view: 'dashboard', destination: key });
    expect(parseHash('')).toEqual({ view: 'dashboard', destination: null });
    expect(parseHash('#destination=')).toEqual({ view: 'dashboard', destination: null });
    expect(parseHash('#destination=%E0%A4%A')).toEqual({ view: 'dashboard', destination: null });
    expect(parseHash(`#destination=${'x'.repeat(401)}`)).toEqual({ view: 'dashboard', destination: null });
    expect(parseHash('#wizardx')).toEqual({ view: 'dashboard', destination: null });
  });

  it('names a destination for people from its key', () => {
    expect(destinationLabel('|10.0.0.1|10.0.0.2|80')).toBe('10.0.0.2:80 from 10.0.0.1');
    expect(destinationLabel('net:[1]|::1|fd00::1|443')).toBe('[fd00::1]:443 from ::1');
    expect(destinationLabel('not a key')).toBe('not a key');
  });
});

describe('Navigation', () => {
  it('follows the fragment on load and on hashchange', async () => {
    window.location.hash = 'wizard';
    const nav = new Navigation(window);
    expect(nav.route).toEqual({ view: 'wizard' });
    const seq = nav.seq;
    window.location.hash = `destination=${encodeURIComponent('|10.0.0.1|10.0.0.2|80')}`;
    await new Promise((r) => setTimeout(r, 0));
    expect(nav.route).toEqual({ view: 'dashboard', destination: '|10.0.0.1|10.0.0.2|80' });
    expect(nav.seq).toBeGreaterThan(seq);
    nav.openDashboard();
    expect(nav.route).toEqual({ view: 'dashboard', destination: null });
    expect(window.location.hash).toBe('');
  });
});

describe('DestinationsTable at one destination', () => {
  it('marks the destination the page was opened at', () => {
    const a = makeDestination(10, 100, { remoteAddress: '10.0.0.5' });
    const b = makeDestination(90, 100, { remoteAddress: '10.0.0.9' });
    const target = document.createElement('div');
    document.body.appendChild(target);
    const m = mount(DestinationsTable, { target, props: { destinations: [a, b], total: 2, filter: '', selectedKey: a.key } });
    flushSync();
    const rows = [...target.querySelectorAll<HTMLTableRowElement>('tbody tr')];
    const selected = rows.filter((r) => r.classList.contains('selected'));
    expect(selected.map((r) => r.dataset.key)).toEqual([a.key]);
    expect(selected[0]!.getAttribute('aria-current')).toBe('true');
    expect(selected[0]!.tabIndex).toBe(-1);
    unmount(m);
  });
});
