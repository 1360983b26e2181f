// The venue display: one skill's board, skills and the medal table in turn, the ceremony or a
// message. A named screen (`?screen=NAME`) shows what the venue crew tells it; any other shows
// what its address asks for (`?skill=ID`, `?rotate=15`, `?show=medals|ceremony`).
"use strict";
const championship = championshipData();
const lang = language(championship);
const words = wordsFor(lang);
const params = new URLSearchParams(location.search);
const skillIds = championship.skills.map((s) => s.id);
const named = params.get("screen");
// A preview on the crew's page follows the screen without counting as the screen.
const preview = params.get("preview") === "1";
document.documentElement.lang = lang;
document.getElementById("title").textContent = championship.name;
if (params.get("contrast") === "high") document.body.classList.add("contrast-high");
if (preview) document.body.classList.add("preview");

// What the address asks for; a named screen shows it until the crew says otherwise.
function fromAddress() {
  const skill = params.get("skill");
  if (params.get("show") === "medals") return {show: "medals"};
  if (params.get("show") === "ceremony") return {show: "ceremony"};
  if (skillIds.includes(skill)) return {show: "skill", skill};
  return {show: "rotation", skills: skillIds, every: Number(params.get("rotate")) || 15, medals: true};
}

function slidesOf(shown) {
  switch (shown.show) {
    case "skill": return [`standings:${shown.skill}`];
    case "rotation":
      return [...shown.skills.filter((s) => skillIds.includes(s)).map((s) => `standings:${s}`),
              ...(shown.medals ? ["medals"] : [])];
    case "medals": return ["medals"];
    default: return [];
  }
}

function channelsOf(shown) {
  if (!shown) return [];
  return shown.show === "ceremony" ? ["ceremony"] : slidesOf(shown);
}

let shown = named ? null : fromAddress();
let slides = shown ? slidesOf(shown) : [];
let current = 0;
let rotating = null;
// Each competitor's rank on the board last shown, per channel.
const shownRows = {};

// A row that was not on the board before (a reveal uncovers one per step) lights up; one that
// changed rank slides in from where it was, so the hall sees who overtook whom.
function markChanges(table, before, rows) {
  if (!before || !before.size) return;
  rows.forEach((row, place) => {
    const node = table.querySelector(`tbody tr[data-competitor="${CSS.escape(row.competitor)}"]`);
    if (!node) return;
    const was = before.get(row.competitor);
    const now = row.rank ?? place;
    if (was === undefined) node.classList.add("new");
    else if (was > now) node.classList.add("up");
    else if (was < now) node.classList.add("down");
  });
}

function render() {
  const board = document.getElementById("board");
  document.body.dataset.show = shown ? shown.show : "";
  if (!shown) {
    document.getElementById("slide").textContent = "";
    board.replaceChildren(el("p", {class: "empty"}, words.connecting));
    return;
  }
  if (shown.show === "message") return renderMessage(board);
  if (shown.show === "ceremony") return renderCeremony(board);
  renderSlide(board);
}

function renderMessage(board) {
  document.getElementById("slide").textContent = "";
  document.getElementById("status").textContent = "";
  board.replaceChildren(el("p", {class: "message-text"}, shown.text));
}

function renderCeremony(board) {
  document.getElementById("slide").textContent = words.ceremony;
  document.getElementById("status").textContent = "";
  const frame = feed.latest.ceremony;
  if (!frame) { board.replaceChildren(el("p", {class: "empty"}, words.connecting)); return; }
  board.replaceChildren(ceremonyStep(frame.data, words, championship));
}

function renderSlide(board) {
  const channel = slides[current % slides.length];
  const frame = feed.latest[channel];
  const skill = championship.skills.find((s) => `standings:${s.id}` === channel);
  document.getElementById("slide").textContent = skill ? skill.name : words.medals;
  if (!frame) { board.replaceChildren(el("p", {class: "empty"}, words.connecting)); return; }
  if (channel === "medals") {
    document.getElementById("status").textContent = frame.data.provisional ? words.provisional : words.final;
    board.replaceChildren(medalTable(frame.data, words, championship));
    return;
  }
  document.getElementById("status").textContent = statusLine(frame.data, words);
  const table = boardTable(frame.data, words, championship);
  markChanges(table, shownRows[channel], frame.data.rows);
  shownRows[channel] = new Map(frame.data.rows.map((r, i) => [r.competitor, r.rank ?? i]));
  board.replaceChildren(table);
}

// Show something else: listen to its channels only, and rotate if it has several slides.
function show(next) {
  if (JSON.stringify(next) === JSON.stringify(shown)) return;
  shown = next;
  slides = slidesOf(shown);
  current = 0;
  clearInterval(rotating);
  rotating = null;
  feed.follow([...(named ? ["screens"] : []), ...channelsOf(shown)]);
  if (slides.length > 1) {
    // At least 3 s a slide: it must be readable from across the hall.
    const every = Math.max(3, Number(shown.every) || 15) * 1000;
    rotating = setInterval(() => { current = (current + 1) % slides.length; render(); }, every);
  }
  render();
}

function onFrame(frame) {
  if (frame.channel === "screens") {
    show(frame.data.screens[named] || fromAddress());
  } else if (shown && (frame.channel === "ceremony" || frame.channel === slides[current % slides.length])) {
    render();
  }
}

// Stale data looks stale: after 5 s without the feed, a banner says how old the board is.
function checkStale() {
  const banner = document.getElementById("stale");
  const down = feed.downSince !== null && Date.now() - feed.downSince > 5000;
  if (down && feed.heard) {
    banner.textContent = say(words.stale, {time: venueTime(new Date(feed.heard), championship, lang)});
  } else if (down) {
    banner.textContent = words.connecting;
  }
  banner.hidden = !down;
}

const report = named && !preview ? {screen: named, lang} : {};
// A hall has a few dozen screens, not thousands of phones: they may try again sooner, so a
// stale board is current again within seconds of the feed's return.
const feed = new Feed(named ? ["screens"] : [], onFrame,
  (state) => showState(document.getElementById("connection"), state, words),
  {report, retryAtMostMs: 4000});
if (shown) {
  const first = shown;
  shown = null;
  show(first);
}
render();
setInterval(checkStale, 250);
if (championship.qr && params.get("qr") !== "0" && !preview) {
  document.body.append(el("figure", {class: "qr"}, el("img", {src: "/qr.svg", alt: words.scan}),
    el("figcaption", {}, words.scan)));
}
