// The experts' marking page: choose a competitor, enter marks; the queue sends them.
"use strict";

const championship = championshipData();
const page = {lang: chooseLanguage(championship), me: null, skill: null, sheet: null,
              chosen: sessionStorage.getItem("podium.chosen"), stored: {}, notes: {},
              day: sessionStorage.getItem("podium.day") || "", competitors: competitorsKept()};
let words = wordsFor(page.lang);
let queue = null;
const SHEET_EVERY_MS = 5000;
const key = (competitor, aspect) => `${competitor}|${aspect}`;

function message(text) {
  const node = document.getElementById("message");
  node.textContent = text;
  node.hidden = !text;
}

// Who is signed in, and their last sheet: from the API, or as last seen when offline.
async function remembered(path, storageKey) {
  const cacheKey = `${storageKey}:${localStorage.getItem(TOKEN_KEY)}`;
  try {
    const found = await api(path);
    localStorage.setItem(storageKey, JSON.stringify({key: cacheKey, found}));
    return found;
  } catch (error) {
    const cached = JSON.parse(localStorage.getItem(storageKey) || "null");
    if (error instanceof HttpError || !cached || cached.key !== cacheKey) throw error;
    return cached.found;
  }
}

async function start() {
  registerWorker();
  if (!signIn()) return message(words.noToken);
  try {
    page.me = await remembered("/api/me", "podium.me");
  } catch (error) {
    if (isRevoked(error)) return showRevoked(keptOnTablet());
    return message(error instanceof HttpError ? words.whySignIn : words.offline);
  }
  if (!page.me.skill) return message(words.organizerNoMark);
  try {
    page.competitors = (await remembered("/api/competitors", "podium.competitors")).competitors;
  } catch (error) {
    return message(error instanceof HttpError ? words.whySignIn : words.offline);
  }
  page.skill = championship.skills.find((s) => s.id === page.me.skill);
  queue = new MarkQueue(page.me.id, () => update(), (entry, seq) => stored(entry, seq));
  window.addEventListener("online", () => update());
  window.addEventListener("offline", () => update());
  await loadSheet();
  setInterval(loadSheet, SHEET_EVERY_MS);
  queue.flush();
}

async function loadSheet() {
  try {
    page.sheet = await remembered("/api/me/marks", "podium.sheet");
  } catch (error) {
    if (isRevoked(error)) queue.revoked = true;
    if (!page.sheet) {
      page.sheet = {competitors: [], marks: [], panels: [], locked: [], locked_sub_criteria: [],
                    applied: 0};
    }
  }
  // Marks this tablet stored stay shown until the standings include them.
  for (const [k, mark] of Object.entries(page.stored)) {
    if (mark.seq <= page.sheet.applied) delete page.stored[k];
  }
  render();
}

function stored(entry, seq) {
  page.stored[key(entry.competitor, entry.aspect)] = {value: entry.value, seq};
  setTimeout(loadSheet, 400);
}

// The page itself names no one (anyone may open it): the names come with the token, and stay
// on the tablet for when it is offline or its sign-in was revoked.
function competitorsKept() {
  const cached = JSON.parse(localStorage.getItem("podium.competitors") || "null");
  return cached && cached.found ? cached.found.competitors : [];
}

function competitorOf(id) {
  return page.competitors.find((c) => c.id === id);
}

function standing(competitor, aspect) {
  const k = key(competitor, aspect);
  if (k in page.stored) return page.stored[k].value;
  const mark = page.sheet.marks.find((m) => m.competitor === competitor && m.aspect === aspect);
  return mark ? mark.value : null;
}

function shown(competitor, aspect) {
  const entry = queue.latest(competitor, aspect);
  return entry && entry.state === "waiting" ? entry.value : standing(competitor, aspect);
}

