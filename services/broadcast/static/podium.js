// The live feed for the venue's screens and spectators' phones: one WebSocket, resubscribed
// with `since` after every reconnect (backoff with jitter), and the latest frame per channel.
// A ping every few seconds shows a connection that went silent (a dead Wi-Fi link closes
// nothing): it is closed and made again.
"use strict";

const PING_EVERY_MS = 5000;
const SILENT_AFTER_MS = 15000;

class Feed {
  // Options: `report`, more of the feed's address (a named screen's {screen, lang});
  // `retryAtMostMs`, the longest wait between two tries to reconnect.
  constructor(channels, onFrame, onState, {report = {}, retryAtMostMs = 15000} = {}) {
    this.channels = new Set(channels);
    this.onFrame = onFrame;
    this.onState = onState;
    this.report = report;
    this.retryAtMostMs = retryAtMostMs;
    this.latest = {};
    this.attempt = 0;
    this.ws = null;
    // When the server was last heard from, and since when it is not (null while it is).
    this.heard = 0;
    this.opened = 0;
    this.downSince = Date.now();
    this.connect();
    setInterval(() => this.check(), PING_EVERY_MS);
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const query = new URLSearchParams(this.report);
    const token = new URLSearchParams(location.search).get("token");
    if (token) query.set("token", token);
    const url = `${scheme}://${location.host}/ws` + (query.toString() ? `?${query}` : "");
    this.onState("connecting");
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.opened = Date.now();
      this.onState("live");
      for (const channel of this.channels) this.subscribe(channel);
      // Answered after every subscription's frame: the board is current once it comes back.
      this.send({op: "ping"});
    };
    ws.onmessage = (event) => {
      if (this.ws !== ws) return;
      this.heard = Date.now();
      this.downSince = null;
      const frame = JSON.parse(event.data);
      if (frame.type !== "snapshot" || !this.channels.has(frame.channel)) return;
      this.latest[frame.channel] = frame;
      if (frame.channel.startsWith("standings:")) rememberRows(frame.data.rows);
      this.onFrame(frame);
    };
    ws.onclose = () => this.lost(ws);
  }

  lost(ws) {
    if (this.ws !== ws) return;
    this.ws = null;
    this.downSince = this.downSince || Date.now();
    this.onState("connecting");
    // Longer and longer between tries, each with jitter so a hall of screens (or a crowd of
    // phones) does not reconnect at once.
    const longest = Math.min(this.retryAtMostMs, 500 * 2 ** this.attempt++);
    const delay = longest * (0.5 + Math.random() / 2);
    setTimeout(() => this.connect(), delay);
  }

  send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  subscribe(channel) {
    const seen = this.latest[channel];
    const since = seen ? {version: seen.version, epoch: seen.epoch} : undefined;
    this.send({op: "subscribe", channel, since});
  }

  // Listen to these channels from now on, and to no other: a screen told to show something
  // else receives nothing of what it no longer shows.
  follow(channels) {
    const wanted = new Set(channels);
    for (const channel of this.channels) {
      if (wanted.has(channel)) continue;
      this.send({op: "unsubscribe", channel});
      delete this.latest[channel];
    }
    const added = [...wanted].filter((channel) => !this.channels.has(channel));
    this.channels = wanted;
    for (const channel of added) this.subscribe(channel);
  }

  check() {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - Math.max(this.heard, this.opened) > SILENT_AFTER_MS) {
      const silent = this.ws;
      this.downSince = this.heard;
      this.lost(silent);
      silent.close();
      return;
    }
    this.send({op: "ping"});
  }
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children) node.append(child ?? "");
  return node;
}

function fmt(total) {
  return total === undefined || total === null ? "" : Number(total).toFixed(2);
}

const MEDAL_SIGNS = {gold: "●", silver: "●", bronze: "●", excellence: "◆"};

function medalBadge(medal, words) {
  if (!medal) return "";
  return el("span", {class: `medal ${medal}`, title: words[medal]}, MEDAL_SIGNS[medal] + " ",
            el("span", {class: "word"}, words[medal]));
}

// Every competitor seen on a board, so the medal table can name its best overall.
const SEEN = {};

function rememberRows(rows) {
  for (const row of rows) SEEN[row.competitor] = row;
}

const STATUS_WORDS = {absent: "statusAbsent", withdrawn: "statusWithdrawn",
                      non_competing: "statusNonCompeting"};

// The competitor's name; a team's members beneath it; a status other than competing beside it.
function competitorCell(row, words) {
  const status = STATUS_WORDS[row.status];
  return el("td", {}, row.name,
    status ? el("span", {class: `status-badge ${row.status}`}, words[status]) : "",
    row.team && row.team.length ? el("span", {class: "team"}, row.team.join(" · ")) : "");
}

