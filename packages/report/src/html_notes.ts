import type { LongRunNote, SweepNote } from './ablation_notes.js';
import { gainText } from './headline.js';
import { settingText } from './sweep.js';
import { html, type SafeHtml } from './view/html.js';

/** Which setting the runs trained with, the link to the sweep, and a visible warning when they disagree. */
export function sweepNoteHtml(note: SweepNote | null): SafeHtml {
  if (!note) return html``;
  const base = note.base.map(settingText).join('; ');
  const verdict = note.winner === null
    ? html`The sweep has no winner yet (no committed stage-2 runs).`
    : note.differs
      ? html`<span class="warn sweep-differs" id="sweep-differs"><b>Warning:</b> the sweep's winner for the baselines is ${settingText(note.winner)}, not this setting.</span>`
      : html`This is the sweep's winner for the baselines.`;
  return html`<p class="caption prose" id="training-setting"><b>Training setting.</b> Every run here trained with ${base} (read from the runs' config.json). It is meant to be the setting best FOR THE BASELINES in the <a href="${note.href}">sweep of learning rate, schedule and initialisation</a>. ${verdict}</p>`;
}

/** The ratio − switch gap at the end of the default preset and at the end of the long one. */
export function longRunHtml(note: LongRunNote | null, preset: string): SafeHtml {
  if (!note) return html``;
  return html`<section id="sec-long">
<h2>Does the gap hold with longer training?</h2>
<p class="prose">Ratio − switch (SegNet pair, Average IoU of the first evaluation set, paired over seeds): ${note.gapDefault ? gainText(note.gapDefault) : 'not available'} at the end of preset <code>${preset}</code> (${note.defaultSteps} steps); ${gainText(note.gapLong)} at the end of preset <code>${note.preset}</code> (${note.steps} steps). Its own report: <a href="${note.href}">${note.href}</a>.</p>
</section>`;
}
