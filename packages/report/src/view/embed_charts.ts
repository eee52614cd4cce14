/**
 * Browser code (plain ES5) that draws vega-lite specs, keyed by element id, with vega-embed: inlined in the
 * report and served by the UI, so both draw charts the same way.
 */
export const EMBED_CHARTS_JS = `function embedCharts(specs) {
  if (typeof vegaEmbed !== 'function') return;
  Object.keys(specs).forEach(function (id) {
    var el = document.getElementById(id);
    if (!el) return;
    vegaEmbed(el, specs[id], { renderer: 'svg', actions: false, mode: 'vega-lite' }).catch(function (err) {
      el.textContent = 'Chart could not be drawn: ' + err;
      console.error(err);
    });
  });
}`;