function render() {
  document.documentElement.lang = page.lang;
  document.getElementById("title").textContent = `${championship.name} · ${words.marking}`;
  const member = championship.members.find((m) => m.code === page.me.member);
  document.getElementById("who").textContent =
    `${words.signedInAs}: ${page.me.name} (${member ? member.name : page.me.member}) · ${page.skill.name}`;
  const tools = document.getElementById("tools");
  tools.replaceChildren(languagePicker(championship, page.lang, (lang) => {
    page.lang = lang;
    words = wordsFor(lang);
    render();
  }));
  if (page.me.role === "chief") tools.append(el("a", {href: "/chief", class: "button"}, words.chiefPanel));
  tools.append(el("button", {type: "button", onclick: signOut}, words.signOut));
  renderCompetitors();
  renderSheet();
  update();
}

function renderCompetitors() {
  const nav = document.getElementById("competitors");
  const ids = page.sheet.competitors;
  if (!ids.includes(page.chosen)) page.chosen = ids[0] || null;
  nav.replaceChildren(el("h2", {}, words.competitors), ...ids.map((id) => {
    const competitor = competitorOf(id);
    return el("button", {type: "button", class: "competitor", "data-competitor": id,
                         "aria-pressed": String(id === page.chosen),
                         onclick: () => choose(id)},
      el("span", {class: "member"}, competitor.member), " ", competitor.name,
      el("span", {class: "count"}));
  }));
  if (!ids.length) nav.append(el("p", {}, words.noneToMark));
}

function choose(id) {
  page.chosen = id;
  sessionStorage.setItem("podium.chosen", id);
  render();
}

// The days of marking the skill's scheme names, in order ("C1", "C2", ...); none for a
// scheme without them.
function daysOfMarking() {
  const days = new Set(page.skill.criteria.flatMap((c) => c.aspects.map((a) => a.day || "")));
  days.delete("");
  return [...days].sort((a, b) => a.localeCompare(b, undefined, {numeric: true}));
}

function dayFilter() {
  const days = daysOfMarking();
  if (!days.length) return "";
  if (page.day && !days.includes(page.day)) page.day = "";
  const choice = (day, label) => el("button", {type: "button", class: "day", "data-day": day,
    "aria-pressed": String(page.day === day), onclick: () => chooseDay(day)}, label);
  return el("div", {class: "days", role: "group", "aria-label": words.dayOfMarking},
    el("span", {}, `${words.dayOfMarking}: `), choice("", words.allDays),
    ...days.map((day) => choice(day, day)));
}

function chooseDay(day) {
  page.day = day;
  sessionStorage.setItem("podium.day", day);
  render();
}

function shownToday(aspect) {
  return !page.day || aspect.day === page.day;
}

function renderSheet() {
  const sheet = document.getElementById("sheet");
  const competitor = competitorOf(page.chosen);
  if (!competitor) return sheet.replaceChildren(el("p", {}, words.choose));
  const criteria = page.skill.criteria
    .map((criterion) => criterionSection(competitor.id, criterion))
    .filter((section) => section !== null);
  sheet.replaceChildren(el("h2", {}, el("span", {class: "member"}, competitor.member), " ",
                           competitor.name), dayFilter(),
    ...(criteria.length ? criteria : [el("p", {class: "none-today"}, words.noAspectsThatDay)]));
}

// A criterion's aspects, under their sub-criteria where the scheme has them; only those of
// the chosen day of marking. None when the day has nothing of this criterion.
function criterionSection(competitor, criterion) {
  const aspects = criterion.aspects.filter(shownToday);
  if (!aspects.length) return null;
  const subs = (criterion.sub_criteria || []).map((sub) => {
    const own = aspects.filter((a) => a.sub_criterion === sub.id);
    return own.length ? el("div", {class: "sub-criterion", "data-sub-criterion": sub.id},
      el("h4", {}, `${sub.id} · ${sub.name} `,
         el("span", {class: "lock-note"}, words.subLockedNote)),
      ...own.map((aspect) => aspectCard(competitor, aspect))) : null;
  }).filter((block) => block !== null);
  const loose = aspects.filter((a) => !a.sub_criterion);
  return el("section", {class: "criterion", "data-criterion": criterion.id},
    el("h3", {}, `${criterion.id} · ${criterion.name} `,
       el("span", {class: "lock-note"}, words.lockedNote)),
    ...subs, ...loose.map((aspect) => aspectCard(competitor, aspect)));
}

