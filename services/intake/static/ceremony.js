// The closing ceremony's console: the step the hall sees and the next one, large Back and Next
// buttons (a presenter's remote works too: its Page Down and Page Up), and the script: which
// skills in which order, and whether the Medallions for Excellence are announced.
"use strict";

const crew = {championship: championshipData(), lang: null, words: null, me: null,
              ceremony: null, draft: null, notice: "", busy: false};
crew.lang = chooseLanguage(crew.championship);
crew.words = wordsFor(crew.lang);
const CEREMONY_EVERY_MS = 1500;
const KIND_WORDS = {call_up: "kindCallUp", medallions: "kindMedallions", bronze: "kindBronze",
                    silver: "kindSilver", gold: "kindGold", medal_table: "kindMedalTable",
                    best_of_nation: "kindBestOfNation", best_overall: "kindBestOverall"};

async function start() {
  crew.me = await organizerSignIn(crew.words);
  if (!crew.me) return;
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea")) return;
    if (["PageDown", "ArrowRight"].includes(event.key)) { event.preventDefault(); move("next"); }
    if (["PageUp", "ArrowLeft"].includes(event.key)) { event.preventDefault(); move("back"); }
  });
  await load();
  setInterval(load, CEREMONY_EVERY_MS);
}

async function load() {
  try {
    crew.ceremony = await api("/api/ceremony");
    message("");
  } catch (error) {
    message(error instanceof HttpError ? error.message : crew.words.offline);
  }
  if (!crew.ceremony) return;
  if (!crew.draft) resetDraft();
  // Drawn again only when something changed: a button redrawn under a finger loses its press.
  const seen = JSON.stringify([crew.ceremony, crew.lang, crew.notice, crew.busy]);
  if (seen !== crew.seen) {
    crew.seen = seen;
    render();
  }
}

function resetDraft() {
  const scripted = crew.ceremony.skills;
  const rest = crew.championship.skills.map((s) => s.id).filter((s) => !scripted.includes(s));
  crew.draft = {order: [...scripted, ...rest], included: new Set(scripted),
                medallions: crew.ceremony.medallions};
}

async function move(direction) {
  if (crew.busy || !crew.ceremony) return;
  crew.busy = true;
  renderStage();
  try {
    await api(`/api/ceremony/${direction}`, {method: "POST"});
    crew.notice = "";
  } catch (error) {
    crew.notice = error instanceof HttpError ? error.message : crew.words.offline;
  }
  crew.busy = false;
  await load();
}

async function setScript() {
  const words = crew.words;
  const skills = crew.draft.order.filter((s) => crew.draft.included.has(s));
  if (!skills.length) { crew.notice = words.pickSkill; return render(); }
  if (crew.ceremony.step > 0 && !confirm(words.confirmScript)) return;
  try {
    await api("/api/ceremony", {method: "PUT", body: {skills, medallions: crew.draft.medallions}});
    crew.notice = "";
    crew.draft = null;
  } catch (error) {
    crew.notice = error instanceof HttpError ? error.message : words.offline;
  }
  await load();
}

function stepLabel(step) {
  const words = crew.words;
  if (!step) return words.notBegun;
  const kind = words[KIND_WORDS[step.kind]];
  return step.skill ? `${skillName(crew.championship, step.skill)} · ${kind}` : kind;
}

function render() {
  crewHeader(crew, crew.words.ceremonyTitle, (lang) => {
    crew.lang = lang;
    crew.words = wordsFor(lang);
    render();
  });
  renderStage();
  renderScript();
}

