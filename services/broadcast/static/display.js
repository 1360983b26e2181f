// The venue display: one skill's board, or every skill and the medal table in turn.
"use strict";
const championship = championshipData();
const words = wordsFor(language(championship));
document.documentElement.lang = language(championship);
document.getElementById("title").textContent = championship.name;
const params = new URLSearchParams(location.search);
const only = championship.skills.find((s) => s.id === params.get("skill"));
// At least 3 s a slide: it must be readable from across the hall.
const rotate = Math.max(3, Number(params.get("rotate")) || 15) * 1000;
// With a skill: its board. Without: every skill's board in turn, then the medal table.
const slides = only ? [`standings:${only.id}`] : [...championship.skills.map((s) => `standings:${s.id}`), "medals"];
let current = 0;
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
  const channel = slides[current];
  const frame = feed.latest[channel];
  const board = document.getElementById("board");
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

const feed = new Feed(slides, (frame) => { if (frame.channel === slides[current]) render(); },
  (state) => showState(document.getElementById("connection"), state, words));
if (slides.length > 1) setInterval(() => { current = (current + 1) % slides.length; render(); }, rotate);
render();
