// The chief expert's panel: the skill's marking progress, the judgement panels that do not
// count yet, each judge's pattern (judges.js), locks, visibility, the reveal, competitors' status, and the skill's sign-ins with
// a Revoke button. Organizers choose among every skill, and see the sign-ins of all of them.
"use strict";

const championship = championshipData();
const panel = {lang: chooseLanguage(championship), me: null, skill: null, board: null, names: {},
               unlocking: null, reason: "", notice: "",
               statusFor: null, statusChoice: "", statusReason: "",
               sessions: [], revoking: null, revokeReason: "", focusRevoke: false,
               revokedNote: null};
let words = wordsFor(panel.lang);
const BOARD_EVERY_MS = 3000;
const MODES = [["live", "live"], ["progress", "progressMode"], ["frozen", "frozen"], ["final", "final"]];
const STATUSES = [["competing", "statusCompeting"], ["absent", "statusAbsent"],
                  ["withdrawn", "statusWithdrawn"], ["non_competing", "statusNonCompeting"]];

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
  try {
    // Full names, behind the token: the page itself names no one.
    const roster = await api("/api/competitors");
    panel.names = Object.fromEntries(roster.competitors.map((c) => [c.id, c.name]));
  } catch (error) {
    return message(error instanceof HttpError ? error.message : words.offline);
  }
  const skills = championship.skills.map((s) => s.id);
  const wanted = new URLSearchParams(location.search).get("skill") || sessionStorage.getItem("podium.skill");
  panel.skill = panel.me.skill || (skills.includes(wanted) ? wanted : skills[0]);
  await loadBoard();
  setInterval(loadBoard, BOARD_EVERY_MS);
  refreshJudges();
  setInterval(refreshJudges, JUDGES_EVERY_MS);
}

// The judges' table (judges.js) on its own, quicker pace: redrawn only when it changed.
async function refreshJudges() {
  try {
    if (await loadJudges(panel.skill) && panel.board) renderJudges();
  } catch (error) {
    // Nothing to add: the board's own refresh says when intake cannot be reached.
  }
}

function renderJudges() {
  // Right after another skill is chosen, the table held is still the previous skill's.
  const table = judgesState.skill === panel.skill ? judgesState.table : null;
  document.getElementById("judges").replaceChildren(...judgesSection(table, words));
}

function sessionsPath() {
  return panel.me.role === "organizer" ? "/api/sessions"
    : `/api/sessions?skill=${encodeURIComponent(panel.skill)}`;
}

async function loadBoard() {
  try {
    const [board, signIns] = await Promise.all([
      api(`/api/skills/${encodeURIComponent(panel.skill)}/board`), api(sessionsPath())]);
    panel.board = board;
    panel.sessions = signIns.sessions;
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
  renderJudges();
  renderProgress(skill);
  renderSessions();
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
  const names = panel.names;
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
    ...skill.criteria.map((c) => el("th", {class: "num", title: c.name}, c.id)),
    el("th", {}, words.status));
  const ranked = [...panel.board.rows].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  const body = ranked.map((row) => el("tr", {"data-competitor": row.competitor,
                                             "data-status": row.status, class: `status-${row.status}`},
    el("td", {class: "num"}, row.rank ?? ""),
    el("td", {}, row.name, row.team.length ? el("span", {class: "team"}, row.team.join(" · ")) : ""),
    el("td", {}, el("span", {class: "member"}, row.member)),
    el("td", {class: "num"}, row.total === null ? "" : row.total.toFixed(2)),
    ...skill.criteria.map((c) => {
      const done = row.criteria[c.id];
      return el("td", {class: done.counted === done.of ? "num complete" : "num"}, `${done.counted}/${done.of}`);
    }),
    el("td", {class: "status-cell"}, statusControl(row))));
  document.getElementById("progress").replaceChildren(el("h2", {}, words.competitors),
    el("table", {class: "grid"}, el("thead", {}, head), el("tbody", {}, ...body)));
  const reason = document.getElementById("status-reason");
  if (reason && panel.focusStatusReason) reason.focus();
}

function statusWord(status) {
  return words[STATUSES.find(([s]) => s === status)[1]];
}

