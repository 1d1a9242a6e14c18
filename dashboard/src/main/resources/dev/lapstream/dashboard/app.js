// Rows per stream, fed by the server's event stream (/events, one snapshot a second); charts by uPlot.
"use strict";

const HISTORY = 300; // points kept per chart: five minutes at one a second
const rows = new Map();
const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  children.forEach(c => e.append(c));
  return e;
}

function field(dl, name, label) {
  const dd = el("dd", {"data-field": name}, "–");
  dl.append(el("dt", {}, label), dd);
  return dd;
}

function latencyChart(target) {
  return new uPlot({
    width: 380, height: 170, legend: {show: true},
    scales: {ms: {auto: true}, fps: {auto: true}},
    series: [{}, {label: "p50 ms", stroke: COLORS[0], scale: "ms"},
             {label: "p95 ms", stroke: COLORS[3], scale: "ms"},
             {label: "fps", stroke: COLORS[2], scale: "fps", dash: [4, 3]}],
    axes: [{}, {scale: "ms", label: "latency ms"}, {scale: "fps", side: 1, label: "fps", grid: {show: false}}],
  }, [[], [], [], []], target);
}

function widthChart(target, keys) {
  return new uPlot({
    width: 380, height: 170, legend: {show: true},
    scales: {y: {range: [0, 100]}},
    series: [{}, ...keys.map((k, i) => ({label: "w " + k + " %", stroke: COLORS[i % COLORS.length], width: 2}))],
    axes: [{}, {label: "width mix %"}],
  }, [[], ...keys.map(() => [])], target);
}

function createRow(stream) {
  const section = el("section", {"class": "stream", "data-stream": stream});
  const info = el("div", {"class": "info"});
  const sub = el("div", {"class": "sub"});
  const dl = el("dl", {});
  const r = {section, sub, fields: {}, history: {t: [], p50: [], p95: [], fps: [], mix: {}}, widthKeys: []};
  [["frames", "frames"], ["fps", "fps"], ["p50", "p50 latency ms"], ["p95", "p95 latency ms"], ["lag", "lag (records)"],
   ["inference", "inference ms"], ["width", "subnet width"], ["dead", "dead letters"]]
    .forEach(([name, label]) => r.fields[name] = field(dl, name, label));
  r.reason = el("div", {"class": "reason", "data-field": "reason"});
  info.append(el("h2", {}, stream), sub, dl, r.reason);
  const latency = el("div", {"class": "chart", "data-chart": "latency"});
  const mix = el("div", {"class": "chart", "data-chart": "widths"});
  r.imgIn = el("img", {alt: "input frame", "data-thumb": "in"});
  r.imgOut = el("img", {alt: "upscaled frame", "data-thumb": "out"});
  r.captionIn = el("figcaption", {"data-field": "input"}, "input");
  r.captionOut = el("figcaption", {"data-field": "output"}, "upscaled");
  const thumbs = el("div", {"class": "thumbs"},
    el("figure", {}, r.imgIn, r.captionIn), el("figure", {}, r.imgOut, r.captionOut));
  section.append(info, el("div", {}, el("div", {"class": "chart-title"}, "latency and fps (10 s windows)"), latency),
    el("div", {}, el("div", {"class": "chart-title"}, "subnet width mix over time"), mix), thumbs);
  r.mixTarget = mix;
  r.latency = latencyChart(latency);
  return r;
}

function fmt(x, digits) {
  return x === null || x === undefined ? "–" : Number(x).toFixed(digits);
}

function trim(a) {
  while (a.length > HISTORY) a.shift();
}

function update(r, s, t) {
  r.sub.textContent = (s.upscaler || "?") + " · " + (s.input || "?") + " → " + (s.output || "?");
  if (s.thumbnail > 0 && r.thumbnail !== s.thumbnail) { // a new pair: one frame before and after
    const q = "/thumb?stream=" + encodeURIComponent(s.stream) + "&v=" + s.thumbnail;
    r.imgIn.src = q + "&side=in";
    r.imgOut.src = q + "&side=out";
    r.thumbnail = s.thumbnail;
    r.captionIn.textContent = "frame " + s.thumbnailFrame + ", input " + (s.input || "");
    r.captionOut.textContent = "frame " + s.thumbnailFrame + ", upscaled " + (s.output || "");
  }
  r.fields.frames.textContent = s.frames;
  r.fields.fps.textContent = fmt(s.fps, 1);
  r.fields.p50.textContent = s.p50LatencyMs;
  r.fields.p95.textContent = s.p95LatencyMs;
  r.fields.lag.textContent = s.lag;
  r.fields.inference.textContent = fmt(s.meanInferenceMs || s.inferenceMs, 1);
  r.fields.width.textContent = s.width === undefined ? "–" : s.width;
  r.fields.dead.textContent = s.deadLetters;
  r.fields.dead.classList.toggle("dead", s.deadLetters > 0);
  r.reason.textContent = s.widthReason || (s.lastDeadLetter ? "last dead letter: " + s.lastDeadLetter : "");

  const h = r.history;
  h.t.push(t); h.p50.push(s.p50LatencyMs); h.p95.push(s.p95LatencyMs); h.fps.push(s.fps);
  [h.t, h.p50, h.p95, h.fps].forEach(trim);
  r.latency.setData([h.t, h.p50, h.p95, h.fps]);

  const total = Object.values(s.widthMix || {}).reduce((a, b) => a + b, 0);
  Object.keys(s.widthMix || {}).forEach(k => { if (!(k in h.mix)) h.mix[k] = h.t.slice(0, -1).map(() => null); });
  Object.keys(h.mix).forEach(k => {
    h.mix[k].push(total > 0 ? 100 * (s.widthMix[k] || 0) / total : null);
    trim(h.mix[k]);
  });
  const keys = Object.keys(h.mix).sort((a, b) => Number(a) - Number(b));
  if (keys.join() !== r.widthKeys.join()) { // a width not seen before: a series more
    if (r.widths) r.widths.destroy();
    r.widths = widthChart(r.mixTarget, keys);
    r.widthKeys = keys;
  }
  r.widths.setData([h.t, ...keys.map(k => h.mix[k])]);

}

const events = new EventSource("/events");
events.onopen = () => document.getElementById("status").textContent = "live";
events.onerror = () => document.getElementById("status").textContent = "disconnected, retrying…";
events.onmessage = e => {
  const snapshot = JSON.parse(e.data);
  const t = snapshot.timeMillis / 1000;
  document.getElementById("empty").hidden = snapshot.streams.length > 0;
  document.getElementById("status").textContent = "live · " + new Date(snapshot.timeMillis).toLocaleTimeString();
  snapshot.streams.forEach(s => {
    let r = rows.get(s.stream);
    if (!r) {
      r = createRow(s.stream);
      rows.set(s.stream, r);
      document.getElementById("streams").append(r.section);
    }
    update(r, s, t);
  });
};
