// The venue crew's screens page: every named screen of the hall with a live preview, whether
// it is there, and what it shows; a choice of what to show, given to the screens ticked (all at
// once) or to one screen with its own button.
"use strict";

const crew = {championship: championshipData(), lang: null, words: null, me: null,
              screens: [], selected: new Set(), added: new Set(), notice: "",
              choice: {show: "skill", skill: null, skills: new Set(), every: 15, text: ""}};
crew.lang = chooseLanguage(crew.championship);
crew.words = wordsFor(crew.lang);
crew.choice.skill = crew.championship.skills[0].id;
const SCREENS_EVERY_MS = 2000;
const KINDS = [["skill", "showSkill"], ["rotation", "showRotation"], ["medals", "showMedals"],
               ["ceremony", "showCeremony"], ["message", "showMessage"]];
// One card per screen, kept between refreshes so its preview is not loaded again.
const cards = new Map();

async function start() {
  crew.me = await organizerSignIn(crew.words);
  if (!crew.me) return;
  renderAll();
  await load();
  setInterval(load, SCREENS_EVERY_MS);
}

async function load() {
  try {
    crew.screens = (await api("/api/screens")).screens;
    message("");
  } catch (error) {
    message(error instanceof HttpError ? error.message : crew.words.offline);
  }
  renderScreens();
}

function renderAll() {
  crewHeader(crew, crew.words.screensTitle, (lang) => {
    crew.lang = lang;
    crew.words = wordsFor(lang);
    // Every card made again in the new language (their previews load once more).
    cards.clear();
    document.getElementById("screens").replaceChildren();
    renderAll();
  });
  renderChoice();
  renderScreens();
}

// What to show: the kind, then what that kind needs.
function renderChoice() {
  const words = crew.words;
  const choice = crew.choice;
  const kinds = el("div", {class: "modes", role: "radiogroup", "aria-label": words.show},
    ...KINDS.map(([kind, word]) => el("button", {type: "button", class: "kind", "data-kind": kind,
      "aria-pressed": String(choice.show === kind),
      onclick: () => { choice.show = kind; renderChoice(); }}, words[word])));
  const detail = el("div", {class: "detail"});
  if (choice.show === "skill") {
    const select = el("select", {id: "choice-skill", "aria-label": words.skill},
      ...crew.championship.skills.map((s) => el("option", {value: s.id, selected: s.id === choice.skill}, s.name)));
    select.addEventListener("change", () => { choice.skill = select.value; });
    detail.append(select);
  } else if (choice.show === "rotation") {
    detail.append(...crew.championship.skills.map((s) => {
      const box = el("input", {type: "checkbox", value: s.id, checked: choice.skills.has(s.id)});
      box.addEventListener("change", () => {
        if (box.checked) choice.skills.add(s.id); else choice.skills.delete(s.id);
      });
      return el("label", {class: "check", "data-skill": s.id}, box, " ", s.name);
    }));
    const every = el("input", {type: "number", id: "choice-every", min: "3", max: "3600",
                               value: String(choice.every), "aria-label": words.every});
    every.addEventListener("input", () => { choice.every = Number(every.value); });
    detail.append(el("label", {class: "every"}, `${words.every}: `, every));
  } else if (choice.show === "message") {
    const text = el("textarea", {id: "choice-text", rows: "2", maxlength: "500",
                                 placeholder: words.messageText, "aria-label": words.messageText});
    text.value = choice.text;
    text.addEventListener("input", () => { choice.text = text.value; });
    detail.append(text);
  }
  const name = el("input", {type: "text", id: "new-screen", placeholder: words.screenName,
                            "aria-label": words.screenName, pattern: "[A-Za-z0-9_-]{1,64}"});
  const add = () => {
    const wanted = name.value.trim();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(wanted)) { crew.notice = words.badName; renderNotice(); return; }
    crew.added.add(wanted);
    crew.selected.add(wanted);
    name.value = "";
    renderScreens();
  };
  document.getElementById("assign").replaceChildren(
    el("h2", {}, words.show), kinds, detail,
    el("div", {class: "actions"},
      el("button", {type: "button", id: "assign-selected", class: "primary",
                    onclick: () => assign([...crew.selected])}, ""),
      el("button", {type: "button", id: "select-all", onclick: () => {
        for (const screen of listed()) crew.selected.add(screen.name);
        renderScreens();
      }}, words.selectAll),
      el("button", {type: "button", id: "select-none", onclick: () => {
        crew.selected.clear();
        renderScreens();
      }}, words.selectNone)),
    el("div", {class: "actions"}, name, el("button", {type: "button", id: "add-screen", onclick: add}, words.add)),
    el("p", {class: "notice", id: "notice", role: "alert"}, crew.notice));
  renderSelectedCount();
}

function renderNotice() {
  document.getElementById("notice").textContent = crew.notice;
}

function renderSelectedCount() {
  const button = document.getElementById("assign-selected");
  button.textContent = say(crew.words.assignSelected, {n: crew.selected.size});
  button.disabled = crew.selected.size === 0;
}

