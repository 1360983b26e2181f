// The spectators' page: a skill's board, the medal table and the latest marks, on a phone.
"use strict";
const championship = championshipData();
const words = wordsFor(language(championship));
document.documentElement.lang = language(championship);
document.getElementById("title").textContent = championship.name;
document.getElementById("medals-title").textContent = words.medals;
document.getElementById("ticker-title").textContent = words.ticker;
const picker = document.getElementById("skill");
for (const skill of championship.skills) picker.append(el("option", {value: skill.id}, skill.name));
const asked = new URLSearchParams(location.search).get("skill");
if (championship.skills.some((s) => s.id === asked)) picker.value = asked;

function renderBoard() {
  const frame = feed.latest[`standings:${picker.value}`];
  const board = document.getElementById("board");
  if (!frame) { board.replaceChildren(el("p", {class: "empty"}, words.connecting)); return; }
  document.getElementById("status").textContent = statusLine(frame.data, words);
  board.replaceChildren(boardTable(frame.data, words, championship));
}

function renderMedals(frame) {
  document.getElementById("medals").replaceChildren(medalTable(frame.data, words, championship));
}

function renderTicker(frame) {
  const aspects = {};
  for (const skill of championship.skills) for (const c of skill.criteria) for (const a of c.aspects) aspects[`${skill.id}/${a.id}`] = a.description || a.id;
  document.getElementById("ticker").replaceChildren(...frame.data.items.map((item) =>
    el("li", {}, el("span", {class: "member"}, item.member), " ", item.name, " · ",
       aspects[`${item.skill}/${item.aspect}`] || item.aspect,
       item.withdrawn ? ` · ${words.withdrawn}` : item.value !== undefined ? ` · ${item.value}` : "")));
}

const channels = [...championship.skills.map((s) => `standings:${s.id}`), "medals", "ticker"];
const feed = new Feed(channels, (frame) => {
  if (frame.channel === "medals") renderMedals(frame);
  else if (frame.channel === "ticker") renderTicker(frame);
  else if (frame.channel === `standings:${picker.value}`) renderBoard();
}, (state) => showState(document.getElementById("connection"), state, words));
picker.addEventListener("change", () => {
  history.replaceState(null, "", `?skill=${picker.value}&lang=${language(championship)}`);
  renderBoard();
});
renderBoard();
