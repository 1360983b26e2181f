// The chief expert's panel: the skill's marking progress, the judgement panels that do not
// count yet, locks, visibility and the reveal. Organizers choose among every skill.
"use strict";

const championship = championshipData();
const panel = {lang: chooseLanguage(championship), me: null, skill: null, board: null,
               unlocking: null, reason: "", notice: ""};
let words = wordsFor(panel.lang);
const BOARD_EVERY_MS = 3000;
const MODES = [["live", "live"], ["progress", "progressMode"], ["frozen", "frozen"], ["final", "final"]];

function message(text) {
  const node = document.getElementById("message");
  node.textContent = text;
  node.hidden = !text;
}

async function start() {
  registerWorker();
  if (!signIn()) return message(words.noToken);
  try {
    panel.me = await api("/api/me");
  } catch (error) {
    return message(error instanceof HttpError ? words.whySignIn : words.offline);
  }
  if (panel.me.role === "expert") return message(words.juryOnly);
  const skills = championship.skills.map((s) => s.id);
  const wanted = new URLSearchParams(location.search).get("skill") || sessionStorage.getItem("podium.skill");
  panel.skill = panel.me.skill || (skills.includes(wanted) ? wanted : skills[0]);
  await loadBoard();
  setInterval(loadBoard, BOARD_EVERY_MS);
}

async function loadBoard() {
  try {
    panel.board = await api(`/api/skills/${encodeURIComponent(panel.skill)}/board`);
    message("");
  } catch (error) {
    message(error instanceof HttpError ? error.message : words.offline);
  }
  if (panel.board) render();
}

async function act(path, method, body) {
  try {
    await api(path, {method, body});
    panel.notice = "";
  } catch (error) {
    panel.notice = error instanceof HttpError ? refusalText(error.status, error.problem, words) : words.offline;
  }
  await loadBoard();
}

function skillPath(rest) {
  return `/api/skills/${encodeURIComponent(panel.skill)}${rest}`;
}

function render() {
  const skill = championship.skills.find((s) => s.id === panel.skill);
  document.documentElement.lang = panel.lang;
  document.getElementById("title").textContent = `${championship.name} · ${words.chiefTitle}`;
  document.getElementById("who").textContent = `${words.signedInAs}: ${panel.me.name}`;
  const tools = document.getElementById("tools");
  tools.replaceChildren(languagePicker(championship, panel.lang, (lang) => {
    panel.lang = lang;
    words = wordsFor(lang);
    render();
  }));
  if (panel.me.role === "organizer") tools.prepend(skillPicker());
  else tools.append(el("a", {href: "/mark", class: "button"}, words.markingPage));
  tools.append(el("button", {type: "button", onclick: signOut}, words.signOut));
  renderSteering(skill);
  renderCriteria(skill);
  renderPanels(skill);
  renderProgress(skill);
}

function skillPicker() {
  const select = el("select", {id: "skill", "aria-label": words.skill},
    ...championship.skills.map((s) => el("option", {value: s.id, selected: s.id === panel.skill}, s.name)));
  select.addEventListener("change", () => {
    panel.skill = select.value;
    sessionStorage.setItem("podium.skill", select.value);
    panel.board = null;
    loadBoard();
  });
  return select;
}

function renderSteering(skill) {
  const board = panel.board;
  const modes = MODES.map(([mode, word]) => el("button", {type: "button", class: "mode",
    "data-mode": mode, "aria-pressed": String(board.visibility === mode),
    onclick: () => act(skillPath("/visibility"), "PUT", {mode})}, words[word]));
  const rows = board.rows.length;
  const reveal = el("button", {type: "button", id: "reveal", class: "primary",
    disabled: board.visibility !== "frozen" || board.revealed >= rows,
    onclick: () => act(skillPath("/reveal"), "POST")}, words.reveal);
  document.getElementById("steering").replaceChildren(
    el("h2", {}, skill.name),
    el("p", {class: "notice", role: "alert"}, panel.notice),
    el("div", {class: "modes", role: "group", "aria-label": words.visibility},
       el("span", {}, `${words.visibility}: `), ...modes),
    el("div", {class: "reveal"}, reveal, " ", say(words.revealed, {n: board.revealed, m: rows})));
}

