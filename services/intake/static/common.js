// What the marking page and the chief's panel share: sign-in from the link, the API with the
// bearer token, the language, and building elements.
"use strict";

const TOKEN_KEY = "podium.token";
const LANG_KEY = "podium.lang";

// `/mark#token=…`: keep the token on the tablet, and take it out of the address bar (and so
// out of the history, bookmarks and anyone's photo of the screen).
function signIn() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fresh = fragment.get("token");
  if (fresh) {
    localStorage.setItem(TOKEN_KEY, fresh);
    history.replaceState(null, "", location.pathname + location.search);
  }
  return localStorage.getItem(TOKEN_KEY);
}

// A new card's link opened on a page already open: a fragment change, no page load.
window.addEventListener("hashchange", () => {
  if (new URLSearchParams(location.hash.slice(1)).get("token")) {
    signIn();
    location.reload();
  }
});

function signOut() {
  localStorage.removeItem(TOKEN_KEY);
  location.reload();
}

class HttpError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

// JSON from the API; throws HttpError for an answer that is not 2xx, TypeError when the
// network is down.
async function api(path, options = {}) {
  const headers = {Authorization: `Bearer ${localStorage.getItem(TOKEN_KEY) || ""}`};
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method: options.method || "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    cache: "no-store",
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new HttpError(response.status, body);
  return body;
}

// The sign-in was revoked (a lost tablet, a replaced expert): a new card is needed.
function isRevoked(error) {
  return error instanceof HttpError && error.status === 401 && error.problem.title === "Sign-in revoked";
}

function championshipData() {
  return JSON.parse(document.getElementById("championship").textContent);
}

function chooseLanguage(championship) {
  const known = Object.keys(WORDS).filter((l) => championship.languages.includes(l) || l === "en");
  const asked = new URLSearchParams(location.search).get("lang");
  const candidates = [asked, localStorage.getItem(LANG_KEY), ...(navigator.languages || [])];
  for (const candidate of candidates) {
    const lang = (candidate || "").slice(0, 2).toLowerCase();
    if (known.includes(lang)) return lang;
  }
  return "en";
}

function languagePicker(championship, current, onChange) {
  const select = el("select", {id: "lang", "aria-label": "language"});
  for (const lang of championship.languages.filter((l) => WORDS[l])) {
    const option = el("option", {value: lang}, LANGUAGE_NAMES[lang] || lang);
    if (lang === current) option.selected = true;
    select.append(option);
  }
  select.addEventListener("change", () => {
    localStorage.setItem(LANG_KEY, select.value);
    onChange(select.value);
  });
  return select;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children) node.append(child ?? "");
  return node;
}

function fmt(value) {
  return value === undefined || value === null ? "" : String(Math.round(value * 100) / 100);
}

// Explains a refusal in the page's language, then the server's own words.
function refusalText(status, problem, words) {
  const lead = {
    Locked: words.whyLocked,
    "Bad value": words.whyValue,
    Compatriot: words.whyCompatriot,
    "Other skill": words.whyOtherSkill,
    Absent: words.whyAbsent,
    "Form signed": words.whySignedForm,
  }[problem.title] || (status === 401 ? words.whySignIn : words.refused);
  return problem.detail ? `${lead}: ${problem.detail}` : lead;
}

function registerWorker() {
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
}