function body() {
  const choice = crew.choice;
  switch (choice.show) {
    case "skill": return {show: "skill", skill: choice.skill};
    case "rotation": {
      const skills = crew.championship.skills.map((s) => s.id).filter((s) => choice.skills.has(s));
      return {show: "rotation", skills, every: Math.max(3, Math.round(choice.every) || 15)};
    }
    case "message": return {show: "message", text: choice.text};
    default: return {show: choice.show};
  }
}

async function assign(names) {
  const wanted = body();
  if (wanted.show === "rotation" && !wanted.skills.length) {
    crew.notice = crew.words.pickSkill;
    return renderNotice();
  }
  // Every screen at once: each is its own command, sent together so they change together.
  const sent = await Promise.allSettled(names.map((name) =>
    api(`/api/screens/${encodeURIComponent(name)}`, {method: "PUT", body: wanted})));
  crew.notice = sent.map((result, at) => result.status === "fulfilled" ? ""
    : `${names[at]}: ${result.reason instanceof HttpError ? result.reason.message : crew.words.offline}`)
    .filter(Boolean).join(" · ");
  renderNotice();
  await load();
}

// The screens seen or assigned, and those just named here that have neither yet.
function listed() {
  const known = new Set(crew.screens.map((s) => s.name));
  const added = [...crew.added].filter((name) => !known.has(name))
    .map((name) => ({name, show: null, connected: false, language: null, connected_since: null, last_seen: null}));
  return [...crew.screens, ...added];
}

function describe(show) {
  const words = crew.words;
  const championship = crew.championship;
  if (!show) return words.showDefault;
  switch (show.show) {
    case "skill": return `${words.showSkill}: ${skillName(championship, show.skill)}`;
    case "rotation":
      return `${words.showRotation}: ${show.skills.map((s) => skillName(championship, s)).join(", ")} · ${say(words.everySeconds, {n: show.every})}`;
    case "medals": return words.showMedals;
    case "ceremony": return words.showCeremony;
    case "message": return `${words.showMessage}: “${show.text}”`;
  }
  return "";
}

function renderScreens() {
  const words = crew.words;
  const section = document.getElementById("screens");
  const screens = listed();
  for (const name of crew.selected) if (!screens.some((s) => s.name === name)) crew.selected.delete(name);
  for (const [name, card] of cards) {
    if (!screens.some((s) => s.name === name)) { card.node.remove(); cards.delete(name); }
  }
  let grid = section.querySelector(".grid-of-screens");
  if (!grid) {
    grid = el("div", {class: "grid-of-screens"});
    section.replaceChildren(el("h2", {}, words.screensTitle), el("p", {class: "empty-note"}), grid);
  }
  section.querySelector(".empty-note").textContent = screens.length ? "" : words.noScreens;
  for (const screen of screens) {
    const card = cards.get(screen.name) || makeCard(screen.name);
    updateCard(card, screen);
    grid.append(card.node);
  }
  renderSelectedCount();
}

function makeCard(name) {
  const words = crew.words;
  const box = el("input", {type: "checkbox", class: "pick", "aria-label": name});
  box.addEventListener("change", () => {
    if (box.checked) crew.selected.add(name); else crew.selected.delete(name);
    renderSelectedCount();
  });
  const card = {
    name, box, src: null,
    state: el("span", {class: "state"}),
    facts: el("p", {class: "facts"}),
    shows: el("p", {class: "shows"}),
    preview: el("div", {class: "preview"}),
    open: el("a", {class: "button open", target: "_blank", rel: "noopener"}, words.openDisplay),
  };
  card.node = el("article", {class: "screen", "data-screen": name},
    el("header", {}, el("label", {}, box, " ", el("strong", {}, name)), card.state),
    card.preview, card.shows, card.facts,
    el("div", {class: "actions"},
      el("button", {type: "button", class: "assign-one", onclick: () => assign([name])}, words.assignOne),
      card.open));
  cards.set(name, card);
  return card;
}

function updateCard(card, screen) {
  const words = crew.words;
  const championship = crew.championship;
  card.box.checked = crew.selected.has(screen.name);
  card.state.textContent = screen.connected ? words.connected : words.notConnected;
  card.state.className = `state ${screen.connected ? "connected" : "gone"}`;
  card.node.classList.toggle("connected", screen.connected);
  card.shows.textContent = `${words.shows}: ${describe(screen.show)}`;
  const facts = [];
  if (screen.language) facts.push(`${words.language}: ${LANGUAGE_NAMES[screen.language] || screen.language}`);
  if (screen.connected_since) facts.push(`${words.connectedSince}: ${venueTime(screen.connected_since, championship, crew.lang)}`);
  facts.push(`${words.lastSeen}: ${screen.last_seen ? venueTime(screen.last_seen, championship, crew.lang) : words.never}`);
  card.facts.textContent = facts.join(" · ");
  if (!championship.broadcast) return;
  const lang = screen.language || crew.lang;
  const display = `${championship.broadcast}/display?screen=${encodeURIComponent(screen.name)}&lang=${lang}`;
  card.open.href = display;
  const src = `${display}&preview=1&qr=0`;
  if (card.src !== src) {
    card.src = src;
    // The screen itself at 1920x1080, scaled into the card.
    card.preview.replaceChildren(el("iframe", {src, title: `${words.preview}: ${screen.name}`,
      loading: "lazy", tabindex: "-1", scrolling: "no"}));
  }
}

start();
