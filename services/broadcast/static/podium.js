// The live feed for the venue's screens and spectators' phones: one WebSocket, resubscribed
// with `since` after every reconnect (backoff with jitter), and the latest frame per channel.
"use strict";

class Feed {
  constructor(channels, onFrame, onState) {
    this.channels = channels;
    this.onFrame = onFrame;
    this.onState = onState;
    this.latest = {};
    this.attempt = 0;
    this.connect();
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const token = new URLSearchParams(location.search).get("token");
    const url = `${scheme}://${location.host}/ws` + (token ? `?token=${encodeURIComponent(token)}` : "");
    this.onState("connecting");
    const ws = new WebSocket(url);
    ws.onopen = () => {
      this.attempt = 0;
      this.onState("live");
      for (const channel of this.channels) {
        const seen = this.latest[channel];
        const since = seen ? {version: seen.version, epoch: seen.epoch} : undefined;
        ws.send(JSON.stringify({op: "subscribe", channel, since}));
      }
    };
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type !== "snapshot") return;
      this.latest[frame.channel] = frame;
      if (frame.channel.startsWith("standings:")) rememberRows(frame.data.rows);
      this.onFrame(frame);
    };
    ws.onclose = () => {
      this.onState("connecting");
      // Up to 15 s between tries, each with jitter so a hall of screens does not reconnect at once.
      const delay = Math.min(15000, 500 * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
      setTimeout(() => this.connect(), delay);
    };
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

function statusLine(standings, words) {
  if (standings.visibility === "final") return words.final;
  if (standings.visibility === "progress") return words.progress;
  if (standings.visibility === "frozen") return standings.revealed ? words.reveal : words.frozen;
  return words.provisional;
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