function rowClass(row) {
  return [row.medal, row.status && row.status !== "competing" ? `status-${row.status}` : ""]
    .filter(Boolean).join(" ");
}

function boardTable(standings, words, championship) {
  const members = Object.fromEntries(championship.members.map((m) => [m.code, m.name]));
  const progressOnly = standings.visibility === "progress";
  const head = progressOnly
    ? el("tr", {}, el("th", {}, words.competitor), el("th", {}, words.member), el("th", {class: "num"}, words.progress))
    : el("tr", {}, el("th", {class: "num"}, words.rank), el("th", {}, words.competitor),
         el("th", {}, words.member), el("th", {class: "num"}, words.total),
         el("th", {class: "medal-head"}, el("span", {class: "word"}, words.medal)));
  const body = standings.rows.map((row) => progressOnly
    ? el("tr", {"data-competitor": row.competitor, class: rowClass(row)}, competitorCell(row, words),
         el("td", {title: members[row.member] || ""}, el("span", {class: "member"}, row.member)),
         el("td", {class: "num"}, `${Math.round(row.progress * 100)}%`))
    : el("tr", {"data-competitor": row.competitor, class: rowClass(row)},
         el("td", {class: "num"}, row.rank ?? ""), competitorCell(row, words),
         el("td", {title: members[row.member] || ""}, el("span", {class: "member"}, row.member)),
         el("td", {class: "num"}, fmt(row.total)), el("td", {}, medalBadge(row.medal, words))));
  if (!standings.rows.length) body.push(el("tr", {}, el("td", {colspan: "5", class: "empty"}, words.nothing)));
  return el("table", {class: "board"}, el("thead", {}, head), el("tbody", {}, ...body));
}

// "Official" once the jury made the skill final; until then provisional, with how many of
// its marking forms the experts have signed.
function statusLine(standings, words) {
  if (standings.visibility === "final") return words.official;
  const forms = standings.forms && standings.forms.total
    ? ` · ${say(words.formsSigned, {n: standings.forms.signed, m: standings.forms.total})}` : "";
  if (standings.visibility === "progress") return words.progress;
  if (standings.visibility === "frozen") return standings.revealed ? words.reveal : words.frozen;
  return words.provisional + forms;
}

function medalTable(medals, words, championship) {
  const names = Object.fromEntries(championship.members.map((m) => [m.code, m.name]));
  // Medal columns headed by their coloured sign (the word on hover): they fit a phone.
  const sign = (medal) => el("th", {class: "num", title: words[medal]}, medalBadge(medal, words));
  const head = el("tr", {}, el("th", {}, words.member), sign("gold"), sign("silver"),
    sign("bronze"), sign("excellence"), el("th", {class: "num"}, words.points),
    el("th", {class: "num average"}, words.averagePoints),
    el("th", {class: "num average"}, words.averageScale));
  const body = medals.table.map((line) => el("tr", {"data-member": line.member},
    el("td", {}, el("span", {class: "member"}, line.member), " ",
       el("span", {class: "member-name"}, names[line.member] || line.name)),
    el("td", {class: "num"}, line.gold), el("td", {class: "num"}, line.silver),
    el("td", {class: "num"}, line.bronze), el("td", {class: "num"}, line.excellence),
    el("td", {class: "num"}, line.points),
    el("td", {class: "num average", title: `${words.entrants}: ${line.entrants ?? ""}`}, fmt(line.average_points)),
    el("td", {class: "num average"}, fmt(line.average_scale))));
  const table = el("table", {class: "board medals"}, el("thead", {}, head), el("tbody", {}, ...body));
  return el("div", {class: "medal-table"}, table, bestOverall(medals, words));
}

// The championship's best overall: name, member and scale of each (ties: all).
function bestOverall(medals, words) {
  const best = medals.best_overall || [];
  if (!best.length) return "";
  const named = best.map((id) => {
    const row = SEEN[id];
    return row ? `${row.name} (${row.member}) · ${row.scale ?? ""}` : id;
  });
  return el("p", {class: "best-overall"}, el("strong", {}, `${words.bestOverall}: `), named.join(", "));
}

function championshipData() {
  return JSON.parse(document.getElementById("championship").textContent);
}

function language(championship) {
  const asked = new URLSearchParams(location.search).get("lang");
  return championship.languages.includes(asked) ? asked : "en";
}

function showState(node, state, words) {
  node.className = `connection ${state}`;
  node.textContent = state === "live" ? words.live : words.connecting;
}

// A time as the venue's clocks show it, in the page's language.
function venueTime(when, championship, lang) {
  const options = {hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
                   timeZone: championship.timezone || "UTC"};
  try {
    return new Intl.DateTimeFormat(lang, options).format(when);
  } catch (error) {
    return new Intl.DateTimeFormat("en", {...options, timeZone: "UTC"}).format(when) + " UTC";
  }
}

function say(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}