function renderStage() {
  const words = crew.words;
  const state = crew.ceremony;
  const steps = state.steps;
  const current = state.step ? steps[state.step - 1] : null;
  const upcoming = state.step < steps.length ? steps[state.step] : null;
  const back = el("button", {type: "button", id: "back", class: "big",
    disabled: crew.busy || state.step === 0, onclick: () => move("back")}, `◀ ${words.back}`);
  const next = el("button", {type: "button", id: "next", class: "big primary",
    disabled: crew.busy || !upcoming, onclick: () => move("next")}, `${words.next} ▶`);
  const unfinished = state.unfinished.length
    ? el("p", {class: "warning"}, say(words.notFinal,
        {skills: state.unfinished.map((s) => skillName(crew.championship, s)).join(", ")}))
    : "";
  document.getElementById("stage").replaceChildren(
    el("p", {class: "count", id: "count"}, say(words.stepOf, {n: state.step, m: steps.length})),
    el("div", {class: "now"}, el("span", {class: "label"}, words.currentStep),
       el("strong", {id: "current"}, current ? stepLabel(current) : words.notBegun)),
    shownNow(state.view),
    el("div", {class: "upcoming"}, el("span", {class: "label"}, words.nextStep),
       el("strong", {id: "upcoming"}, upcoming ? stepLabel(upcoming) : words.ended)),
    el("div", {class: "moves"}, back, next),
    el("p", {class: "notice", role: "alert"}, crew.notice),
    unfinished);
}

// What the hall sees now, for whoever reads the names out.
function shownNow(view) {
  const words = crew.words;
  const members = Object.fromEntries(crew.championship.members.map((m) => [m.code, m.name]));
  const person = (c) => el("li", {"data-competitor": c.competitor},
    el("span", {class: "member"}, c.member), ` ${c.name} · ${members[c.member] || c.member}`);
  const box = el("div", {class: "shown", id: "shown"});
  const kind = view.current ? view.current.kind : null;
  if (!kind) return box;
  if (kind === "medal_table") {
    box.append(el("ol", {}, ...view.table.map((line) => el("li", {},
      `${members[line.member] || line.member}: ${words.gold} ${line.gold} · ${words.silver} ${line.silver} · ${words.bronze} ${line.bronze}`))));
  } else if (kind === "best_of_nation") {
    box.append(el("ul", {}, ...view.nations.flatMap((nation) => nation.called.map(person))));
  } else if (view.called.length) {
    box.append(el("ul", {}, ...view.called.map(person)));
  } else {
    box.append(el("p", {}, words.notAwarded));
  }
  return box;
}

function renderScript() {
  const words = crew.words;
  const draft = crew.draft;
  const state = crew.ceremony;
  const rows = draft.order.map((id, at) => {
    const box = el("input", {type: "checkbox", checked: draft.included.has(id), "aria-label": skillName(crew.championship, id)});
    box.addEventListener("change", () => {
      if (box.checked) draft.included.add(id); else draft.included.delete(id);
    });
    const swap = (to) => {
      [draft.order[at], draft.order[to]] = [draft.order[to], draft.order[at]];
      renderScript();
    };
    return el("li", {"data-skill": id}, el("label", {}, box, " ", skillName(crew.championship, id)),
      el("button", {type: "button", class: "up", disabled: at === 0, "aria-label": words.moveUp,
                    onclick: () => swap(at - 1)}, "↑"),
      el("button", {type: "button", class: "down", disabled: at === draft.order.length - 1,
                    "aria-label": words.moveDown, onclick: () => swap(at + 1)}, "↓"));
  });
  const medallions = el("input", {type: "checkbox", id: "medallions", checked: draft.medallions});
  medallions.addEventListener("change", () => { draft.medallions = medallions.checked; });
  const steps = state.steps.map((step, at) => el("li",
    {class: at + 1 === state.step ? "current" : at + 1 < state.step ? "done" : ""}, stepLabel(step)));
  document.getElementById("script").replaceChildren(
    el("h2", {}, words.script),
    el("ol", {class: "skills"}, ...rows),
    el("label", {class: "check"}, medallions, " ", words.medallions),
    el("div", {class: "actions"},
      el("button", {type: "button", id: "set-script", onclick: setScript}, words.setScript),
      el("button", {type: "button", onclick: () => { resetDraft(); renderScript(); }}, words.cancel)),
    el("h2", {}, words.steps),
    el("ol", {class: "steps", id: "steps"}, ...steps));
}

start();