function aspectCard(competitor, aspect) {
  const judged = aspect.kind === "judgement";
  const controls = judged ? scoreButtons(competitor, aspect) : measurementField(competitor, aspect);
  const about = [el("strong", {}, aspect.id), ` ${aspect.description} `,
    el("span", {class: "kind"}, `${judged ? words.judgement : words.measurement} · ` +
       `${words.max} ${fmt(aspect.max_mark)}` + (aspect.day ? ` · ${words.day} ${aspect.day}` : ""))];
  return el("div", {class: `aspect ${aspect.kind}`, "data-aspect": aspect.id,
                    "data-day": aspect.day || ""},
    el("p", {class: "about"}, ...about),
    aspect.extra_description ? el("p", {class: "extra"}, aspect.extra_description) : "",
    aspect.requirement ? el("p", {class: "requirement"},
      el("span", {class: "label"}, `${words.requirement}: `), aspect.requirement) : "",
    controls,
    el("p", {class: "current"}, el("span", {class: "value"}), " ",
       el("button", {type: "button", class: "withdraw",
                     onclick: () => enter(competitor, aspect, null)}, words.withdraw)),
    el("p", {class: "entry"}), el("p", {class: "panel"}));
}

// The four score buttons; with the scheme's descriptors, each beside the score it describes.
function scoreButtons(competitor, aspect) {
  const described = (aspect.descriptors || []).length === 4;
  return el("div", {class: described ? "scores described" : "scores"},
    ...[0, 1, 2, 3].map((score) => {
      const button = el("button", {type: "button", class: "score", "data-score": String(score),
        onclick: () => enter(competitor, aspect, score)}, String(score));
      return described ? el("div", {class: "score-row", "data-score": String(score)}, button,
        el("span", {class: "descriptor"}, aspect.descriptors[score])) : button;
    }));
}

function measurementField(competitor, aspect) {
  const input = el("input", {type: "text", inputmode: "decimal", autocomplete: "off",
                             class: "value", "aria-label": `${aspect.id} (0–${aspect.max_mark})`,
                             placeholder: `0 – ${fmt(aspect.max_mark)}`});
  const save = () => {
    const typed = input.value.trim().replace(",", ".");
    if (!/^\d+(\.\d+)?$/.test(typed)) {
      page.notes[key(competitor, aspect.id)] = words.notNumber;
      return update();
    }
    input.value = "";
    enter(competitor, aspect, Number(typed));
  };
  input.addEventListener("keydown", (event) => event.key === "Enter" && save());
  return el("div", {class: "measure"}, input,
            el("button", {type: "button", class: "save", onclick: save}, words.save));
}

function enter(competitor, aspect, value) {
  delete page.notes[key(competitor, aspect.id)];
  queue.add(competitor, aspect.id, value);
}

// Brings every changing part up to date in place, so a field being typed into keeps its text.
function update() {
  if (!queue || !page.sheet) return;
  const waiting = queue.waiting();
  const status = document.getElementById("status");
  status.className = `status ${queue.signInNeeded ? "error" : waiting ? "waiting" : "saved"}`;
  status.textContent = queue.revoked ? words.revokedStatus : queue.signInNeeded ? words.whySignIn
    : waiting ? say(words.waiting, {n: waiting}) + (navigator.onLine ? "" : ` · ${words.offline}`)
    : words.saved;
  for (const button of document.querySelectorAll("button.competitor")) {
    const id = button.dataset.competitor;
    const aspects = page.skill.criteria.flatMap((c) => c.aspects);
    const done = aspects.filter((a) => shown(id, a.id) !== null).length;
    button.querySelector(".count").textContent = `${done}/${aspects.length}`;
  }
  if (queue.revoked) showRevoked(queue.mine().filter((e) => e.state === "waiting"));
  const lockedSubs = page.sheet.locked_sub_criteria || [];
  for (const section of document.querySelectorAll("section.criterion")) {
    const locked = page.sheet.locked.includes(section.dataset.criterion);
    section.classList.toggle("locked", locked);
    for (const block of section.querySelectorAll(".sub-criterion")) {
      block.classList.toggle("locked", lockedSubs.includes(block.dataset.subCriterion));
    }
    for (const card of section.querySelectorAll(".aspect")) {
      // Nothing new is entered on a revoked sign-in: it might be the lost tablet.
      const closed = locked || Boolean(card.closest(".sub-criterion.locked")) || queue.revoked;
      for (const control of card.querySelectorAll("input, button")) control.disabled = closed;
      updateCard(card);
    }
  }
}