// The competitor's status, and a change of it with the reason the audit keeps.
function statusControl(row) {
  if (panel.statusFor !== row.competitor) {
    return el("span", {}, el("span", {class: `badge status-word ${row.status}`}, statusWord(row.status)), " ",
      el("button", {type: "button", class: "change-status", onclick: () => {
        panel.statusFor = row.competitor;
        panel.statusChoice = row.status;
        panel.statusReason = "";
        render();
      }}, words.changeStatus));
  }
  const choice = el("select", {id: "status-choice", "aria-label": words.status},
    ...STATUSES.map(([status, word]) => el("option", {value: status, selected: status === panel.statusChoice}, words[word])));
  choice.addEventListener("change", () => { panel.statusChoice = choice.value; });
  const input = el("input", {type: "text", id: "status-reason", placeholder: words.statusReason,
                             "aria-label": words.statusReason, value: panel.statusReason});
  input.addEventListener("input", () => { panel.statusReason = input.value; });
  input.addEventListener("focus", () => { panel.focusStatusReason = true; });
  input.addEventListener("blur", () => { panel.focusStatusReason = false; });
  const save = () => {
    if (!panel.statusReason.trim()) return input.focus();
    const body = {status: panel.statusChoice, reason: panel.statusReason};
    panel.statusFor = null;
    act(`/api/competitors/${encodeURIComponent(row.competitor)}/status`, "PUT", body);
  };
  return el("span", {class: "changing-status"}, choice, input,
    el("button", {type: "button", class: "primary save-status", onclick: save}, words.save),
    el("button", {type: "button", onclick: () => { panel.statusFor = null; render(); }}, words.cancel));
}

start();

function when(iso) {
  return new Date(iso).toLocaleString(panel.lang, {dateStyle: "short", timeStyle: "medium", hour12: false});
}

// The browser and system a user agent names, in two words where it can be told.
function device(agent) {
  const browser = (agent.match(/(Edg|OPR|Firefox|Chrome|Safari)\//) || [])[1];
  const system = (agent.match(/(Android|iPad|iPhone|Windows|Mac OS X|CrOS|Linux)/) || [])[1];
  return browser && system ? `${browser.replace("Edg", "Edge")} · ${system}` : agent.slice(0, 40);
}

function renderSessions() {
  const organizer = panel.me.role === "organizer";
  const skills = Object.fromEntries(championship.skills.map((s) => [s.id, s.name]));
  const head = el("tr", {}, el("th", {}, words.name),
    ...(organizer ? [el("th", {}, words.skill)] : []),
    el("th", {}, words.issued), el("th", {}, words.firstSeen), el("th", {}, words.lastSeen),
    el("th", {}, words.lastMark), el("th", {}, words.device), el("th", {}, words.state), el("th", {}));
  const rows = panel.sessions.map((row) => el("tr",
    {"data-jti": row.jti, "data-person": row.person, class: row.revoked ? "revoked" : ""},
    el("td", {}, el("span", {class: "member"}, row.member), " ", row.name),
    ...(organizer ? [el("td", {}, row.skill ? skills[row.skill] || row.skill : "—")] : []),
    el("td", {}, when(row.issued)), el("td", {}, when(row.first_seen)),
    el("td", {}, when(row.last_seen)), el("td", {}, row.last_mark || "—"),
    el("td", {title: row.user_agent}, device(row.user_agent)),
    el("td", {class: "state"}, row.revoked ? el("span", {class: "badge"}, words.revokedState)
      : words.activeState),
    el("td", {}, row.revoked ? "" : revokeControl(row))));
  const note = panel.revokedNote;
  document.getElementById("sessions").replaceChildren(el("h2", {}, words.sessions),
    el("p", {class: note && note.ok ? "notice done" : "notice", role: "status"}, note ? note.text : ""),
    rows.length ? el("table", {class: "grid"}, el("thead", {}, head), el("tbody", {}, ...rows))
      : el("p", {}, words.noSessions));
  const reason = document.getElementById("revoke-reason");
  if (reason && panel.focusRevoke) {
    reason.focus();
    reason.setSelectionRange(reason.value.length, reason.value.length);
  }
}

function revokeControl(row) {
  if (panel.revoking !== row.jti) {
    return el("button", {type: "button", class: "revoke", onclick: () => {
      panel.revoking = row.jti;
      panel.focusRevoke = true;
      render();
    }}, words.revoke);
  }
  const input = el("input", {type: "text", id: "revoke-reason", placeholder: words.revokeReason,
                             "aria-label": words.revokeReason, value: panel.revokeReason});
  input.addEventListener("input", () => { panel.revokeReason = input.value; });
  input.addEventListener("focus", () => { panel.focusRevoke = true; });
  input.addEventListener("blur", () => { panel.focusRevoke = false; });
  const confirm = async () => {
    if (!panel.revokeReason.trim()) return input.focus();
    const reason = panel.revokeReason;
    panel.revoking = null;
    panel.revokeReason = "";
    panel.focusRevoke = false;
    try {
      await api("/api/revocations", {method: "POST", body: {person: row.person, reason}});
      panel.revokedNote = {text: say(words.revokedNotice, {name: row.name}), ok: true};
    } catch (error) {
      const text = error instanceof HttpError ? refusalText(error.status, error.problem, words) : words.offline;
      panel.revokedNote = {text, ok: false};
    }
    await loadBoard();
  };
  input.addEventListener("keydown", (event) => event.key === "Enter" && confirm());
  return el("span", {class: "unlocking"}, input,
    el("button", {type: "button", class: "revoke primary", onclick: confirm}, words.revoke),
    el("button", {type: "button", onclick: () => {
      panel.revoking = null;
      panel.focusRevoke = false;
      render();
    }}, words.cancel));
}