// Each criterion's marking progress and lock, and under it each of its sub-criteria's: CIS
// signs off one sub-criterion's form at a time, so either may be locked.
function renderCriteria(skill) {
  const board = panel.board;
  const chief = panel.me.role === "chief";
  const lockedSubs = board.locked_sub_criteria || [];
  const row = (kind, id, name, done, locked) => {
    const meter = el("meter", {min: "0", max: String(done.of), value: String(done.counted)});
    const attrs = kind === "criterion" ? {"data-criterion": id} : {"data-sub-criterion": id};
    return el("tr", {...attrs, class: `${kind === "criterion" ? "" : "sub"} ${locked ? "locked" : ""}`.trim()},
      el("td", {}, `${id} · ${name}`),
      el("td", {}, meter, ` ${done.counted}/${done.of}`),
      el("td", {}, locked ? el("span", {class: "badge"}, words.locked) : ""),
      el("td", {}, chief ? lockControl(kind, id, locked) : ""));
  };
  const rows = skill.criteria.flatMap((criterion) => [
    row("criterion", criterion.id, criterion.name, board.criteria[criterion.id],
        board.locked.includes(criterion.id)),
    ...(criterion.sub_criteria || []).map((sub) => row("sub_criterion", sub.id, sub.name,
        board.sub_criteria[sub.id], lockedSubs.includes(sub.id))),
  ]);
  document.getElementById("criteria").replaceChildren(el("h2", {}, words.progress),
    el("table", {class: "grid"}, el("tbody", {}, ...rows)));
  const reason = document.getElementById("reason");
  if (reason && panel.focusReason) {
    reason.focus();
    reason.setSelectionRange(reason.value.length, reason.value.length);
  }
}

// `kind` is "criterion" or "sub_criterion", as the lock's body names it; an unlock names
// either by its id.
function lockControl(kind, id, locked) {
  if (!locked) {
    return el("button", {type: "button", class: "lock",
      onclick: () => act(skillPath("/locks"), "POST", {[kind]: id})}, words.lock);
  }
  if (panel.unlocking !== id) {
    return el("button", {type: "button", class: "unlock", onclick: () => {
      panel.unlocking = id;
      render();
    }}, words.unlock);
  }
  const input = el("input", {type: "text", id: "reason", placeholder: words.reason,
                             "aria-label": words.reason, value: panel.reason});
  input.addEventListener("input", () => { panel.reason = input.value; });
  input.addEventListener("focus", () => { panel.focusReason = true; });
  input.addEventListener("blur", () => { panel.focusReason = false; });
  const confirm = () => {
    if (!panel.reason.trim()) return input.focus();
    const reason = panel.reason;
    panel.unlocking = null;
    panel.reason = "";
    act(skillPath(`/locks/${encodeURIComponent(id)}`), "DELETE", {reason});
  };
  return el("span", {class: "unlocking"}, input,
    el("button", {type: "button", class: "unlock primary", onclick: confirm}, words.unlock),
    el("button", {type: "button", onclick: () => {
      panel.unlocking = null;
      render();
    }}, words.cancel));
}

function renderPanels(skill) {
  const names = Object.fromEntries(championship.competitors.map((c) => [c.id, c.name]));
  const list = (items, title, kind) => el("div", {class: `panel-list ${kind}`},
    el("h3", {}, `${title} (${items.length})`),
    items.length ? el("ul", {}, ...items.map((item) => el("li",
      {"data-competitor": item.competitor, "data-aspect": item.aspect},
      el("strong", {}, `${names[item.competitor] || item.competitor} · ${item.aspect}`), ": ",
      item.scores.map((s) => `${s.name} (${s.member}) ${s.score}`).join(", "))))
      : el("p", {}, words.none));
  document.getElementById("panels").replaceChildren(
    list(panel.board.disputed, words.disputedPanels, "disputed"),
    list(panel.board.pending, words.pendingPanels, "pending"));
}

function renderProgress(skill) {
  const head = el("tr", {}, el("th", {class: "num"}, words.rank), el("th", {}, words.competitor),
    el("th", {}, words.member), el("th", {class: "num"}, words.total),
    ...skill.criteria.map((c) => el("th", {class: "num", title: c.name}, c.id)));
  const ranked = [...panel.board.rows].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  const body = ranked.map((row) => el("tr", {"data-competitor": row.competitor},
    el("td", {class: "num"}, row.rank ?? ""), el("td", {}, row.name),
    el("td", {}, el("span", {class: "member"}, row.member)),
    el("td", {class: "num"}, row.total === null ? "" : row.total.toFixed(2)),
    ...skill.criteria.map((c) => {
      const done = row.criteria[c.id];
      return el("td", {class: done.counted === done.of ? "num complete" : "num"}, `${done.counted}/${done.of}`);
    })));
  document.getElementById("progress").replaceChildren(el("h2", {}, words.competitors),
    el("table", {class: "grid"}, el("thead", {}, head), el("tbody", {}, ...body)));
}

start();
