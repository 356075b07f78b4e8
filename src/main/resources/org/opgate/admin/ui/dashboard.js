// opgate live dashboard. Talks only to this admin server: GET /dashboard once, then the
// server-sent event stream /events?types=tick,clock (a snapshot every half second), and PUT
// /clock for the controls. The admin token, if any, comes from the URL fragment (#token=…,
// never sent to the server), is kept in this tab's sessionStorage and travels as a bearer header;
// that is why the event stream is read with fetch() and not EventSource (which cannot send headers).
(function () {
  "use strict";

  const TOKEN_KEY = "opgate.admin.token";
  const CLASS_COLOURS = ["#2563eb", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#4b5563", "#65a30d"];
  const MAX_POINTS = 3000;
  const $ = (id) => document.getElementById(id);

  let token = takeToken();
  let snapshot = null;          // the last snapshot from the server
  let anchor = null;            // {ms: simulated epoch ms, at: performance.now(), rate, paused}
  let streamAbort = null;
  let chart = null;
  let chartKey = "";            // the series the chart was built for
  let chartData = { xs: [], ys: {} };
  const classColour = new Map();

  // ---- token ----

  function takeToken() {
    const m = /(?:^|[#&])token=([^&]*)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
      // Keep the token off the address bar (and off a projected screen).
      history.replaceState(null, "", location.pathname + location.search);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function headers(extra) {
    const h = Object.assign({ Accept: "application/json" }, extra || {});
    if (token) {
      h.Authorization = "Bearer " + token;
    }
    return h;
  }

  function askForToken(status) {
    stopStream();
    $("token-why").textContent = status === 403
      ? "The admin API refused the token given (403). Enter this gateway's admin.token."
      : "This gateway's admin API needs its bearer token (admin.token).";
    $("token-box").hidden = false;
    $("token-input").focus();
    setConn("down", "token needed");
  }

  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    token = $("token-input").value.trim();
    sessionStorage.setItem(TOKEN_KEY, token);
    $("token-box").hidden = true;
    start();
  });

  // ---- API ----

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.error) || ("HTTP " + status));
      this.status = status;
      this.expected = body && body.expected;
    }
  }

  async function api(method, path, body) {
    const init = { method: method, headers: headers(body ? { "Content-Type": "application/json" } : null), cache: "no-store" };
    if (body) {
      init.body = JSON.stringify(body);
    }
    const r = await fetch(path, init);
    const json = await r.json().catch(() => null);
    if (!r.ok) {
      throw new ApiError(r.status, json);
    }
    return json;
  }

  // ---- event stream ----

  function stopStream() {
    if (streamAbort) {
      streamAbort.abort();
      streamAbort = null;
    }
  }

  async function stream() {
    stopStream();
    const ctrl = new AbortController();
    streamAbort = ctrl;
    try {
      const r = await fetch("/events?types=tick,clock", { headers: headers({ Accept: "text/event-stream" }), cache: "no-store", signal: ctrl.signal });
      if (r.status === 401 || r.status === 403) {
        askForToken(r.status);
        return;
      }
      if (!r.ok || !r.body) {
        throw new Error("HTTP " + r.status);
      }
      setConn("live", "live");
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let pending = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        pending += value;
        let end;
        while ((end = pending.indexOf("\n\n")) >= 0) {
          onEvent(pending.slice(0, end));
          pending = pending.slice(end + 2);
        }
      }
    } catch (e) {
      if (ctrl.signal.aborted) {
        return;
      }
    }
    if (streamAbort === ctrl) {
      setConn("down", "reconnecting…");
      setTimeout(() => { if (streamAbort === ctrl) { stream(); } }, 1500);
    }
  }

  function onEvent(block) {
    let type = "message";
    let data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) {
        type = line.slice(7);
      } else if (line.startsWith("data: ")) {
        data += line.slice(6);
      }
    }
    const value = JSON.parse(data);
    if (type === "tick") {
      render(value);
    } else if (type === "clock") {
      setClock(value);
    }
  }

  function setConn(state, text) {
    $("conn").dataset.state = state;
    $("conn").textContent = text;
  }

  // ---- formatting ----

  function zone() {
    return (snapshot && snapshot.zone) || "UTC";
  }

  function fmt(ms, parts) {
    return new Intl.DateTimeFormat("en-GB", Object.assign({ timeZone: zone() }, parts)).format(new Date(ms));
  }

  const dateOf = (ms) => fmt(ms, { weekday: "short", day: "numeric", month: "short", year: "numeric" }).replace(",", "");
  const timeOf = (ms) => fmt(ms, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  const brief = (ms) => fmt(ms, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).replace(",", "");
  const shortOf = (ms) => fmt(ms, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

  function offsetName() {
    try {
      const p = new Intl.DateTimeFormat("en-GB", { timeZone: zone(), timeZoneName: "longOffset" }).formatToParts(new Date());
      const off = p.find((x) => x.type === "timeZoneName");
      return off ? off.value.replace("GMT", "UTC") : "";
    } catch (e) {
      return "";
    }
  }

  function duration(ms) {
    const neg = ms < 0;
    let s = Math.floor(Math.abs(ms) / 1000);
    const d = Math.floor(s / 86400);
    s -= d * 86400;
    const hh = String(Math.floor(s / 3600)).padStart(2, "0");
    const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
    const ss = String(s % 60).padStart(2, "0");
    return (neg ? "−" : "") + (d > 0 ? d + " d " : "") + hh + ":" + mm + ":" + ss;
  }

  function realDuration(seconds) {
    if (seconds < 1) {
      return "under a second";
    }
    if (seconds < 120) {
      return Math.round(seconds) + " s";
    }
    if (seconds < 7200) {
      return Math.round(seconds / 60) + " min";
    }
    if (seconds < 172800) {
      return Math.round(seconds / 3600) + " h";
    }
    return Math.round(seconds / 86400) + " days";
  }

  function rateText(rate) {
    const named = { 1: "real time", 60: "1 minute per second", 3600: "1 hour per second", 86400: "1 day per second", 604800: "1 week per second" };
    return "×" + Number(rate).toLocaleString("en-GB") + (named[rate] ? " · " + named[rate] : "");
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    return e;
  }

  function verdict(v) {
    return el("span", "verdict " + v, v);
  }

  function colourOf(cls) {
    if (!classColour.has(cls)) {
      classColour.set(cls, CLASS_COLOURS[classColour.size % CLASS_COLOURS.length]);
    }
    return classColour.get(cls);
  }

  function classCell(cls) {
    const td = el("td", "class-cell", cls);
    td.style.setProperty("--swatch", colourOf(cls));
    return td;
  }

  // ---- rendering ----

  function nowMs() {
    if (!anchor) {
      return null;
    }
    if (anchor.paused) {
      return anchor.ms;
    }
    return anchor.ms + (performance.now() - anchor.at) * anchor.rate;
  }

  function setClock(clock) {
    anchor = { ms: Date.parse(clock.instant), at: performance.now(), rate: clock.rate, paused: clock.paused, mode: clock.mode };
    const state = $("clock-state");
    state.className = "badge " + (clock.mode === "real" ? "real" : clock.paused ? "paused" : "running");
    state.textContent = clock.mode === "real" ? "real clock" : clock.paused ? "paused" : "running";
    $("clock-rate").textContent = clock.mode === "real" ? "the gateway follows the wall clock" : rateText(clock.rate);
    const speed = $("speed");
    if (clock.mode !== "real" && speed.value !== String(clock.rate)) {
      if (![...speed.options].some((o) => o.value === String(clock.rate))) {
        speed.appendChild(el("option", null, rateText(clock.rate))).value = String(clock.rate);
      }
      speed.value = String(clock.rate);
    }
    document.body.dataset.clockMode = clock.mode;
    document.body.dataset.paused = String(clock.paused);
    tickClock();
  }

  function tickClock() {
    const ms = nowMs();
    if (ms === null) {
      return;
    }
    const shown = anchor.paused ? ms : Math.floor(ms / 1000) * 1000;
    $("clock-date").textContent = dateOf(shown);
    $("clock").textContent = timeOf(shown);
    const next = snapshot && snapshot.next;
    if (next) {
      const left = Date.parse(next.at) - ms;
      $("countdown").textContent = left > 0 ? "in " + duration(left) : "now";
      $("countdown-real").textContent = anchor.mode === "real" ? "simulated time = real time"
        : anchor.paused ? "clock paused: press Resume or Step"
          : "≈ " + realDuration(Math.max(0, left) / 1000 / anchor.rate) + " of real time at this speed";
    }
  }

  function render(s) {
    const first = snapshot === null;
    snapshot = s;
    document.body.dataset.ticks = String((Number(document.body.dataset.ticks) || 0) + 1);
    document.body.dataset.instant = s.clock.instant;
    $("zone").textContent = s.zone + (offsetName() ? " (" + offsetName() + ")" : "");
    $("title").textContent = s.scenario
      ? s.scenario.title + " — " + s.scenario.eventsPassed + " of " + s.scenario.events + " events passed"
      : "Policies of the running config · version " + s.version;
    setClock(s.clock);
    renderNext(s);
    renderPhases(s);
    renderCounters(s);
    renderTimeline(s);
    renderDecisions(s);
    updateChart(s, first);
  }

  function renderNext(s) {
    const n = s.next;
    $("next-kind").textContent = n && n.kind === "event" ? "scenario event" : "boundary";
    $("next-label").textContent = n ? n.label : "No boundary ahead";
    $("next-at").textContent = n ? shortOf(Date.parse(n.at)) : "every phase has started";
    if (!n) {
      $("countdown").textContent = "–";
      $("countdown-real").textContent = "";
    }
  }

  function renderPhases(s) {
    const body = $("phases").tBodies[0];
    body.replaceChildren();
    for (const r of s.phases) {
      const tr = el("tr");
      tr.dataset.class = r.class;
      tr.appendChild(classCell(r.class));
      tr.appendChild(el("td", null, r.operators.join(", ")));
      const v = el("td");
      v.appendChild(verdict(r.verdict));
      tr.appendChild(v);
      tr.appendChild(el("td", r.policy ? null : "empty", r.policy ? r.policy + " · " + r.phase : "no policy"));
      tr.appendChild(el("td", "when", r.since ? shortOf(Date.parse(r.since)) : "–"));
      tr.appendChild(el("td", "when", r.until ? shortOf(Date.parse(r.until)) : "–"));
      tr.title = r.reason;
      body.appendChild(tr);
    }
  }

  function renderCounters(s) {
    const c = s.counters;
    $("counters-title").firstChild.textContent = c.source === "scenario" ? "Sessions " : "Decisions ";
    $("counters-title").lastChild.textContent = c.source === "scenario"
      ? "per class and outcome, this scenario"
      : "per class and verdict, since start (cut: tunnels closed at a boundary)";
    const head = $("counters").tHead;
    const tr = el("tr");
    tr.appendChild(el("th", null, "Class"));
    for (const o of c.outcomes) {
      const th = el("th", "num");
      th.appendChild(verdict(o));
      tr.appendChild(th);
    }
    tr.appendChild(el("th", "num", "Total"));
    head.replaceChildren(tr);
    const body = $("counters").tBodies[0];
    body.replaceChildren();
    for (const [cls, byOutcome] of Object.entries(c.classes)) {
      const row = el("tr");
      row.appendChild(classCell(cls));
      let total = 0;
      for (const o of c.outcomes) {
        const n = byOutcome[o] || 0;
        total += n;
        const td = el("td", "num" + (n === 0 ? " zero" : ""), n.toLocaleString("en-GB"));
        td.dataset.class = cls;
        td.dataset.outcome = o;
        td.dataset.count = String(n);
        row.appendChild(td);
      }
      row.appendChild(el("td", "num" + (total === 0 ? " zero" : ""), total.toLocaleString("en-GB")));
      body.appendChild(row);
    }
  }

  function renderTimeline(s) {
    $("timeline-title").textContent = s.scenario ? "Scenario timeline" : "Timeline · policy phase boundaries";
    const list = $("timeline");
    list.replaceChildren();
    const nextAt = s.next ? s.next.at : null;
    let marked = false;
    if (s.timeline.length === 0) {
      list.appendChild(el("li", "empty", "No dated events: no policy has phases."));
    }
    for (const t of s.timeline) {
      const li = el("li", t.passed ? "passed" : "");
      if (!t.passed && !marked && nextAt && Date.parse(t.at) >= Date.parse(nextAt)) {
        li.classList.add("next");
        marked = true;
      }
      const at = el("div", "t-at", shortOf(Date.parse(t.at)));
      if (li.classList.contains("next")) {
        at.appendChild(el("span", "t-tag", "next"));
      } else if (t.passed) {
        at.appendChild(el("span", "t-tag", "passed"));
      }
      li.appendChild(at);
      li.appendChild(el("div", "t-name", t.name));
      if (t.description) {
        li.appendChild(el("div", "t-desc", t.description));
      }
      for (const src of t.sources || []) {
        if (/^https?:\/\//.test(src)) {
          const a = el("a", null, new URL(src).hostname);
          a.href = src;
          a.title = src;
          a.rel = "noreferrer noopener";
          a.target = "_blank";
          li.appendChild(a);
        } else {
          li.appendChild(el("div", "t-desc", src));
        }
      }
      list.appendChild(li);
    }
  }

  function renderDecisions(s) {
    const body = $("decisions").tBodies[0];
    body.replaceChildren();
    if (s.decisions.length === 0) {
      const tr = el("tr");
      const td = el("td", "empty", "No decisions yet: send traffic through the gateway.");
      td.colSpan = 6;
      tr.appendChild(td);
      body.appendChild(tr);
    }
    for (const d of s.decisions) {
      const tr = el("tr");
      const when = el("td", "when", brief(Date.parse(d.time)));
      when.title = shortOf(Date.parse(d.time));
      tr.appendChild(when);
      tr.appendChild(classCell(d.class));
      tr.appendChild(el("td", null, d.flow.operator || "–"));
      const dest = (d.flow.sni || d.flow.host || d.flow.ip || "?") + ":" + d.flow.port;
      const destCell = el("td", null, dest);
      destCell.title = dest;
      tr.appendChild(destCell);
      const v = el("td");
      v.appendChild(verdict(d.verdict));
      tr.appendChild(v);
      const reason = el("td", "reason");
      reason.title = d.reason;
      reason.appendChild(el("div", "clamp", d.reason));
      tr.appendChild(reason);
      body.appendChild(tr);
    }
  }

  // ---- chart: per class, what got through and what was stopped, cumulative over simulated time ----

  function chartTotals(c) {
    const out = {};
    for (const [cls, byOutcome] of Object.entries(c.classes)) {
      let through = 0;
      let stopped = 0;
      for (const o of c.outcomes) {
        if (c.groups[o] === "through") {
          through += byOutcome[o] || 0;
        } else if (c.groups[o] === "stopped") {
          stopped += byOutcome[o] || 0;
        }
      }
      out[cls] = { through: through, stopped: stopped };
    }
    return out;
  }

  function updateChart(s, first) {
    if (typeof uPlot === "undefined") {
      return;
    }
    const x = Date.parse(s.clock.instant) / 1000;
    const totals = chartTotals(s.counters);
    const classes = Object.keys(totals).filter((cls) => totals[cls].through + totals[cls].stopped > 0);
    const key = s.counters.source + "|" + classes.join(",");
    const xs = chartData.xs;
    if (xs.length && x < xs[xs.length - 1]) {
      chartData = { xs: [], ys: {} };   // the clock went back: start over
    }
    if (key !== chartKey || first || !chart) {
      buildChart(s, classes, key);
    }
    const d = chartData;
    const last = d.xs.length - 1;
    const seriesKeys = classes.flatMap((cls) => [cls + "|through", cls + "|stopped"]);
    if (last >= 0 && d.xs[last] === x) {
      seriesKeys.forEach((k) => { d.ys[k][last] = value(totals, k); });
    } else {
      d.xs.push(x);
      seriesKeys.forEach((k) => {
        if (!d.ys[k]) {
          d.ys[k] = new Array(d.xs.length - 1).fill(null);
        }
        d.ys[k].push(value(totals, k));
      });
      if (d.xs.length > MAX_POINTS) {
        d.xs.shift();
        seriesKeys.forEach((k) => d.ys[k].shift());
      }
    }
    const columns = seriesKeys.length ? seriesKeys.map((k) => d.ys[k]) : [d.xs.map(() => 0)];
    chart.setData([d.xs].concat(columns));
    if (d.xs.length === 1) {
      // One point (a paused clock) has no span: show the hour around it rather than uPlot's years.
      chart.setScale("x", { min: d.xs[0] - 1800, max: d.xs[0] + 1800 });
    }
  }

  function value(totals, key) {
    const [cls, group] = key.split("|");
    return totals[cls][group];
  }

  function chartWidth() {
    return Math.max(320, $("chart").clientWidth);
  }

  function buildChart(s, classes, key) {
    chartKey = key;
    if (chart) {
      chart.destroy();
    }
    const through = s.counters.source === "scenario" ? "completed" : "let through";
    const stopped = s.counters.source === "scenario" ? "refused or cut" : "blocked or cut";
    const stepped = uPlot.paths.stepped({ align: 1 });
    const series = [{ label: "time" }];
    for (const cls of classes) {
      const colour = colourOf(cls);
      // Stepped: a count changes where a snapshot first saw it, not somewhere between two snapshots.
      series.push({ label: cls + " " + through, stroke: colour, width: 3, paths: stepped, points: { show: false } });
      series.push({ label: cls + " " + stopped, stroke: colour, width: 3, dash: [10, 6], paths: stepped, points: { show: false } });
    }
    if (classes.length === 0) {
      series.push({ label: "no sessions yet", stroke: "#9ca3af", width: 1 });
    }
    const opts = {
      width: chartWidth(),
      height: 300,
      series: series,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), zone()),
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(5, max * 1.1)] } },
      axes: [
        { stroke: "#374151", grid: { stroke: "#e5e7eb" }, font: "13px system-ui, 'Liberation Sans', sans-serif",
          space: 90, values: axisTimes },
        { stroke: "#374151", grid: { stroke: "#e5e7eb" }, font: "13px system-ui, 'Liberation Sans', sans-serif", size: 60 },
      ],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      hooks: { draw: [drawTimelineMarks] },
    };
    const empty = [[]].concat(series.slice(1).map(() => []));
    chart = new uPlot(opts, empty, $("chart"));
  }

  // Axis labels in the policy zone, 24-hour: the date where it changes, then times.
  function axisTimes(u, splits, axisIdx, space, incr) {
    let lastDay = null;
    return splits.map((ts) => {
      const ms = ts * 1000;
      const day = fmt(ms, { day: "numeric", month: "short" });
      const time = fmt(ms, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
      const label = incr >= 86400 ? day : day !== lastDay ? time + "\n" + day : time;
      lastDay = day;
      return label;
    });
  }

  // Marks each timeline instant inside the plotted window with a labelled vertical line.
  function drawTimelineMarks(u) {
    if (!snapshot) {
      return;
    }
    const ctx = u.ctx;
    const [min, max] = [u.scales.x.min, u.scales.x.max];
    ctx.save();
    ctx.font = Math.round(12 * devicePixelRatio) + "px system-ui, 'Liberation Sans', sans-serif";
    for (const t of snapshot.timeline) {
      const x = Date.parse(t.at) / 1000;
      if (min === null || x < min || x > max) {
        continue;
      }
      const px = Math.round(u.valToPos(x, "x", true));
      ctx.strokeStyle = "#b91c1c";
      ctx.lineWidth = 2 * devicePixelRatio;
      ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
      ctx.beginPath();
      ctx.moveTo(px, u.bbox.top);
      ctx.lineTo(px, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.fillStyle = "#7f1d1d";
      ctx.fillText(t.name, px + 6 * devicePixelRatio, u.bbox.top + 14 * devicePixelRatio);
    }
    ctx.restore();
  }

  window.addEventListener("resize", () => {
    if (chart) {
      chart.setSize({ width: chartWidth(), height: 300 });
    }
  });

  // ---- controls ----

  function say(text, isError) {
    const m = $("control-message");
    m.hidden = false;
    m.textContent = text;
    m.classList.toggle("error", !!isError);
  }

  async function control(change, done) {
    try {
      const clock = await api("PUT", "/clock", change);
      setClock(clock);
      say(done(clock), false);
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        askForToken(e.status);
        return;
      }
      say("Refused" + (e.status ? " (" + e.status + ")" : "") + ": " + e.message + (e.expected ? " — needs " + e.expected : ""), true);
    }
  }

  $("btn-pause").addEventListener("click", () => control({ paused: true }, (c) => "Paused at " + shortOf(Date.parse(c.instant)) + "."));
  $("btn-resume").addEventListener("click", () => control({ paused: false }, (c) => "Running at " + rateText(c.rate) + "."));
  $("btn-step").addEventListener("click", () => control({ jump: "next-event" }, (c) => "Stepped to " + shortOf(Date.parse(c.instant)) + "."));
  $("speed").addEventListener("change", (e) => {
    const rate = Number(e.target.value);
    control({ rate: rate }, (c) => "Speed " + rateText(c.rate) + (c.paused ? " (still paused: press Resume)." : "."));
  });

  // ---- start ----

  async function start() {
    try {
      render(await api("GET", "/dashboard"));
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        askForToken(e.status);
        return;
      }
      setConn("down", "admin API unreachable");
      setTimeout(start, 2000);
      return;
    }
    stream();
  }

  setInterval(tickClock, 100);
  start();
})();