function updateCard(card) {
  const competitor = page.chosen;
  const aspect = card.dataset.aspect;
  const judged = card.classList.contains("judgement");
  const value = shown(competitor, aspect);
  for (const button of card.querySelectorAll("button.score")) {
    button.setAttribute("aria-pressed", String(value !== null && Number(button.dataset.score) === value));
  }
  card.querySelector(".current .value").textContent =
    `${judged ? words.yourScore : words.current}: ${value === null ? "—" : fmt(value)}`;
  card.querySelector("button.withdraw").hidden = value === null;
  const entry = queue.latest(competitor, aspect);
  const line = card.querySelector(".entry");
  const note = page.notes[key(competitor, aspect)];
  if (note) {
    line.className = "entry refused";
    line.replaceChildren(note);
  } else if (entry && entry.state === "refused") {
    line.className = "entry refused";
    line.replaceChildren(`✕ ${fmt(entry.value)} · ${refusalText(entry.status, entry.problem, words)} `,
      el("button", {type: "button", class: "dismiss", onclick: () => queue.dismiss(entry.id)},
         words.dismiss));
  } else if (entry) {
    line.className = "entry waiting";
    line.replaceChildren(`↻ ${words.entryWaiting}`);
  } else {
    const saved = key(competitor, aspect) in page.stored;
    line.className = saved ? "entry saved" : "entry";
    line.replaceChildren(saved ? `✓ ${words.entrySaved}` : "");
  }
  card.querySelector(".panel").textContent = judged ? panelText(competitor, aspect) : "";
}

// The marks of this tablet still waiting to be sent: those of the person last signed in here,
// or, when the page does not know who that was, every one.
function keptOnTablet() {
  const cached = JSON.parse(localStorage.getItem("podium.me") || "null");
  const expert = cached && cached.found ? cached.found.id : null;
  const entries = JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
  return entries.filter((e) => e.state === "waiting" && (expert === null || e.expert === expert));
}

// Says plainly that a new card is needed, and lists every mark kept for then, with its value.
function showRevoked(entries) {
  const box = document.getElementById("revoked");
  box.hidden = false;
  const aspects = Object.fromEntries(championship.skills.flatMap((s) =>
    s.criteria.flatMap((c) => c.aspects.map((a) => [`${s.id}|${a.id}`, a]))));
  const skill = (competitor) => (competitorOf(competitor) || {}).skill;
  box.replaceChildren(el("h2", {}, words.revokedStatus), el("p", {}, words.revoked),
    el("h3", {}, say(words.keptMarks, {n: entries.length})),
    el("ul", {}, ...entries.map((entry) => {
      const competitor = competitorOf(entry.competitor);
      const aspect = aspects[`${skill(entry.competitor)}|${entry.aspect}`];
      return el("li", {"data-mark": entry.id},
        el("span", {class: "member"}, competitor ? competitor.member : ""), " ",
        competitor ? competitor.name : entry.competitor, ` · ${entry.aspect}`,
        aspect ? ` ${aspect.description}` : "", " · ",
        el("strong", {class: "value"}, entry.value === null ? `— (${words.withdraw})` : fmt(entry.value)));
    })));
}

function panelText(competitor, aspect) {
  const panel = page.sheet.panels.find((p) => p.competitor === competitor && p.aspect === aspect);
  const needed = page.skill.judges_per_aspect;
  if (!panel || panel.state === "pending") {
    return say(words.pending, {n: panel ? panel.judges : 0, m: needed});
  }
  return panel.state === "disputed" ? words.disputed : say(words.counted, {n: panel.judges});
}

start();
