// The marking page's "Forms to sign": each form where this expert's marks stand, with every
// mark on it (the expert's own in bold), what is still missing, and a Sign button that signs
// the digest this page showed. A sign-off is never queued: it goes now, with the digest the
// expert just saw, or not at all (offline, the button waits for the network).
"use strict";

const signing = {open: false, forms: [], details: {}, notes: {}, busy: false};
const SIGNING_EVERY_MS = 4000;

function formsPath(rest = "") {
  return `/api/skills/${encodeURIComponent(page.me.skill)}/forms${rest}`;
}

// The forms this expert signs: where at least one of their marks stands.
function mine(form) {
  return form.signers.some((s) => s.person === page.me.id);
}

async function loadForms() {
  if (!page.me || !page.me.skill || signing.busy) return;
  try {
    signing.forms = (await api(formsPath())).filter(mine);
    if (signing.open) {
      const details = await Promise.all(signing.forms.map((f) =>
        api(formsPath(`/${encodeURIComponent(f.form)}`))));
      signing.details = Object.fromEntries(details.map((d) => [d.form, d]));
    }
  } catch (error) {
    if (!(error instanceof HttpError)) return renderSigning();
  }
  renderSigning();
}

function myState(form) {
  const me = form.signers.find((s) => s.person === page.me.id);
  if (me && me.signed_at) return "signed";
  return form.void.some((v) => v.person === page.me.id) ? "again" : "unsigned";
}

function toggleSigning() {
  signing.open = !signing.open;
  document.getElementById("main").hidden = signing.open;
  document.getElementById("forms").hidden = !signing.open;
  loadForms();
}

function renderSigning() {
  const tools = document.getElementById("forms-tools");
  const waiting = signing.forms.filter((f) => myState(f) !== "signed").length;
  tools.replaceChildren(el("button", {type: "button", id: "forms-toggle",
    "aria-pressed": String(signing.open), onclick: toggleSigning},
    signing.open ? words.marking : words.formsToSign,
    waiting && !signing.open ? el("span", {class: "count"}, ` ${waiting}`) : ""));
  if (!signing.open) return;
  const cards = signing.forms.map((form) => formCard(signing.details[form.form] || form));
  document.getElementById("forms").replaceChildren(el("h2", {}, words.formsToSign),
    ...(cards.length ? cards : [el("p", {}, words.noFormsToSign)]));
}

const STATE_WORDS = {open: "formOpen", signing: "formSigning", signed: "formSigned"};

function formCard(form) {
  const state = myState(form);
  const note = signing.notes[form.form];
  const button = el("button", {type: "button", class: "primary sign", "data-form": form.form,
    disabled: state === "signed" || form.missing.length > 0 || !form.marks || !navigator.onLine,
    onclick: () => signForm(form)}, words.sign);
  return el("section", {class: `form-card ${form.state}`, "data-form": form.form,
                        "data-state": form.state, "data-mine": state},
    el("h3", {}, `${form.form} · ${form.name} `,
       el("span", {class: `badge form-state ${form.state}`}, words[STATE_WORDS[form.state]])),
    state === "again" ? el("p", {class: "sign-again", role: "alert"}, words.signAgain) : "",
    el("ul", {class: "signers"}, ...form.signers.map((s) => el("li", {"data-person": s.person},
      `${s.name}: `, s.signed_at ? `✓ ${shortTime(s.signed_at)}` : words.notSigned))),
    form.marks ? marksTable(form) : "",
    el("p", {class: "missing"}, form.missing.length
      ? `${say(words.missingCount, {n: form.missing.length})}: ` +
        form.missing.slice(0, 12).map((m) => `${m.competitor} ${m.aspect}`).join(", ")
      : words.nothingMissing),
    el("p", {class: "digest"}, `${words.digest}: `, el("code", {}, form.digest.slice(0, 12))),
    el("p", {class: "sign-line"}, button, note ? el("span", {class: "notice"}, ` ${note}`) : ""));
}

// A row per competitor, a column per aspect: the measurement, or each judge's score.
function marksTable(form) {
  const competitors = page.sheet ? page.sheet.competitors : [];
  const ids = [...new Set([...competitors, ...form.marks.map((m) => m.competitor)])].sort();
  const head = el("tr", {}, el("th", {}, words.competitors),
    ...form.aspects.map((a) => el("th", {class: "num", title: a.description}, `${a.id} (${fmt(a.max_mark)})`)));
  const rows = ids.map((id) => el("tr", {"data-competitor": id},
    el("td", {}, (competitorOf(id) || {name: id}).name),
    ...form.aspects.map((a) => el("td", {class: "num", "data-aspect": a.id},
      ...form.marks.filter((m) => m.competitor === id && m.aspect === a.id).map((m) =>
        el(m.expert === page.me.id ? "strong" : "span", {title: m.expert}, `${fmt(m.value)} `))))));
  return el("table", {class: "grid form-marks"}, el("thead", {}, head), el("tbody", {}, ...rows));
}

function shortTime(iso) {
  return new Date(iso).toLocaleTimeString(page.lang, {hour: "2-digit", minute: "2-digit", hour12: false});
}

// Signs exactly the digest shown; a form that changed meanwhile is refused (stale), shown
// again, and signed again by the expert who looked at it.
async function signForm(form) {
  signing.busy = true;
  try {
    const answer = await api(formsPath(`/${encodeURIComponent(form.form)}/signoff`),
                             {method: "POST", body: {digest: form.digest}});
    signing.notes[form.form] = answer.counted ? "" : words.signAgain;
  } catch (error) {
    signing.notes[form.form] = error instanceof HttpError
      ? refusalText(error.status, error.problem, words) : words.offline;
  }
  signing.busy = false;
  await loadForms();
}

function startSigning() {
  if (!page.me || !page.me.skill) return setTimeout(startSigning, 500);
  loadForms();
  setInterval(loadForms, SIGNING_EVERY_MS);
  window.addEventListener("online", renderSigning);
  window.addEventListener("offline", renderSigning);
}

startSigning();
