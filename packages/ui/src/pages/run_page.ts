import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLASS_NAMES, flattenRecord, fmt, fmtBytes, fmtSeconds, fmtUnit, html, scriptSafe, type SafeHtml } from '@unpool/report';
import { runCharts } from '../run_charts.js';
import type { RunRow } from '../run_row.js';
import type { RunRecord } from '../run_source.js';
import { page, statusChip } from './layout.js';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : fmt(x * 100, 1));

/** The command line that re-creates this run (the run id follows from variant, seed and config hash). */
export function reproduceCommand(row: RunRow, rootDisplay: string): string {
  const parts = ['pnpm exp run', row.experiment, '--preset', row.preset, '--only', row.variant];
  if (row.seed !== null) parts.push('--seeds', String(row.seed));
  const backend = row.backend?.split(' ')[0];
  if (backend) parts.push('--backend', backend);
  if (row.engine) parts.push('--engine', row.engine);
  parts.push('--out', rootDisplay);
  const checkout = row.commit ? `git checkout ${row.commit.slice(0, 12)}${row.dirty ? '   # the run had uncommitted changes' : ''}\n` : '';
  return `${checkout}${parts.join(' ')}`;
}

/** Per-class IoU per evaluation set: the final scores, or the latest validation line of a run in progress. */
export function classTable(run: RunRecord): SafeHtml {
  const finals = run.result?.status === 'completed' ? Object.entries(run.result.evals).map(([set, e]) => ({ set, note: 'final', iou: e.iou, miou: e.miou, void: e.iouVoid, avg: e.miou20Paper })) : [];
  const latest = new Map<string, (typeof finals)[number]>();
  for (const l of run.metrics) if (l.type === 'eval') latest.set(l.set, { set: l.set, note: `step ${l.step}`, iou: l.iou, miou: l.miou, void: l.iouVoid, avg: l.miou20Paper });
  const cols = finals.length ? finals : [...latest.values()];
  if (cols.length === 0) return html`<p class="caption">No evaluation yet.</p>`;
  const row = (label: string, values: (number | null)[], cls = '') => html`<tr class="${cls}"><th>${label}</th>${values.map((v) => html`<td class="num">${pct(v)}</td>`)}</tr>`;
  return html`<div class="table-wrap"><table class="data" id="class-table"><thead><tr><th>class</th>${cols.map((c) => html`<th class="num">${c.set}<span class="s">${c.note}</span></th>`)}</tr></thead><tbody>
${CLASS_NAMES.map((name, i) => row(name, cols.map((c) => c.iou[i] ?? null), 'row-class'))}
${row('void', cols.map((c) => c.void))}
${row('mIoU (19 classes)', cols.map((c) => c.miou), 'row-miou')}
${row('average (19 + void)', cols.map((c) => c.avg))}
</tbody></table></div>
<p class="caption">IoU in percent; "—": undefined (class absent from ground truth and prediction).</p>`;
}

function samplesHtml(run: RunRecord, fileBase: string): SafeHtml {
  if (!run.samples) return html`<p class="caption">No sample predictions saved (<code>samples/index.json</code>).</p>`;
  const img = (file: string | null, alt: string) => (file ? html`<img loading="lazy" src="${`${fileBase}/samples/${file.split('/').map(encodeURIComponent).join('/')}`}" alt="${alt}">` : html`<div></div>`);
  return html`${run.samples.sets.map(
    (s) => html`<h4>${s.set}</h4><div class="samples"><div class="head">input</div><div class="head">ground truth</div><div class="head">prediction</div><div class="head">uncertainty (entropy)</div>
${s.images.slice(0, 4).map((im) => html`${img(im.files.input, `input ${im.id}`)}${img(im.files.truth, `truth ${im.id}`)}${img(im.files.prediction, `prediction ${im.id} (mIoU ${pct(im.miou)})`)}${img(im.files.entropy, `entropy ${im.id}`)}`)}</div>`,
  )}`;
}

function costsHtml(run: RunRecord): SafeHtml {
  const c = run.result?.costs;
  if (!c) return html`<p class="caption">No costs recorded yet (written when the run completes).</p>`;
  const item = (label: string, v: number | null | undefined, unit: 'ms' | 'bytes' | 'count') => html`<dt>${label}</dt><dd>${v === null || v === undefined ? '—' : unit === 'bytes' ? fmtBytes(Math.round(v)) : fmtUnit(v, unit)}${unit === 'ms' && v !== null && v !== undefined ? ' ms' : ''}</dd>`;
  return html`<dl class="meta-list" id="costs">
<dt>compute</dt><dd>${c.engine ?? 'tfjs'} on ${c.backend}</dd>
${item('parameters', c.params, 'count')}${item('train step', c.trainMsPerStep, 'ms')}${item('inference / image', c.inferenceMsPerImage, 'ms')}${item('MC inference / image', c.inferenceMcMsPerImage, 'ms')}
${item('peak train memory (tfjs step)', c.peakTrainBytes, 'bytes')}${item('unpooling bytes kept / image', c.unpoolBytesPerImage, 'bytes')}${item('unpooling memory at inference / image', c.unpoolInferenceBytesPerImage, 'bytes')}
${run.result ? html`<dt>wall time</dt><dd>${fmtSeconds(run.result.wallSeconds)}</dd>` : ''}
</dl>`;
}

