import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayPath, fmtMedianRange, html, joinHtml, rawHtml, scrubPaths, summarize } from '../src/index.js';

describe('the html tagged template', () => {
  it('escapes every interpolation unless it is markup made by html or rawHtml', () => {
    const name = `<script>alert("x")</script>&'`;
    const inner = html`<b>${name}</b>`;
    const out = html`<p title="${name}">${inner} ${[name, html`<i>ok</i>`]} ${null}${undefined}${false}${0}</p>`.value;
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"><b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</b> &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;<i>ok</i> 0</p>',
    );
    expect(html`${rawHtml('<hr>')}`.value).toBe('<hr>');
    expect(joinHtml(['<a>', html`<br>`], ', ').value).toBe('&lt;a&gt;, <br>');
  });
});

describe('medians and paths', () => {
  it('summarises samples as median [min–max], even counts averaging the middle two', () => {
    const s = summarize([3, 1, 4, 2, Number.NaN])!;
    expect(s).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
    expect(fmtMedianRange(s, 'ms')).toEqual({ median: '2.50', range: '[1.00–4.00]' });
    expect(summarize([])).toBeNull();
  });

  it('shows paths relative to the base, and only the tail of one outside it', () => {
    const base = path.resolve('/repo/root');
    expect(displayPath('/repo/root/reports/ablation/runs', base)).toBe('reports/ablation/runs');
    expect(displayPath('runs', base)).toBe('runs');
    expect(displayPath('/tmp/abc123/x/runs', base)).toBe('…/x/runs');
    expect(displayPath('/repo/rootless/runs', base)).toBe('…/rootless/runs');
    expect(scrubPaths('/repo/root/runs/a/result.json: bad; also /tmp/q/r/s.json', base, [base, '/tmp'])).toBe('runs/a/result.json: bad; also …/r/s.json');
  });
});