function provenanceHtml(run: RunRecord): SafeHtml {
  const c = run.config;
  if (!c) return html`<p class="caption">config.json unreadable: no provenance.</p>`;
  const entries: [string, string][] = [
    ['git commit', `${c.git.commit ?? '(unknown)'}${c.git.dirty ? ' (uncommitted changes)' : ''}`],
    ...Object.entries(flattenRecord(c.backend)).map(([k, v]): [string, string] => [`backend ${k}`, String(v ?? '')]),
    ...Object.entries(flattenRecord(c.engine ?? {})).map(([k, v]): [string, string] => [`engine ${k}`, String(v ?? '')]),
    ['machine', `${c.machine.platform}, ${c.machine.cpu}, ${c.machine.cores} cores, ${fmtBytes(c.machine.memoryBytes)}${c.machine.gpu ? `, ${c.machine.gpu}` : ''}`],
    ...Object.entries(c.versions).map(([k, v]): [string, string] => [k, v]),
    ['config written', c.createdAt],
    ['started', run.result?.startedAt ?? ''],
    ['finished', run.result?.finishedAt ?? ''],
  ];
  return html`<dl class="meta-list" id="provenance">${entries.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

function onnxHtml(run: RunRecord): SafeHtml {
  const o = run.result?.onnx;
  if (!o) return html`<p class="caption">No ONNX cross-check yet (<code>pnpm exp onnx &lt;run folder&gt;</code> adds one).</p>`;
  return html`<dl class="meta-list" id="onnx">${Object.entries(flattenRecord(o)).map(([k, v]) => html`<dt>${k}</dt><dd>${typeof v === 'number' ? fmtUnit(v, 'none') : String(v ?? '')}</dd>`)}</dl>`;
}

function filesHtml(run: RunRecord, fileBase: string): SafeHtml {
  let names: string[] = [];
  try {
    names = fs.readdirSync(run.dir, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name).sort();
  } catch {
    // Listed as a problem already if the folder went away.
  }
  const dirs = ['checkpoint', 'model', 'samples'].filter((d) => fs.existsSync(path.join(run.dir, d)));
  return html`<ul class="files">${names.map((n) => html`<li><a class="mono" href="${`${fileBase}/${encodeURIComponent(n)}`}">${n}</a></li>`)}${dirs.map((d) => html`<li class="mono">${d}/</li>`)}</ul>`;
}

export function runPage(run: RunRecord, row: RunRow, rootDisplay: string): string {
  const fileBase = `/files/${row.key.split('/').map(encodeURIComponent).join('/')}`;
  const charts = runCharts([{ label: row.runId, run }]);
  const body = html`<p class="kicker">run · experiment <span class="mono">${row.experiment}</span> · preset <span class="mono">${row.preset}</span></p>
<h1 class="mono" id="run-id" data-key="${row.key}">${row.runId}</h1>
<p>${statusChip(row.status)} variant <b>${row.variant}</b>, seed ${row.seed ?? '?'} · step <span id="run-step">${row.step ?? '?'}</span>/${row.steps ?? '?'}${row.etaSeconds !== null ? ` · ETA ${fmtSeconds(row.etaSeconds)}` : ''} · config hash <span class="mono">${row.configHash}</span></p>
${row.problems.length ? html`<ul class="problems-box">${row.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}
<h2>Reproduce</h2><code class="cmd">${reproduceCommand(row, rootDisplay)}</code>
<h2>Curves</h2><div class="figures">${Object.keys(charts).map((id) => html`<figure class="chart"><div id="${id}" class="chart-host"></div></figure>`)}</div>
<h2>Per-class IoU</h2>${classTable(run)}
<h2>Samples and uncertainty</h2>${samplesHtml(run, fileBase)}
<h2>Costs</h2>${costsHtml(run)}
<h2>ONNX check</h2>${onnxHtml(run)}
<h2>Provenance</h2>${provenanceHtml(run)}
<h2>Resolved config</h2><pre class="config" id="config">${run.config ? JSON.stringify(run.config.config, null, 2) : 'config.json could not be read'}</pre>
<h2>Files</h2>${filesHtml(run, fileBase)}`;
  return page({ title: `${row.runId} · exp ui`, charts: true, script: `UnpoolUI.charts(${scriptSafe(JSON.stringify(charts))}, ${scriptSafe(JSON.stringify(row.key))});` }, body);
}
